#!/usr/bin/env node
import { runPayclientCli } from '../dist/client/cli.js';

runPayclientCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
