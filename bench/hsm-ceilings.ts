import { createHash, randomBytes } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { digestInfo } from '@coffer/crypto';
import { SessionPool, threadPoolSize } from '@coffer/hsm';
import { LoadOptions, LoadResult, runClosedLoop } from './closed-loop';

/**
 * What the HSM itself can do on this machine: the key operations of `bench keys`, done directly
 * through pkcs11js against the same token as the stack (no NATS, no vault, no worker), the way the
 * crypto-worker does them: RSA with the *Async calls on a session per in-flight operation, EC and
 * AES synchronously. The keys are private token objects, as Coffer's are, destroyed on close.
 *
 * SoftHSM reads SOFTHSM2_CONF when the module is first initialised in the process: set it (to the
 * stack's $COFFER_HOME/hsm/softhsm2.conf) before calling openHsmCeilings.
 */

export interface HsmCeilingTarget {
  module: string;
  token: string;
  pin: string;
  /** Sessions for the async RSA calls; default the libuv thread pool size (UV_THREADPOOL_SIZE). */
  asyncSessions?: number;
}

/**
 * Work done before each operation in the same process (the authenticated direct HSM ceiling passes
 * the vault's token verification); the result is named "… + token".
 */
export type Gate = () => Promise<unknown>;

export interface HsmCeilings {
  /** RS256: CKM_RSA_PKCS over DigestInfo ‖ SHA-256 digest, RSA-2048, async. */
  rs256Sign(load: LoadOptions, gate?: Gate): Promise<LoadResult>;
  /** ES256: CKM_ECDSA over a SHA-256 digest, P-256, synchronous. */
  es256Sign(load: LoadOptions, gate?: Gate): Promise<LoadResult>;
  /** RSA-OAEP (SHA-1, the only OAEP SoftHSM has) decryption of a 32-byte key, RSA-2048, async. */
  rsaOaepDecrypt(load: LoadOptions, gate?: Gate): Promise<LoadResult>;
  /** A256KW (RFC 3394) of a 32-byte key: a session object made of the bytes, C_WrapKey, destroyed. */
  a256kwWrap(load: LoadOptions, gate?: Gate): Promise<LoadResult>;
  /** A256KW unwrap: C_UnwrapKey into a session object, CKA_VALUE read, object destroyed. */
  a256kwUnwrap(load: LoadOptions, gate?: Gate): Promise<LoadResult>;
  /** What issuing an EC certificate asks of the HSM: a P-256 token key pair generated, then one ES256 signature, synchronous. */
  ecKeygenSign(load: LoadOptions): Promise<LoadResult>;
  /** The same for RSA-2048 (generation and RS256 signature async, as the worker does them). */
  rsaKeygenSign(load: LoadOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
const OAEP_SHA1: pkcs11js.Mechanism = {
  mechanism: pkcs11js.CKM_RSA_PKCS_OAEP,
  parameter: { type: pkcs11js.CK_PARAMS_RSA_OAEP, hashAlg: pkcs11js.CKM_SHA_1, mgf: pkcs11js.CKG_MGF1_SHA1, source: 1 } as pkcs11js.RsaOAEP,
};
const TOKEN_PRIVATE: pkcs11js.Template = [
  { type: pkcs11js.CKA_TOKEN, value: true },
  { type: pkcs11js.CKA_PRIVATE, value: true },
];
const SECRET_OBJECT: pkcs11js.Template = [
  { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
  { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
  { type: pkcs11js.CKA_TOKEN, value: false },
  { type: pkcs11js.CKA_SENSITIVE, value: false },
  { type: pkcs11js.CKA_EXTRACTABLE, value: true },
];

export async function openHsmCeilings(target: HsmCeilingTarget): Promise<HsmCeilings> {
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(target.module);
  let ownsInit = true;
  try {
    // Locking on: the async calls come from libuv's threads (see libs/hsm/src/pkcs11-library.ts).
    pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (err) {
    ownsInit = false;
    // The crypto-worker's adapter may share this process: one initialisation serves both.
    if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String((err as Error).message))) throw err;
  }
  const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === target.token);
  if (slot === undefined) throw new Error(`no token labelled '${target.token}'`);
  const open = () => pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  const main = open();
  try {
    pkcs11.C_Login(main, pkcs11js.CKU_USER, target.pin);
  } catch (err) {
    if (!/CKR_USER_ALREADY_LOGGED_IN/.test(String((err as Error).message))) throw err;
  }
  const asyncPool = new SessionPool(Array.from({ length: target.asyncSessions ?? threadPoolSize() }, open));

  // Bench keys stored like Coffer's (private token objects, which SoftHSM reads through its object
  // store on every operation: about 1.6x slower than session objects); destroyed in close().
  const rsa = pkcs11.C_GenerateKeyPair(main, { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [{ type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }, { type: pkcs11js.CKA_ENCRYPT, value: true }],
    [...TOKEN_PRIVATE, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true }, { type: pkcs11js.CKA_DECRYPT, value: true }]);
  const ec = pkcs11.C_GenerateKeyPair(main, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
    [{ type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }],
    [...TOKEN_PRIVATE, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_SIGN, value: true }]);
  const aes = pkcs11.C_GenerateKey(main, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
    ...TOKEN_PRIVATE, { type: pkcs11js.CKA_VALUE_LEN, value: 32 }, { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_WRAP, value: true }, { type: pkcs11js.CKA_UNWRAP, value: true },
  ]);

