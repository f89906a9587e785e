import { adapterConformance } from '../../../testing/adapter-conformance.js';
import { databaseAvailability, TEST_DATABASES } from '../../../testing/databases.js';
import type { Store } from '../../store/index.js';
import { sandboxCode, sandboxHarness } from './harness.js';

// The sandbox passes the suite every real adapter must pass, on both engines.
for (const database of TEST_DATABASES) {
  const availability = await databaseAvailability(database);
  let store: Store | undefined;
  adapterConformance(`sandbox on ${database.name}`, {
    ...(availability.skip ? { skip: availability.skip } : {}),
    async open() {
      store = await database.open();
      const h = sandboxHarness(store);
      return {
        adapter: h.sandbox,
        appid: 'app1',
        qrChannel: 'ONE_QR',
        barcodeChannel: 'ONE_BAR',
        // The sandbox picks a barcode's outcome by the code's last digit (rules.ts).
        code: (outcome) => sandboxCode('WX', outcome === 'paid' ? 0 : outcome === 'declined' ? 6 : 8),
        async payQr(_payment, created) {
          const token = new URL(created.qrcode ?? '').pathname.split('/').at(-1) ?? '';
          const paid = await h.sandbox.payByWallet(token, { wallet: 'alipay' });
          if (!paid.ok) throw new Error(`the sandbox wallet refused: ${paid.message}`);
        },
        now: h.now,
      };
    },
    async close() {
      await store?.close();
    },
  });
}
