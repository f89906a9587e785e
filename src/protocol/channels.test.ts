import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recognizeWallet } from './channels.js';

function code(prefix: string, length: number): string {
  return prefix + '0'.repeat(length - prefix.length);
}

describe('recognizeWallet', () => {
  it('WeChat: exactly 18 digits starting 10–15', () => {
    for (const p of ['10', '11', '12', '13', '14', '15']) assert.equal(recognizeWallet(code(p, 18)), 'WX', p);
    assert.equal(recognizeWallet('134567890123456789'), 'WX');
    for (const p of ['09', '16', '19']) assert.equal(recognizeWallet(code(p, 18)), null, p);
    assert.equal(recognizeWallet(code('13', 17)), null);
    assert.equal(recognizeWallet(code('13', 19)), null);
  });

  it('Alipay: 16 to 24 digits starting 25–30', () => {
    for (const p of ['25', '26', '27', '28', '29', '30']) {
      for (let n = 16; n <= 24; n++) assert.equal(recognizeWallet(code(p, n)), 'ALI', `${p}/${n}`);
    }
    for (const p of ['24', '31']) {
      for (let n = 16; n <= 24; n++) assert.equal(recognizeWallet(code(p, n)), null, `${p}/${n}`);
    }
    assert.equal(recognizeWallet(code('28', 15)), null);
    assert.equal(recognizeWallet(code('28', 25)), null);
  });

  it('UnionPay: exactly 19 digits starting 62', () => {
    assert.equal(recognizeWallet(code('62', 19)), 'UP');
    assert.equal(recognizeWallet('6212345678901234567'), 'UP');
    assert.equal(recognizeWallet(code('62', 18)), null);
    assert.equal(recognizeWallet(code('62', 20)), null);
    for (const p of ['61', '63']) assert.equal(recognizeWallet(code(p, 19)), null, p);
  });

  it('every two-digit prefix at every length 1–30 maps to at most the documented wallet', () => {
    for (let p = 0; p <= 99; p++) {
      const prefix = String(p).padStart(2, '0');
      for (let n = 2; n <= 30; n++) {
        const got = recognizeWallet(code(prefix, n));
        const expected =
          p >= 10 && p <= 15 && n === 18
            ? 'WX'
            : p >= 25 && p <= 30 && n >= 16 && n <= 24
              ? 'ALI'
              : p === 62 && n === 19
                ? 'UP'
                : null;
        assert.equal(got, expected, `${prefix}/${n}`);
      }
    }
  });

  it('refuses anything that is not only digits', () => {
    for (const bad of [
      '',
      ' 134567890123456789',
      '134567890123456789 ',
      '13456789012345678a',
      '１34567890123456789',
      '13456789012345678\n',
      '28-00000000000000',
      '+6212345678901234567',
    ]) {
      assert.equal(recognizeWallet(bad), null, JSON.stringify(bad));
    }
  });
});
