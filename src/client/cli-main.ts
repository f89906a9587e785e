// Entry point for running the CLI from source (tests, development); bin/payclient.js runs the built one.
import { runPayclientCli } from './cli.js';

runPayclientCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
