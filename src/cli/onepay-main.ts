// Entry point for running the onepay CLI from source (tests, development); bin/onepay.js runs the built one.
import { runOnepayCli } from './onepay.js';

runOnepayCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
