import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface ThrowawayToken {
  dir: string;
  conf: string;
  label: string;
  pin: string;
  soPin: string;
  pinFile: string;
  module: string;
  /** Environment for a process that should use this token. */
  env: Record<string, string>;
  remove(): void;
}

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/**
 * A fresh SoftHSM2 token in a temporary directory. SoftHSM reads SOFTHSM2_CONF when the module is
 * initialised: pass `env` to a child process, or call setHostEnv (not process.env, which Jest
 * sandboxes) before loading the module in-process.
 */
export function createThrowawayToken(label = 'coffer-test'): ThrowawayToken {
  const dir = mkdtempSync(join(tmpdir(), 'coffer-hsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const pin = randomBytes(8).toString('hex');
  const soPin = randomBytes(8).toString('hex');
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'ignore',
  });
  const pinFile = join(dir, 'user.pin');
  writeFileSync(pinFile, pin);
  chmodSync(pinFile, 0o600);
  return {
    dir, conf, label, pin, soPin, pinFile, module: SOFTHSM_MODULE,
    env: { SOFTHSM2_CONF: conf, COFFER_PKCS11_MODULE: SOFTHSM_MODULE, COFFER_PKCS11_TOKEN: label, COFFER_PKCS11_PIN_FILE: pinFile },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
