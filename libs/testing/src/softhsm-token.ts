import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { repoRoot } from '@coffer/config';

export interface ThrowawayToken {
  dir: string;
  conf: string;
  label: string;
  pin: string;
  soPin: string;
  pinFile: string;
  soPinFile: string;
  module: string;
  /** Environment for a process that should use this token. */
  env: Record<string, string>;
  remove(): void;
}

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface ThrowawayTokenOptions {
  /**
   * Create the trusted backup wrapping key as init-token.sh does (infra/scripts/ensure-backup-key.js,
   * in a child process so this process's PKCS#11 module stays untouched). Default true.
   */
  backupKey?: boolean;
}

/**
 * A fresh SoftHSM2 token in a temporary directory, with the trusted backup wrapping key. SoftHSM reads SOFTHSM2_CONF when the module is
 * initialised: pass `env` to a child process, or call setHostEnv (not process.env, which Jest
 * sandboxes) before loading the module in-process.
 */
export function createThrowawayToken(label = 'coffer-test', options: ThrowawayTokenOptions = {}): ThrowawayToken {
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
  const soPinFile = join(dir, 'so.pin');
  writeFileSync(soPinFile, soPin);
  chmodSync(soPinFile, 0o600);
  if (options.backupKey ?? true) {
    execFileSync(process.execPath, [join(repoRoot(), 'infra', 'scripts', 'ensure-backup-key.js')], {
      env: { ...process.env, SOFTHSM2_CONF: conf, COFFER_PKCS11_TOKEN: label, COFFER_HSM_SO_PIN_FILE: soPinFile, COFFER_PKCS11_MODULE: SOFTHSM_MODULE },
      stdio: 'ignore',
    });
  }
  return {
    dir, conf, label, pin, soPin, pinFile, soPinFile, module: SOFTHSM_MODULE,
    env: { SOFTHSM2_CONF: conf, COFFER_PKCS11_MODULE: SOFTHSM_MODULE, COFFER_PKCS11_TOKEN: label, COFFER_PKCS11_PIN_FILE: pinFile },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
