export { type ClientSettings, loadSettings, saveSettings, settingsFile } from './config.js';
export { type Param, PayClient, type PayClientOptions } from './pay-client.js';
export { payTrans } from './pay-trans.js';
