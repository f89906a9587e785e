export { type BridgeEncoding, type Charset, charsetOf } from './charset.js';
export { runBridgeCli } from './cli.js';
export {
  type Bridge,
  type BridgeOptions,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_PORT,
  defaultAnswerTimeoutMs,
  isLoopback,
  type PayTrans,
  startBridge,
} from './server.js';
