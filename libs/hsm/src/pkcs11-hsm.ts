import { randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { ecPointFromAttribute, normaliseRawSignature, pointCoordinates } from './ec-encoding';
import { HsmPort, HsmInfo, MAX_MAC_INPUT_BYTES, SigningJwk } from './hsm.port';
import { HsmError, HsmErrorCodes, HsmOp, ckrName, toHsmError } from './hsm.errors';
import { KeyedMutex } from './keyed-mutex';
import { Pkcs11Library, acquirePkcs11Library } from './pkcs11-library';
import {
  DATA_KEY_BYTES, ECDSA_MECHANISM, EC_KEYGEN_MECHANISM, HMAC_MECHANISM, KEYGEN_MECHANISM, MAC_BYTES, MAC_KEYGEN_MECHANISM, P256_FIELD_BYTES,
  SIGN_DIGEST_BYTES, WRAP_MECHANISM, generatedDataKeyTemplate, kekSearchTemplate, kekTemplate, macKeySearchTemplate, macKeyTemplate,
  plausibleWrappedLength, sessionDataKeyTemplate, signingKeySearchTemplate, signingPrivateKeyTemplate, signingPublicKeyTemplate,
} from './pkcs11-templates';
import { Pkcs11Keys } from './pkcs11-keys';
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
  /**
   * Sessions for the RSA *Async calls (Coffer keys), each running on a libuv thread-pool thread;
   * more than the pool's threads (UV_THREADPOOL_SIZE, default 4) would only queue there. Default:
   * that thread count.
   */
  asyncSessions?: number;
}

/** libuv's thread pool size: what the *Async pkcs11js calls can run in parallel. */
export function threadPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size > 0 ? Math.min(size, 1024) : 4;
}

/** Upper bound on KEKs sharing one label (more than one only after a cross-process creation race). */
const MAX_KEK_CANDIDATES = 16;
/** The same bound for each half of a signing key pair. */
const MAX_SIGNING_KEY_CANDIDATES = 16;
/** The same bound for MAC keys. */
const MAX_MAC_KEY_CANDIDATES = 16;
/** Bytes of the CKA_ID the two halves of one signing key pair share (and of a MAC key's CKA_ID). */
const SIGNING_PAIR_ID_BYTES = 16;
/** Output buffer for C_Sign: room for r‖s of any curve up to P-521, so C_Sign never answers CKR_BUFFER_TOO_SMALL. */
const MAX_SIGNATURE_BYTES = 2 * 66;

/** A signing key pair as the adapter caches it: the private handle to sign with, the public key to hand out. */
interface SigningKey {
  privateKey: Handle;
  jwk: SigningJwk;
}

/**
 * HsmPort on a PKCS#11 token through pkcs11js. AES and EC calls are fast (~10k/s), so they run
 * synchronously on a pooled session; every object an operation creates is destroyed before the
 * session goes back to the pool.
 */
export class Pkcs11Hsm implements HsmPort {
  /** KEK handles by kekId. Normally one; several only if two processes created the KEK at once. */
  private readonly keks = new Map<string, Handle[]>();
  private readonly ensureLock = new KeyedMutex();
  /** Signing key pairs by keyId. */
  private readonly signingKeys = new Map<string, SigningKey>();
  private readonly ensureSigningLock = new KeyedMutex();
  /** MAC key handles by keyId. */
  private readonly macKeys = new Map<string, Handle>();
  private readonly ensureMacLock = new KeyedMutex();
  private closing: Promise<void> | undefined;
  /** Coffer keys (RSA, EC, oct) on the same token and sessions, plus the async pool for RSA. */
  readonly keys: Pkcs11Keys;

  private constructor(
    private readonly lib: Pkcs11Library,
    private readonly pool: SessionPool<Handle>,
    private readonly asyncPool: SessionPool<Handle>,
    private readonly tokenLabel: string,
  ) {
    this.keys = new Pkcs11Keys(lib.pkcs11, pool, asyncPool);
  }

