import * as pkcs11js from 'pkcs11js';
import { HsmPort, HsmInfo } from './hsm.port';
import { HsmError, HsmErrorCodes, HsmOp, ckrName, toHsmError } from './hsm.errors';
import { KeyedMutex } from './keyed-mutex';
import { Pkcs11Library, acquirePkcs11Library } from './pkcs11-library';
import {
  DATA_KEY_BYTES, KEYGEN_MECHANISM, WRAP_MECHANISM, generatedDataKeyTemplate, kekSearchTemplate, kekTemplate,
  plausibleWrappedLength, sessionDataKeyTemplate,
} from './pkcs11-templates';
import { SessionPool } from './session-pool';

type Handle = pkcs11js.Handle;

export interface Pkcs11HsmOptions {
  /** Path of the PKCS#11 module (.so). */
  module: string;
  /** Token label; the slot is found by it because slot ids change. */
  token: string;
  pin: string;
  /** Logged-in sessions in the pool (one per in-flight operation). */
  sessions: number;
}

/** Upper bound on KEKs sharing one label (more than one only after a cross-process creation race). */
const MAX_KEK_CANDIDATES = 16;

/**
 * HsmPort on a PKCS#11 token through pkcs11js. AES calls are fast (~10k/s), so they run
 * synchronously on a pooled session; every object an operation creates is destroyed before the
 * session goes back to the pool.
 */
