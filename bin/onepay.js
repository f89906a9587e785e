#!/usr/bin/env node
import { runOnepayCli } from '../dist/cli/onepay.js';

runOnepayCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
