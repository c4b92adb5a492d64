import * as pkcs11js from 'pkcs11js';
import { HsmError, HsmErrorCodes, ckrName, toHsmError } from './hsm.errors';

/**
 * A PKCS#11 module is initialised once per process (a second C_Initialize answers
 * CKR_CRYPTOKI_ALREADY_INITIALIZED) and C_Finalize ends every session in the process, so the
 * module is shared and reference-counted: the last release finalises and unloads it.
 */
export interface Pkcs11Library {
  readonly pkcs11: pkcs11js.PKCS11;
  readonly path: string;
  /** How many holders share the module right now (this one included). */
  readonly holders: number;
  release(): void;
}

interface Loaded {
  pkcs11: pkcs11js.PKCS11;
  holders: number;
  /** False when someone outside this registry initialised the module: then we never finalise it. */
  ownsInit: boolean;
}

const loaded = new Map<string, Loaded>();

export function acquirePkcs11Library(path: string): Pkcs11Library {
  let entry = loaded.get(path);
  if (!entry) {
    const pkcs11 = new pkcs11js.PKCS11();
    try {
      pkcs11.load(path);
    } catch (err) {
      throw new HsmError(HsmErrorCodes.ModuleNotLoaded, `cannot load the PKCS#11 module ${path}`, { cause: err });
    }
    let ownsInit = true;
    try {
      // The *Async calls run on libuv's threads: without CKF_OS_LOCKING_OK (C_Initialize(NULL))
      // the module may assume one thread, and SoftHSM then corrupts its heap under concurrent
      // calls on different sessions (seen as malloc aborts and segfaults with parallel RSA signs).
      pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
    } catch (err) {
      if (ckrName(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
        closeQuietly(pkcs11);
        throw toHsmError(err, 'open');
      }
      ownsInit = false;
    }
    entry = { pkcs11, holders: 0, ownsInit };
    loaded.set(path, entry);
  }
  entry.holders++;
  const held = entry;
  let released = false;
  return {
    pkcs11: held.pkcs11,
    path,
    get holders() {
      return held.holders;
    },
    release() {
      if (released) return;
      released = true;
      if (--held.holders > 0) return;
      loaded.delete(path);
      if (held.ownsInit) {
        try {
          held.pkcs11.C_Finalize();
        } catch {
          // Finalising a module that is already gone is not worth failing a shutdown over.
        }
      }
      closeQuietly(held.pkcs11);
    },
  };
}

function closeQuietly(pkcs11: pkcs11js.PKCS11): void {
  try {
    pkcs11.close();
  } catch {
    // see release()
  }
}
