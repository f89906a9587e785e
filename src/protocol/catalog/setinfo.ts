import { f } from './fields.js';
import type { TransTypeSpec } from './types.js';

/** 设置服务参数: answered by the client itself, which stores the values. */
export const setinfo = {
  name: 'hop.trade.setinfo',
  title: '设置服务参数',
  group: '交易接口',
  handledBy: 'client',
  request: [
    f('serveraddr', 'Char(256)', 'N', '服务地址', {
      note: '例如： http://10.10.10.110:1301/onepay-web/oneweb/oneapi',
    }),
    f('appid', 'Char(256)', 'N', '应用 ID'),
    f('appsecret', 'Char(256)', 'N', '应用密码'),
  ],
  response: [],
} satisfies TransTypeSpec;
