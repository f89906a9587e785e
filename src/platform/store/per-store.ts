import type { Store } from './open.js';

/**
 * One `T` per store, made at its first use: every request of a store shares
 * it (its group commit, its batches of a turn), and it goes with the store.
 */
export function perStore<T>(make: (store: Store) => T): (store: Store) => T {
  const made = new WeakMap<Store, T>();
  return (store) => {
    let value = made.get(store);
    if (value === undefined) {
      value = make(store);
      made.set(store, value);
    }
    return value;
  };
}
