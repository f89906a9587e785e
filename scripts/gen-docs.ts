/**
 * `npm run docs`: writes docs/reference.md from the catalog. The reference
 * test fails when the committed file differs from a fresh rendering.
 */
import { writeFileSync } from 'node:fs';
import { renderReference } from '../src/protocol/catalog/reference.js';

const target = new URL('../docs/reference.md', import.meta.url);
writeFileSync(target, renderReference());
console.log(`wrote ${target.pathname.split('/').slice(-2).join('/')}`);
