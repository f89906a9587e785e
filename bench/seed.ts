/**
 * Fills a database with paid cash recharges and patients' accounts, as a
 * hospital's years of use would, so the bench can measure the platform on it
 * (issue 19 target 5: 10 million orders, 1 million accounts). The database
 * makes the rows itself, a chunk a statement (bench/lib/seed.ts): minutes,
 * not hours. Prints the time taken and the bytes a row costs, indexes
 * included.
 *
 *   node --import tsx bench/seed.ts --db sqlite:<path>|postgres://… [--pg-schema S]
 *     --appid A --orders 10000000 --accounts 1000000 [--data-dir DIR]
 */
import { parseArgs } from 'node:util';
import { openStore } from '../src/platform/store/index.js';
import { seedStore, storageBytes } from './lib/seed.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'pg-schema': { type: 'string' },
    appid: { type: 'string', default: 'seeded' },
    orders: { type: 'string', default: '10000000' },
    accounts: { type: 'string', default: '1000000' },
    // The platform's data directory: its master key seals the seeded phone numbers (made there if new).
    'data-dir': { type: 'string', default: 'data' },
  },
});
if (!values.db) throw new Error('--db sqlite:<path> or postgres://… is required');
const shape = {
  appid: values.appid,
  orders: Number(values.orders),
  accounts: Number(values.accounts),
  now: Date.now(),
  dataDir: values['data-dir'],
};
if (!(shape.orders >= 0 && shape.accounts > 0)) throw new Error('--orders ≥ 0 and --accounts > 0');

const store = await openStore(values.db, values['pg-schema'] ? { pgSchema: values['pg-schema'] } : {});
try {
  const started = performance.now();
  await seedStore(store, shape, (done) => {
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`\r${done} orders, ${Math.round(done / seconds)}/s`);
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write('\n');
  const bytes = await storageBytes(store);
  console.log(JSON.stringify({ ...shape, seconds: Math.round(seconds), bytes }));
} finally {
  await store.close();
}