  /** Loads the module, finds the token by label, opens and logs in the session pool. */
  static async open(options: Pkcs11HsmOptions): Promise<Pkcs11Hsm> {
    if (!Number.isInteger(options.sessions) || options.sessions < 1) {
      throw new RangeError(`sessions must be a positive integer (got ${options.sessions})`);
    }
    const asyncSessions = options.asyncSessions ?? threadPoolSize();
    if (!Number.isInteger(asyncSessions) || asyncSessions < 1) {
      throw new RangeError(`asyncSessions must be a positive integer (got ${asyncSessions})`);
    }
    const lib = acquirePkcs11Library(options.module);
    const { pkcs11 } = lib;
    const sessions: Handle[] = [];
    try {
      const slot = findSlot(pkcs11, options.token);
      for (let i = 0; i < options.sessions + asyncSessions; i++) {
        sessions.push(call('open', () => pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION)));
      }
      // Login state is per token for the whole process: one login covers every session.
      try {
        pkcs11.C_Login(sessions[0], pkcs11js.CKU_USER, options.pin);
      } catch (err) {
        if (ckrName(err) !== 'CKR_USER_ALREADY_LOGGED_IN') throw toHsmError(err, 'login');
      }
      const pool = new SessionPool(sessions.slice(0, options.sessions));
      return new Pkcs11Hsm(lib, pool, new SessionPool(sessions.slice(options.sessions)), options.token);
    } catch (err) {
      for (const s of sessions) closeSessionQuietly(pkcs11, s);
      lib.release();
      throw err instanceof HsmError ? err : toHsmError(err, 'open');
    }
  }

  info(): HsmInfo {
    return { token: this.tokenLabel, sessions: this.pool.size, inFlight: this.pool.inFlight };
  }

  ping(): Promise<void> {
    return this.pool.use((session) => {
      call('open', () => this.pkcs11.C_GetSessionInfo(session));
    });
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

  ensureSigningKey(keyId: string): Promise<{ jwk: SigningJwk; created: boolean }> {
    return this.ensureSigningLock.run(keyId, () =>
      this.pool.use((session) => {
        const found = this.findSigningKey(session, keyId);
        if (found) {
          this.signingKeys.set(keyId, found);
          return { jwk: { ...found.jwk }, created: false };
        }
        const generated = this.generateSigningKey(session, keyId);
        this.signingKeys.set(keyId, generated);
        return { jwk: { ...generated.jwk }, created: true };
      }),
    );
  }

  signDigest(keyId: string, digest: Buffer): Promise<Buffer> {
    if (!Buffer.isBuffer(digest) || digest.length !== SIGN_DIGEST_BYTES) {
      const got = Buffer.isBuffer(digest) ? `${digest.length} bytes` : typeof digest;
      return Promise.reject(
        new HsmError(HsmErrorCodes.InvalidDigest, `the digest to sign must be ${SIGN_DIGEST_BYTES} bytes (SHA-256), got ${got}`),
      );
    }
    return this.pool.use((session) => {
      const key = this.signingKeyHandle(session, keyId);
      try {
        return this.sign(session, key.privateKey, digest);
      } catch (err) {
        const error = toHsmError(err, 'sign');
        // The key went away under us (deleted on the token): look it up afresh next time.
        if (error.code === HsmErrorCodes.KeyNotFound && this.signingKeys.get(keyId) === key) this.signingKeys.delete(keyId);
        throw error;
      }
    });
  }

  async keyedHash(keyId: string, data: Buffer): Promise<Buffer> {
    if (!Buffer.isBuffer(data) || data.length > MAX_MAC_INPUT_BYTES) {
      throw new HsmError(HsmErrorCodes.InvalidInput, `the data to hash must be at most ${MAX_MAC_INPUT_BYTES} bytes`);
    }
    const key = this.macKeys.get(keyId) ?? (await this.macKey(keyId)).key;
    return this.pool.use((session) => {
      call('sign', () => this.pkcs11.C_SignInit(session, HMAC_MECHANISM, key));
      try {
        return Buffer.from(this.pkcs11.C_Sign(session, data, Buffer.alloc(MAC_BYTES)));
      } catch (err) {
        try {
          this.pkcs11.C_SignFinal(session, Buffer.alloc(MAC_BYTES));
        } catch {
          // CKR_OPERATION_NOT_INITIALIZED: it had ended already.
        }
        const error = toHsmError(err, 'sign');
        if (error.code === HsmErrorCodes.KeyNotFound && this.macKeys.get(keyId) === key) this.macKeys.delete(keyId);
        throw error;
      }
    });
  }

  async ensureMacKey(keyId: string): Promise<{ created: boolean }> {
    return { created: (await this.macKey(keyId)).created };
  }

  /**
   * The MAC key labelled for keyId, generated if the token has none. Should two processes ever
   * create one at once, every process uses the same one (lowest CKA_ID) once it looks again.
   */
  private macKey(keyId: string): Promise<{ key: Handle; created: boolean }> {
    return this.ensureMacLock.run(keyId, () =>
      this.pool.use((session) => {
        const cached = this.macKeys.get(keyId);
        if (cached !== undefined) return { key: cached, created: false };
        const found = this.findObjects(session, macKeySearchTemplate(keyId), MAX_MAC_KEY_CANDIDATES)
          .map((handle) => ({ handle, id: this.readId(session, handle) }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]?.handle;
        const key = found ?? call('generate', () =>
          this.pkcs11.C_GenerateKey(session, MAC_KEYGEN_MECHANISM, macKeyTemplate(keyId, randomBytes(SIGNING_PAIR_ID_BYTES))));
        this.macKeys.set(keyId, key);
        return { key, created: found === undefined };
      }),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const sessions = [...(await this.pool.close()), ...(await this.asyncPool.close())];
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
    this.signingKeys.clear();
    this.macKeys.clear();
    this.keys.reset();
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
    return this.findObjects(session, kekSearchTemplate(kekId), MAX_KEK_CANDIDATES);
  }

  /** The cached signing key, else the one on the token; never creates one. */
  private signingKeyHandle(session: Handle, keyId: string): SigningKey {
    const cached = this.signingKeys.get(keyId);
    if (cached) return cached;
    const found = this.findSigningKey(session, keyId);
    if (!found) throw new HsmError(HsmErrorCodes.KeyNotFound, 'unknown signing key');
    this.signingKeys.set(keyId, found);
    return found;
  }

  /**
   * The signing key pair labelled for keyId, or undefined. The halves are matched by the CKA_ID
   * they share; should two processes ever have created a pair at once, every process picks the
   * same one (lowest CKA_ID), so all of them sign with the key whose JWK they publish. A private
   * key without its public half does not count (ensure then makes a complete pair).
   */
  private findSigningKey(session: Handle, keyId: string): SigningKey | undefined {
    const privates = this.findObjects(session, signingKeySearchTemplate(keyId, 'private'), MAX_SIGNING_KEY_CANDIDATES);
    if (privates.length === 0) return undefined;
    const publics = this.findObjects(session, signingKeySearchTemplate(keyId, 'public'), MAX_SIGNING_KEY_CANDIDATES);
    const publicById = new Map(publics.map((handle) => [this.readId(session, handle), handle]));
    const pairs = privates
      .map((privateKey) => ({ id: this.readId(session, privateKey), privateKey }))
      .filter(({ id }) => publicById.has(id))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const [chosen] = pairs;
    if (!chosen) return undefined;
    return { privateKey: chosen.privateKey, jwk: this.readJwk(session, publicById.get(chosen.id)!, keyId) };
  }

  /** Generates a P-256 pair on the token; if its public key cannot be read, both halves are destroyed. */
  private generateSigningKey(session: Handle, keyId: string): SigningKey {
    const pairId = randomBytes(SIGNING_PAIR_ID_BYTES);
    const { publicKey, privateKey } = call('generate', () =>
      this.pkcs11.C_GenerateKeyPair(
        session, EC_KEYGEN_MECHANISM, signingPublicKeyTemplate(keyId, pairId), signingPrivateKeyTemplate(keyId, pairId),
      ),
    );
    try {
      return { privateKey, jwk: this.readJwk(session, publicKey, keyId) };
    } catch (err) {
      for (const half of [privateKey, publicKey]) {
        try {
          this.pkcs11.C_DestroyObject(session, half);
        } catch {
          // Nothing more to do: the error below is what the caller needs to see.
        }
      }
      throw err;
    }
  }

  private readJwk(session: Handle, publicKey: Handle, keyId: string): SigningJwk {
    const [attr] = call('read', () => this.pkcs11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11js.CKA_EC_POINT }]));
    const point = Buffer.isBuffer(attr?.value) ? ecPointFromAttribute(attr.value, P256_FIELD_BYTES) : undefined;
    if (!point) throw new HsmError(HsmErrorCodes.DeviceError, 'the signing key has no P-256 public point the adapter can read');
    return { kty: 'EC', crv: 'P-256', ...pointCoordinates(point, P256_FIELD_BYTES), kid: keyId };
  }

  /** CKA_ID as hex (the key that pairs the two halves of a signing key). */
  private readId(session: Handle, object: Handle): string {
    const [attr] = call('read', () => this.pkcs11.C_GetAttributeValue(session, object, [{ type: pkcs11js.CKA_ID }]));
    return Buffer.isBuffer(attr?.value) ? attr.value.toString('hex') : '';
  }

  /** One CKM_ECDSA signature over `digest` as r‖s. */
  private sign(session: Handle, privateKey: Handle, digest: Buffer): Buffer {
    call('sign', () => this.pkcs11.C_SignInit(session, ECDSA_MECHANISM, privateKey));
    let raw: Buffer;
    try {
      raw = this.pkcs11.C_Sign(session, digest, Buffer.alloc(MAX_SIGNATURE_BYTES));
    } catch (err) {
      // A failed C_Sign normally ends the operation; make sure the session is not left mid-sign.
      try {
        this.pkcs11.C_SignFinal(session, Buffer.alloc(MAX_SIGNATURE_BYTES));
      } catch {
        // CKR_OPERATION_NOT_INITIALIZED: it had ended already.
      }
      throw toHsmError(err, 'sign');
    }
    const signature = normaliseRawSignature(Buffer.from(raw), P256_FIELD_BYTES);
    if (!signature) throw new HsmError(HsmErrorCodes.DeviceError, `the HSM returned a ${raw.length}-byte signature, not a P-256 r||s`);
    return signature;
  }

  private findObjects(session: Handle, template: pkcs11js.Template, max: number): Handle[] {
    return call('find', () => {
      this.pkcs11.C_FindObjectsInit(session, template);
      try {
        return this.pkcs11.C_FindObjects(session, max);
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