export class Pkcs11Hsm implements HsmPort {
  /** KEK handles by kekId. Normally one; several only if two processes created the KEK at once. */
  private readonly keks = new Map<string, Handle[]>();
  private readonly ensureLock = new KeyedMutex();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly lib: Pkcs11Library,
    private readonly pool: SessionPool<Handle>,
    private readonly tokenLabel: string,
  ) {}

  /** Loads the module, finds the token by label, opens and logs in the session pool. */
  static async open(options: Pkcs11HsmOptions): Promise<Pkcs11Hsm> {
    if (!Number.isInteger(options.sessions) || options.sessions < 1) {
      throw new RangeError(`sessions must be a positive integer (got ${options.sessions})`);
    }
    const lib = acquirePkcs11Library(options.module);
    const { pkcs11 } = lib;
    const sessions: Handle[] = [];
    try {
      const slot = findSlot(pkcs11, options.token);
      for (let i = 0; i < options.sessions; i++) {
        sessions.push(call('open', () => pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)));
      }
      // Login state is per token for the whole process: one login covers every session.
      try {
        pkcs11.C_Login(sessions[0], pkcs11js.CKU_USER, options.pin);
      } catch (err) {
        if (ckrName(err) !== 'CKR_USER_ALREADY_LOGGED_IN') throw toHsmError(err, 'login');
      }
      return new Pkcs11Hsm(lib, new SessionPool(sessions), options.token);
    } catch (err) {
      for (const s of sessions) closeSessionQuietly(pkcs11, s);
      lib.release();
      throw err instanceof HsmError ? err : toHsmError(err, 'open');
    }
  }

  info(): HsmInfo {
    return { token: this.tokenLabel, sessions: this.pool.size, inFlight: this.pool.inFlight };
  }

  ensureKek(kekId: string): Promise<boolean> {
    return this.ensureLock.run(kekId, () =>
      this.pool.use((session) => {
        const found = this.findKeks(session, kekId);
        if (found.length > 0) {
          this.keks.set(kekId, found);
          return false;
        }
        const kek = call('generate', () => this.pkcs11.C_GenerateKey(session, KEYGEN_MECHANISM, kekTemplate(kekId)));
        this.keks.set(kekId, [kek]);
        return true;
      }),
    );
  }

  generateDataKey(kekId: string): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
    return this.pool.use((session) => {
      const [kek] = this.kekHandles(session, kekId);
      return this.withObject(
        session,
        () => call('generate', () => this.pkcs11.C_GenerateKey(session, KEYGEN_MECHANISM, generatedDataKeyTemplate())),
        (key) => {
          const plaintext = this.readValue(session, key);
          const wrapped = call('wrap', () =>
            this.pkcs11.C_WrapKey(session, WRAP_MECHANISM, kek, key, Buffer.alloc(DATA_KEY_BYTES + 16)),
          );
          return { plaintext, wrapped: Buffer.from(wrapped) };
        },
      );
    });
  }

  unwrapDataKey(kekId: string, wrapped: Buffer): Promise<Buffer> {
    return this.pool.use((session) => {
      const keks = this.kekHandles(session, kekId);
      if (!plausibleWrappedLength(wrapped.length)) {
        throw new HsmError(HsmErrorCodes.InvalidWrappedKey, `wrapped key has an impossible length (${wrapped.length} bytes)`);
      }
      let lastError: HsmError | undefined;
      // Normally one candidate; with duplicates only the KEK that wrapped it passes the integrity check.
      for (const kek of keks) {
        try {
          return this.withObject(
            session,
            () => call('unwrap', () => this.pkcs11.C_UnwrapKey(session, WRAP_MECHANISM, kek, wrapped, sessionDataKeyTemplate())),
            (key) => this.readValue(session, key),
          );
        } catch (err) {
          lastError = toHsmError(err, 'unwrap');
          if (lastError.code !== HsmErrorCodes.InvalidWrappedKey) throw lastError;
        }
      }
      throw lastError ?? new HsmError(HsmErrorCodes.KeyNotFound, 'unknown key-encryption key');
    });
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const sessions = await this.pool.close();
    // C_Logout ends the login of every session in the process, so only the last holder does it.
    if (this.lib.holders === 1) {
      try {
        this.pkcs11.C_Logout(sessions[0]);
      } catch {
        // Already logged out or the device is gone: closing continues either way.
      }
    }
    for (const s of sessions) closeSessionQuietly(this.pkcs11, s);
    this.keks.clear();
    this.lib.release();
  }

  private get pkcs11(): pkcs11js.PKCS11 {
    return this.lib.pkcs11;
  }

  /** Cached KEK handles, else the ones on the token; never creates one. */
  private kekHandles(session: Handle, kekId: string): Handle[] {
    const cached = this.keks.get(kekId);
    if (cached) return cached;
    const found = this.findKeks(session, kekId);
    if (found.length === 0) throw new HsmError(HsmErrorCodes.KeyNotFound, 'unknown key-encryption key');
    this.keks.set(kekId, found);
    return found;
  }

  private findKeks(session: Handle, kekId: string): Handle[] {
    return call('find', () => {
      this.pkcs11.C_FindObjectsInit(session, kekSearchTemplate(kekId));
      try {
        return this.pkcs11.C_FindObjects(session, MAX_KEK_CANDIDATES);
      } finally {
        this.pkcs11.C_FindObjectsFinal(session);
      }
    });
  }

  private readValue(session: Handle, key: Handle): Buffer {
    const [attr] = call('read', () => this.pkcs11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }]));
    if (!Buffer.isBuffer(attr?.value)) throw new HsmError(HsmErrorCodes.DeviceError, 'HSM read returned no key value');
    return Buffer.from(attr.value);
  }

  /** Creates a session object, uses it, and destroys it whatever happens. */
  private withObject<T>(session: Handle, create: () => Handle, use: (object: Handle) => T): T {
    const object = create();
    try {
      return use(object);
    } finally {
      try {
        this.pkcs11.C_DestroyObject(session, object);
      } catch {
        // A session object that cannot be destroyed still dies with its session; the result stands.
      }
    }
  }
}

function findSlot(pkcs11: pkcs11js.PKCS11, label: string): Handle {
  const slots = call('open', () => pkcs11.C_GetSlotList(true));
  for (const slot of slots) {
    const info = call('open', () => pkcs11.C_GetTokenInfo(slot));
    if (info.label.trim() === label) return slot;
  }
  throw new HsmError(HsmErrorCodes.TokenNotFound, `no initialised token labelled '${label}'`);
}

/** Runs one PKCS#11 call, turning its failure into an HsmError for `op`. */
function call<T>(op: HsmOp, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toHsmError(err, op);
  }
}

function closeSessionQuietly(pkcs11: pkcs11js.PKCS11, session: Handle): void {
  try {
    pkcs11.C_CloseSession(session);
  } catch {
    // The session is gone already.
  }
}
