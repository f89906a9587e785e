import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskForLog, maskName, maskNumber } from './mask.js';

describe('masking personal data for logs', () => {
  it('masks names as the spec does (蔡少辉 → 蔡*辉)', () => {
    assert.equal(maskName('蔡少辉'), '蔡*辉');
    assert.equal(maskName('张三'), '张*');
    assert.equal(maskName('欧阳娜娜'), '欧**娜');
    assert.equal(maskName('李'), '*');
  });

  it('keeps only the ends of ID and card numbers', () => {
    assert.equal(maskNumber('350288888888888888'), '3502**********8888');
    assert.equal(maskNumber('13011111111'), '1301***1111');
    assert.equal(maskNumber('12345'), '***45');
  });

  it('removes secrets and masks nested personal fields', () => {
    const out = JSON.stringify(
      maskForLog({
        appsecret: 's3cret',
        userName: '蔡少辉',
        idNo: '350288888888888888',
        extra: { authCode: '134567890123456780', mobilePhone: '13011111111' },
      }),
    );
    assert.doesNotMatch(out, /s3cret|蔡少辉|350288888888888888|134567890123456780|13011111111/);
    assert.match(out, /蔡\*辉/);
  });
});
