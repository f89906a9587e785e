/**
 * The sandbox: every channel of the spec played by the platform itself, for
 * sandbox apps only. Its wallet pages (src/web/sandbox) play the patient's
 * phone; its rules (rules.ts) say how a tester picks an outcome.
 */
export {
  REFUSAL_MESSAGE,
  SandboxChannels,
  type SandboxOptions,
  type SandboxRefundOutcome,
  type WalletPayOutcome,
  type WalletRefusal,
  type WalletView,
} from './adapter.js';
export { isSandboxWallet, SANDBOX_WALLETS, type SandboxWallet, WALLET_LABEL } from './rules.js';
