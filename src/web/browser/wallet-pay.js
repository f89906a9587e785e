/**
 * The one-QR landing's last step, inside the patient's wallet: opens the
 * wallet's own payment sheet with what the server put in data-pay — Alipay's
 * trade number (AlipayJSBridge tradePay) or WeChat Pay's signed JSAPI package
 * (WeixinJSBridge getBrandWCPayRequest). The server learns the outcome from
 * the gateway, never from this page: it only tells the patient.
 */
const main = document.querySelector('main[data-wallet]');
const status = document.getElementById('status');
const button = document.getElementById('pay');

function say(text) {
  if (status) status.textContent = text;
}

/** Paid: nothing left to press (the desk sees the payment from the gateway). */
function paid() {
  say('支付成功，请回到收费处');
  if (button) button.hidden = true;
}

function whenReady(bridge, event, go) {
  if (window[bridge]) go();
  else document.addEventListener(event, go, false);
}

function alipay(data) {
  whenReady('AlipayJSBridge', 'AlipayJSBridgeReady', () => {
    window.AlipayJSBridge.call('tradePay', { tradeNO: data.tradeNO }, (result) => {
      const code = String(result?.resultCode ?? '');
      if (code === '9000') paid();
      else if (code === '6001') say('已取消支付，可点击“确认支付”重新支付');
      else if (code === '8000' || code === '6004') say('支付处理中，请稍候在收费处确认结果');
      else say(`支付未完成（${code}），可点击“确认支付”重试`);
    });
  });
}

function wechat(data) {
  whenReady('WeixinJSBridge', 'WeixinJSBridgeReady', () => {
    window.WeixinJSBridge.invoke('getBrandWCPayRequest', data, (result) => {
      const message = String(result?.err_msg ?? '');
      if (message === 'get_brand_wcpay_request:ok') paid();
      else if (message === 'get_brand_wcpay_request:cancel') say('已取消支付，可点击“确认支付”重新支付');
      else say('支付未完成，可点击“确认支付”重试');
    });
  });
}

if (main) {
  const data = JSON.parse(main.dataset.pay ?? '{}');
  const open = () => (main.dataset.wallet === 'alipay' ? alipay(data) : wechat(data));
  button?.addEventListener('click', open);
  open();
}