  const digest = createHash('sha256').update('bench').digest();
  const rsaInput = digestInfo('sha256', digest);
  pkcs11.C_EncryptInit(main, OAEP_SHA1, rsa.publicKey);
  const oaepCiphertext = Buffer.from(pkcs11.C_Encrypt(main, randomBytes(32), Buffer.alloc(256)));
  const wrapWith = (session: pkcs11js.Handle, bytes: Buffer) => {
    const object = pkcs11.C_CreateObject(session, [...SECRET_OBJECT, { type: pkcs11js.CKA_VALUE, value: bytes }]);
    try {
      return Buffer.from(pkcs11.C_WrapKey(session, { mechanism: pkcs11js.CKM_AES_KEY_WRAP }, aes, object, Buffer.alloc(bytes.length + 8)));
    } finally {
      pkcs11.C_DestroyObject(session, object);
    }
  };
  const wrapped = wrapWith(main, randomBytes(32));

  const rsaOp = (init: (s: pkcs11js.Handle) => void, run: (s: pkcs11js.Handle) => Promise<Buffer>) => () =>
    asyncPool.use(async (session) => {
      init(session);
      return run(session);
    });
  const loop = (name: string, op: () => Promise<unknown>, load: LoadOptions, gate?: Gate) =>
    runClosedLoop(gate ? `${name} + token` : name, gate ? async () => {
      await gate();
      return op();
    } : op, load);
  /** A synchronous call, as the worker makes it; the closed loop's other "in flight" ops wait their turn. */
  const syncOp = (fn: () => unknown) => async () => fn();

  // Key pairs as the worker makes a certificate's key: token objects (SoftHSM writes them to disk). Each is destroyed
  // right after its signature: left on the token, thousands of them would slow every later lookup (the stack's too).
  const tokenPrivate: pkcs11js.Template = [
    { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_SIGN, value: true }, { type: pkcs11js.CKA_LABEL, value: 'coffer-bench-keygen' },
  ];
  const destroyPair = (session: pkcs11js.Handle, pair: pkcs11js.KeyPair) => {
    pkcs11.C_DestroyObject(session, pair.privateKey);
    pkcs11.C_DestroyObject(session, pair.publicKey);
  };

  return {
    rs256Sign: (load, gate) =>
      loop('pkcs11 RS256 sign (async)', rsaOp((s) => pkcs11.C_SignInit(s, { mechanism: pkcs11js.CKM_RSA_PKCS }, rsa.privateKey),
        (s) => pkcs11.C_SignAsync(s, rsaInput, Buffer.alloc(256))), load, gate),
    rsaOaepDecrypt: (load, gate) =>
      loop('pkcs11 RSA-OAEP decrypt (async)', rsaOp((s) => pkcs11.C_DecryptInit(s, OAEP_SHA1, rsa.privateKey),
        (s) => pkcs11.C_DecryptAsync(s, oaepCiphertext, Buffer.alloc(256))), load, gate),
    es256Sign: (load, gate) =>
      loop('pkcs11 ES256 sign (sync)', syncOp(() => {
        pkcs11.C_SignInit(main, { mechanism: pkcs11js.CKM_ECDSA }, ec.privateKey);
        return pkcs11.C_Sign(main, digest, Buffer.alloc(64));
      }), load, gate),
    a256kwWrap: (load, gate) => loop('pkcs11 A256KW wrap (sync)', syncOp(() => wrapWith(main, randomBytes(32))), load, gate),
    a256kwUnwrap: (load, gate) =>
      loop('pkcs11 A256KW unwrap (sync)', syncOp(() => {
        const object = pkcs11.C_UnwrapKey(main, { mechanism: pkcs11js.CKM_AES_KEY_WRAP }, aes, wrapped, SECRET_OBJECT);
        try {
          return pkcs11.C_GetAttributeValue(main, object, [{ type: pkcs11js.CKA_VALUE }]);
        } finally {
          pkcs11.C_DestroyObject(main, object);
        }
      }), load, gate),
    ecKeygenSign: (load) =>
      runClosedLoop('pkcs11 EC P-256 keygen + ES256 sign (sync)', syncOp(() => {
        const pair = pkcs11.C_GenerateKeyPair(main, { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
          [{ type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_EC_PARAMS, value: P256_PARAMS }], tokenPrivate);
        try {
          pkcs11.C_SignInit(main, { mechanism: pkcs11js.CKM_ECDSA }, pair.privateKey);
          return pkcs11.C_Sign(main, digest, Buffer.alloc(64));
        } finally {
          destroyPair(main, pair);
        }
      }), load),
    rsaKeygenSign: (load) =>
      runClosedLoop('pkcs11 RSA-2048 keygen + RS256 sign (async)', () => asyncPool.use(async (session) => {
        const pair = await pkcs11.C_GenerateKeyPairAsync(session, { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
          [{ type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }],
          tokenPrivate);
        try {
          pkcs11.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, pair.privateKey);
          return await pkcs11.C_SignAsync(session, rsaInput, Buffer.alloc(256));
        } finally {
          destroyPair(session, pair);
        }
      }), load),
    async close() {
      for (const key of [rsa.privateKey, ec.privateKey, aes]) pkcs11.C_DestroyObject(main, key);
      const sessions = await asyncPool.close();
      // Closing the sessions destroys the bench's session objects; the stack's login stays (other process).
      for (const s of [...sessions, main]) pkcs11.C_CloseSession(s);
      if (ownsInit) pkcs11.C_Finalize();
    },
  };
}
