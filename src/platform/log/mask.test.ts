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

  it('logs only the length of addresses, birthdays, employers, wallet user ids and free text', () => {
    const out = JSON.stringify(
      maskForLog({
        notes: '患者家属要求发票抬头写公司',
        extra: {
          address: '厦门市思明区某某路1号',
          birthday: '1995-04-28',
          workUnit: '某某公司',
          openId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
          ShowMsg: '请扫码',
        },
      }),
    );
    for (const secret of ['发票', '思明区', '1995-04-28', '某某公司', 'oUpF8uMuAJO', '请扫码']) {
      assert.ok(!out.includes(secret), secret);
    }
    assert.match(out, /"birthday":"\[10 chars\]"/);
  });
});
