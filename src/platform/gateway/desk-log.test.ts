import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fail } from '../../protocol/codes.js';
import { callLogLevel } from './desk-log.js';

describe('the level of a call’s log line', () => {
  it('an open desk (recharge or refund) is one info line, then debug; everything else is info', () => {
    const desk = (traceNo: string) => ({
      ...fail('040038', '请在收银台完成支付'),
      param: { traceNo, deskUrl: `http://pay.example/desk/${traceNo}-x` },
    });
    assert.equal(callLogLevel(desk('20260101000000aaaaaaaaaaaa')), 'info');
    assert.equal(callLogLevel(desk('20260101000000aaaaaaaaaaaa')), 'debug');
    assert.equal(callLogLevel(desk('20260101000000bbbbbbbbbbbb')), 'info', 'another desk');
    // Unknown outcomes without a desk (a barcode still paying) stay visible every time.
    const unknown = {
      ...fail('040038', '付款码交易结果未知'),
      param: { traceNo: '20260101000000cccccccccccc' },
    };
    assert.equal(callLogLevel(unknown), 'info');
    assert.equal(callLogLevel(unknown), 'info');
    assert.equal(callLogLevel({ respCode: '000000', respMsg: '成功' }), 'info');
  });
});
