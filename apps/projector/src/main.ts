import 'reflect-metadata';
import { usePrivateUmask } from '@coffer/config';
import { projectorCli } from './projector.cli';

usePrivateUmask();
projectorCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`coffer-projector: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
