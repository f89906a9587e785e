import type { ParamOf } from '../protocol/catalog/index.js';
import { type Answer, fail } from '../protocol/codes.js';
import { validatePindata } from '../protocol/validate.js';
import { addressProblem } from './address-check.js';
import { type ClientSettings, loadSettings, saveSettings } from './config.js';
import { PayClient } from './pay-client.js';

let current: { settings: ClientSettings; client: PayClient } | undefined;

function clientFor(settings: ClientSettings): PayClient {
  if (current?.settings !== settings) current = { settings, client: new PayClient(settings) };
  return current.client;
}

/**
 * `suite` is ours, not a field of the spec's table: validation hands it back
 * among the fields it ignored, which is where it is read from.
 */
async function setinfo(
  param: ParamOf<'hop.trade.setinfo'>,
  ignored: Readonly<Record<string, unknown>> = {},
): Promise<Answer> {
  const { serveraddr } = param;
  let url: URL;
  try {
    url = new URL(serveraddr);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    return fail('020000', `serveraddr 不是 http(s) 地址: ${serveraddr.slice(0, 64)}`);
  }
  const suite = ignored['suite'];
  saveSettings({
    serveraddr,
    appid: param.appid,
    appsecret: param.appsecret,
    ...(suite === 'AES' || suite === 'SM' ? { suite } : {}),
  });
  // Saved either way (the platform may be down while a workstation is set up), but a person
  // typing the address learns now, not at the first payment, that it is not the platform's.
  const problem = await addressProblem(url);
  if (!problem) return { respCode: '000000', respMsg: '处理成功' };
  return { respCode: '000000', respMsg: `处理成功 (已保存); 警告: ${serveraddr.slice(0, 80)} ${problem}` };
}

/**
 * The one function of payclient.dll: pindata JSON in, poutdata JSON out,
 * respCode "000000" on success. It never throws. hop.trade.setinfo is
 * answered here and persisted, like the DLL does; every other call goes to
 * the platform set there.
 */
export async function payTrans(pindata: string): Promise<string> {
  try {
    const checked = validatePindata(pindata);
    if (!checked.ok) return JSON.stringify(checked.answer);
    if (checked.transType === 'hop.trade.setinfo')
      return JSON.stringify(await setinfo(checked.param, checked.ignored));
    const settings = loadSettings();
    if (!settings) return JSON.stringify(fail('010003', '尚未设置服务参数, 请先调用 hop.trade.setinfo'));
    return await clientFor(settings).payTrans(pindata);
  } catch (error) {
    // Everything above runs before anything is sent: the transaction did not leave.
    return JSON.stringify(fail('-7', `客户端配置错误: ${(error as Error).message}`));
  }
}
