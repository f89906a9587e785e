/**
 * The package's root: the platform as a program embeds it, and the client a HIS calls.
 * `onepay/client` and `onepay/protocol` stay the lighter entries for code that needs only those.
 */
export { PayClient, type PayClientOptions, payTrans } from './client/index.js';
export { type RunningPlatform, type ServeOptions, startPlatform } from './server/serve.js';
