import {
  AES_GCM_IV_BYTES, AES_GCM_KEY_BITS, AES_GCM_TAG_BYTES, AES_KW_KEY_BITS, CURVES, Curve, DEFAULT_CURVE, DEFAULT_OCT_KEY_SIZE,
  DEFAULT_RSA_KEY_SIZE, EncryptionAlgorithm, KeyLimits, OCT_KEY_SIZES, PublicKeyMaterial, RSA_CIPHER_SPECS, RSA_KEY_SIZES,
  SIGNATURE_SPECS, SignatureAlgorithm, SignatureAlgorithmSpec, WrapAlgorithm,
} from '@coffer/contracts';
import { digestInfo, oaepDecode, rsaesEncrypt, rsaPkcs1VerifyDigest } from '@coffer/crypto';
import { createDecipheriv, createHash, randomBytes, verify } from 'node:crypto';
import * as pkcs11js from 'pkcs11js';
import { normaliseRawSignature } from './ec-encoding';
import { DecryptInput, EncryptResult, ExportedKey, HsmKeysPort, KeyGenerationSpec } from './hsm-keys.port';
import { HsmError, HsmErrorCodes, HsmOp, hsmCall, toHsmError } from './hsm.errors';
import { ecPointOf, integerBytes, parsePrivateJwk, publicKeyObject, publicOfParts, samePublicKey, stripZeros, wipeParts } from './jwk-material';
import { EcKeyRef, KeyDirectory, KeyRef, OctKeyRef, RsaKeyRef, octKeyId } from './key-directory';
import {
  AES_KEY_GEN, AES_KEY_WRAP, AES_KEY_WRAP_PAD, CURVE_INFO, EC_KEY_PAIR_GEN, ECDSA, RSA_KEY_PAIR_GEN, RSA_OAEP_SHA1, RSA_PKCS,
  RSA_X_509, aesGcm, rsaPss,
} from './key-mechanisms';
import {
  aesKeyTemplate, backupWrapKeySearchTemplate, ecPrivateTemplate, ecPublicTemplate, importTemplate, restoreTemplate,
  rsaPrivateTemplate, rsaTransientPublicTemplate, sessionWrapKeyTemplate, transientSecretTemplate,
} from './key-templates';
import { KeyedMutex } from './keyed-mutex';
import { SessionPool } from './session-pool';

type Handle = pkcs11js.Handle;

/** Bytes of the CKA_ID that pairs the objects of one creation. */
const PAIR_ID_BYTES = 16;
const DEFAULT_PUBLIC_EXPONENT = 65537;
/** Room for any export: PKCS#8 of an RSA-4096 key is about 2.4 KB, plus the RFC 5649 padding. */
const MAX_EXPORT_BYTES = 8192;
/** Smallest RFC 3394 input: two 64-bit blocks. */
const KW_MIN_BYTES = 16;
/** The most bytes OAEP/PKCS#1 v1.5 can carry in one block of `k` bytes. */
const RSA_OVERHEAD = { 'RSA-OAEP': 42, 'RSA-OAEP-256': 66, RSA1_5: 11 } as const;

/**
 * HsmKeysPort on a PKCS#11 token. RSA private-key work (sign, decrypt, key generation) runs with the
 * *Async pkcs11js calls on sessions of its own pool, on the libuv thread pool, so the event loop
 * stays free; EC and AES calls are fast enough to run synchronously on the shared pool. Every
 * object an operation creates for itself (AES key-wrap input, unwrapped bytes) is destroyed before
 * it returns, failures included.
 */
export class Pkcs11Keys implements HsmKeysPort {
  private readonly directory: KeyDirectory;
  private readonly creating = new KeyedMutex();
  private backupKey: Handle | undefined;

  constructor(
    private readonly pkcs11: pkcs11js.PKCS11,
    /** Sessions for synchronous calls (EC, AES, lookups). */
    private readonly pool: SessionPool<Handle>,
    /** Sessions for the *Async RSA calls: one per operation in flight on the thread pool. */
    private readonly rsaPool: SessionPool<Handle>,
  ) {
    this.directory = new KeyDirectory(pkcs11);
  }

  /** Forgets every cached handle (the sessions are closing). */
  reset(): void {
    this.directory.clear();
    this.backupKey = undefined;
  }

  // --- key objects ---------------------------------------------------------------------------

  async generateKey(hsmKeyId: string, spec: KeyGenerationSpec): Promise<PublicKeyMaterial> {
    const wanted = normaliseSpec(spec);
    return this.creating.run(hsmKeyId, async () => {
      const existing = await this.find(hsmKeyId);
      if (existing) {
        if (matchesSpec(existing, wanted)) return existing.kty === 'oct' ? { kty: 'oct' } : existing.publicKey;
        throw keyExists();
      }
      const pairId = randomBytes(PAIR_ID_BYTES);
      if (wanted.kty === 'RSA') {
        await this.rsaPool.use(async (session) => {
          const pair = await this.pkcs11
            .C_GenerateKeyPairAsync(session, RSA_KEY_PAIR_GEN, rsaTransientPublicTemplate(wanted.size, integerBytes(wanted.publicExponent)), rsaPrivateTemplate(hsmKeyId, pairId, spec.exportable === true))
            .catch((err) => Promise.reject(toHsmError(err, 'generate')));
          this.destroyQuietly(session, pair.publicKey);
        });
      } else {
        await this.pool.use((session) => {
          if (wanted.kty === 'EC') {
            hsmCall('generate', () =>
              this.pkcs11.C_GenerateKeyPair(session, EC_KEY_PAIR_GEN, ecPublicTemplate(hsmKeyId, pairId, wanted.crv), ecPrivateTemplate(hsmKeyId, pairId, spec.exportable === true)),
            );
          } else {
            hsmCall('generate', () =>
              this.pkcs11.C_GenerateKey(session, AES_KEY_GEN, [...aesKeyTemplate(hsmKeyId, pairId), { type: pkcs11js.CKA_VALUE_LEN, value: wanted.size / 8 }]),
            );
          }
        });
      }
      return this.publicKey(hsmKeyId);
    });
  }

  async importKey(hsmKeyId: string, jwk: Readonly<Record<string, unknown>>, options: { exportable?: boolean } = {}): Promise<PublicKeyMaterial> {
    const parts = parsePrivateJwk(jwk);
    try {
      const publicKey = publicOfParts(parts);
      return await this.creating.run(hsmKeyId, async () => {
        const existing = await this.find(hsmKeyId);
        if (existing) {
          // An identical retry is answered; oct keys cannot be compared without their material.
          if (existing.kty !== 'oct' && existing.kty === parts.kty && samePublicKey(existing.publicKey, publicKey)) return existing.publicKey;
          throw keyExists();
        }
        const pairId = randomBytes(PAIR_ID_BYTES);
        await this.pool.use((session) => {
          const created: Handle[] = [];
          try {
            created.push(hsmCall('create', () => this.pkcs11.C_CreateObject(session, importTemplate(hsmKeyId, pairId, parts, options.exportable === true))));
            if (parts.kty === 'EC') {
              created.push(hsmCall('create', () => this.pkcs11.C_CreateObject(session, ecPublicTemplate(hsmKeyId, pairId, parts.crv, ecPointOf(publicKey as EcKeyRef['publicKey'])))));
            }
            // The private members must belong to the public ones: one signature tells.
            if (parts.kty !== 'oct') this.selfTest(session, created[0], publicKey, 'the JWK');
          } catch (err) {
            created.forEach((object) => this.destroyQuietly(session, object));
            throw err;
          }
        });
        this.directory.forget(hsmKeyId);
        return publicKey;
      });
    } finally {
      wipeParts(parts);
    }
  }

  async publicKey(hsmKeyId: string): Promise<PublicKeyMaterial> {
    const key = await this.resolve(hsmKeyId);
    return key.kty === 'oct' ? { kty: 'oct' } : key.publicKey;
  }

  async destroyKeys(hsmKeyIds: readonly string[]): Promise<number> {
    return this.pool.use((session) => {
      let destroyed = 0;
      for (const hsmKeyId of hsmKeyIds) {
        this.directory.forget(hsmKeyId);
        for (let batch = this.directory.find(session, hsmKeyId, 64); batch.length > 0; batch = this.directory.find(session, hsmKeyId, 64)) {
          for (const object of batch) {
            hsmCall('destroy', () => this.pkcs11.C_DestroyObject(session, object));
            destroyed++;
          }
        }
      }
      return destroyed;
    });
  }

  async exportKey(hsmKeyId: string): Promise<ExportedKey> {
    const key = await this.resolve(hsmKeyId);
    const wrapped = await this.pool.use((session) =>
      this.withBackupKey(session, (backup) =>
        Buffer.from(hsmCall('export', () => this.pkcs11.C_WrapKey(session, AES_KEY_WRAP_PAD, backup, key.handle, Buffer.alloc(MAX_EXPORT_BYTES)))),
      ),
    );
    return { kty: key.kty, wrapped, publicKey: key.kty === 'oct' ? { kty: 'oct' } : key.publicKey };
  }

  /**
   * The private half of a key generated exportable, as PKCS#8 in plaintext: wrapped (AES key wrap
   * with padding) under a throwaway session AES key made here, then unwrapped in software, so the
   * material never crosses the PKCS#11 boundary unwrapped. Any other key refuses the wrap
   * (CKA_WRAP_WITH_TRUSTED): KeyNotExportable.
   */
  async exportPrivateKey(hsmKeyId: string): Promise<Buffer> {
    const key = await this.resolve(hsmKeyId);
    if (key.kty === 'oct') throw unsupported('only RSA and EC private keys can be exported');
    const kek = randomBytes(32);
    try {
      const wrapped = await this.pool.use((session) => {
        const object = hsmCall('export', () => this.pkcs11.C_CreateObject(session, sessionWrapKeyTemplate(kek)));
        try {
          return Buffer.from(hsmCall('export', () => this.pkcs11.C_WrapKey(session, AES_KEY_WRAP_PAD, object, key.handle, Buffer.alloc(MAX_EXPORT_BYTES))));
        } finally {
          this.destroyQuietly(session, object);
        }
      });
      const decipher = createDecipheriv('id-aes256-wrap-pad', kek, Buffer.from('A65959A6', 'hex'));
      return Buffer.concat([decipher.update(wrapped), decipher.final()]);
    } finally {
      kek.fill(0);
    }
  }

  async restoreKey(hsmKeyId: string, exported: ExportedKey): Promise<PublicKeyMaterial> {
    const { kty, wrapped, publicKey } = exported;
    if (publicKey.kty !== kty) throw invalid(`the backup's public key is not an ${kty} key`);
    if (kty !== 'oct') publicKeyObject(publicKey);
    if (wrapped.length < 16 || wrapped.length > MAX_EXPORT_BYTES || wrapped.length % 8 !== 0) {
      throw new HsmError(HsmErrorCodes.InvalidWrappedKey, 'the backup has an impossible length');
    }
    return this.creating.run(hsmKeyId, async () => {
      const existing = await this.find(hsmKeyId);
      if (existing) {
        if (existing.kty !== 'oct' && existing.kty === kty && samePublicKey(existing.publicKey, publicKey)) return existing.publicKey;
        throw keyExists();
      }
      const pairId = randomBytes(PAIR_ID_BYTES);
      await this.pool.use((session) =>
        this.withBackupKey(session, (backup) => {
          const created: Handle[] = [];
          try {
            // SoftHSM leaves CKA_VALUE_LEN of an unwrapped AES key at 0 (and read-only), so the size
            // goes into the CKA_ID instead: an AES key is a multiple of 8 bytes, RFC 5649 adds exactly 8.
            const id = kty === 'oct' ? octKeyId(pairId, wrapped.length - 8) : pairId;
            const key = hsmCall('unwrap', () => this.pkcs11.C_UnwrapKey(session, AES_KEY_WRAP_PAD, backup, wrapped, restoreTemplate(hsmKeyId, id, kty)));
            created.push(key);
            if (publicKey.kty === 'EC') {
              created.push(hsmCall('create', () => this.pkcs11.C_CreateObject(session, ecPublicTemplate(hsmKeyId, pairId, publicKey.crv, ecPointOf(publicKey)))));
            }
            if (kty !== 'oct') this.selfTest(session, key, publicKey, 'the backup');
          } catch (err) {
            created.forEach((object) => this.destroyQuietly(session, object));
            throw err;
          }
        }),
      );
      this.directory.forget(hsmKeyId);
      return this.publicKey(hsmKeyId);
    });
  }

  async randomBytes(count: number): Promise<Buffer> {
    if (!Number.isInteger(count) || count < KeyLimits.randomBytesMin || count > KeyLimits.randomBytesMax) {
      throw invalid(`count must be an integer from ${KeyLimits.randomBytesMin} to ${KeyLimits.randomBytesMax}`);
    }
    return this.pool.use((session) => Buffer.from(hsmCall('random', () => this.pkcs11.C_GenerateRandom(session, Buffer.alloc(count)))));
  }

  // --- operations ----------------------------------------------------------------------------

  async sign(hsmKeyId: string, alg: SignatureAlgorithm, digest: Buffer): Promise<Buffer> {
    const spec = signatureSpec(alg);
    checkDigest(alg, spec, digest);
    const key = await this.resolve(hsmKeyId);
    checkSignatureKey(key, alg, spec);
    return this.guard(hsmKeyId, this.signWith(key, spec, digest));
  }

  async signBatch(hsmKeyId: string, alg: SignatureAlgorithm, digests: readonly Buffer[]): Promise<Array<Buffer | HsmError>> {
    const spec = signatureSpec(alg);
    const key = await this.resolve(hsmKeyId);
    checkSignatureKey(key, alg, spec);
    // RSA items spread over the async sessions; EC items queue for the synchronous ones.
    return Promise.all(
      digests.map((digest) =>
        this.guard(hsmKeyId, Promise.resolve().then(() => {
          checkDigest(alg, spec, digest);
          return this.signWith(key, spec, digest);
        })).catch((err: unknown) => toHsmError(err, 'sign')),
      ),
    );
  }

  async encrypt(hsmKeyId: string, alg: EncryptionAlgorithm, plaintext: Buffer, aad?: Buffer): Promise<EncryptResult> {
    const key = await this.resolve(hsmKeyId);
    return this.guard(hsmKeyId, this.encryptWith(key, alg, plaintext, aad));
  }

  async encryptBatch(
    hsmKeyId: string, alg: EncryptionAlgorithm, items: ReadonlyArray<{ value: Buffer; aad?: Buffer }>,
  ): Promise<Array<EncryptResult | HsmError>> {
    const key = await this.resolve(hsmKeyId);
    checkCipherKey(key, alg);
    return Promise.all(
      items.map((item) => this.guard(hsmKeyId, this.encryptWith(key, alg, item.value, item.aad)).catch((err: unknown) => toHsmError(err, 'encrypt'))),
    );
  }

  async decrypt(hsmKeyId: string, alg: EncryptionAlgorithm, input: DecryptInput): Promise<Buffer> {
    const key = await this.resolve(hsmKeyId);
    checkCipherKey(key, alg);
    if (isRsaCipher(alg)) {
      if (input.iv || input.tag || input.aad) throw invalid('iv, tag and aad are only for AES-GCM');
      return this.guard(hsmKeyId, this.rsaDecrypt(key as RsaKeyRef, alg, input.value));
    }
    const { value, iv, tag, aad } = input;
    if (!iv || iv.length !== AES_GCM_IV_BYTES) throw invalid(`${alg} decryption needs the ${AES_GCM_IV_BYTES}-byte iv`);
    if (!tag || tag.length !== AES_GCM_TAG_BYTES) throw invalid(`${alg} decryption needs the ${AES_GCM_TAG_BYTES}-byte tag`);
    if (value.length === 0) throw invalid('value must not be empty');
    return this.guard(hsmKeyId, this.pool.use((session) =>
      decrypting(() => {
        hsmCall('decrypt', () => this.pkcs11.C_DecryptInit(session, aesGcm(iv, aad), key.handle));
        return Buffer.from(hsmCall('decrypt', () => this.pkcs11.C_Decrypt(session, Buffer.concat([value, tag]), Buffer.alloc(value.length + AES_GCM_TAG_BYTES))));
      }),
    ));
  }

  async wrapKey(hsmKeyId: string, alg: WrapAlgorithm, keyBytes: Buffer): Promise<Buffer> {
    const key = await this.resolve(hsmKeyId);
    return this.guard(hsmKeyId, this.wrapWith(key, alg, keyBytes));
  }

  async unwrapKey(hsmKeyId: string, alg: WrapAlgorithm, wrapped: Buffer): Promise<Buffer> {
    const key = await this.resolve(hsmKeyId);
    checkWrapKey(key, alg);
    if (isRsaCipher(alg)) {
      // unwrapKey is a decrypt whose result is the caller's key: one error for any bad input.
      return this.guard(hsmKeyId, this.rsaDecrypt(key as RsaKeyRef, alg, wrapped)).catch((err: unknown) => {
        throw err instanceof HsmError && err.code === HsmErrorCodes.DecryptionFailed ? invalidWrapped(err) : err;
      });
    }
    if (wrapped.length < KW_MIN_BYTES + 8 || wrapped.length % 8 !== 0 || wrapped.length > KeyLimits.operationValueMaxBytes + 8) {
      throw invalidWrapped();
    }
    return this.guard(hsmKeyId, this.pool.use((session) => {
      const object = hsmCall('unwrap', () => this.pkcs11.C_UnwrapKey(session, AES_KEY_WRAP, key.handle, wrapped, transientSecretTemplate()));
      try {
        const [attr] = hsmCall('read', () => this.pkcs11.C_GetAttributeValue(session, object, [{ type: pkcs11js.CKA_VALUE }]));
        if (!Buffer.isBuffer(attr?.value)) throw new HsmError(HsmErrorCodes.DeviceError, 'the HSM returned no unwrapped value');
        return Buffer.from(attr.value);
      } finally {
        this.destroyQuietly(session, object);
      }
    }));
  }

  async rewrap(fromHsmKeyId: string, toHsmKeyId: string, alg: WrapAlgorithm, wrapped: Buffer, toPublicKey?: PublicKeyMaterial): Promise<Buffer> {
    // Check the target first: nothing is decrypted for a wrap that cannot happen.
    const target = await this.resolve(toHsmKeyId);
    checkWrapKey(target, alg);
    // The target's public key comes from the token; a caller-supplied one must agree with it.
    if (toPublicKey && (target.kty === 'oct' || !samePublicKey(target.publicKey, toPublicKey))) {
      throw invalid("toPublicKey is not the target key's public key");
    }
    const plaintext = await this.unwrapKey(fromHsmKeyId, alg, wrapped);
    try {
      return await this.guard(toHsmKeyId, this.wrapWith(target, alg, plaintext));
    } finally {
      plaintext.fill(0);
    }
  }

  // --- internals -----------------------------------------------------------------------------

  private async signWith(key: KeyRef, spec: SignatureAlgorithmSpec, digest: Buffer): Promise<Buffer> {
    if (key.kty === 'RSA') {
      const pkcs1 = spec.padding === 'pkcs1';
      const mechanism = pkcs1 ? RSA_PKCS : rsaPss(spec.digest, spec.digestBytes);
      const data = pkcs1 ? digestInfo(spec.digest, digest) : digest;
      return this.rsaPool.use((session) => this.rsaCall('sign', () => this.pkcs11.C_SignInit(session, mechanism, key.handle),
        () => this.pkcs11.C_SignAsync(session, data, Buffer.alloc(key.modulusBytes))));
    }
    const ec = key as EcKeyRef;
    const fieldBytes = CURVE_INFO[ec.crv].fieldBytes;
    return this.pool.use((session) => {
      hsmCall('sign', () => this.pkcs11.C_SignInit(session, ECDSA, ec.handle));
      const raw = hsmCall('sign', () => this.pkcs11.C_Sign(session, digest, Buffer.alloc(2 * fieldBytes)));
      const signature = normaliseRawSignature(Buffer.from(raw), fieldBytes);
      if (!signature) throw new HsmError(HsmErrorCodes.DeviceError, `the HSM returned a ${raw.length}-byte ${ec.crv} signature`);
      return signature;
    });
  }

  private async encryptWith(key: KeyRef, alg: EncryptionAlgorithm, plaintext: Buffer, aad: Buffer | undefined): Promise<EncryptResult> {
    checkCipherKey(key, alg);
    if (isRsaCipher(alg)) {
      if (aad) throw invalid('aad is only for AES-GCM');
      return { value: rsaEncrypt(key as RsaKeyRef, alg, plaintext) };
    }
    if (plaintext.length === 0) throw invalid('value must not be empty');
    if (plaintext.length > KeyLimits.operationValueMaxBytes) throw invalid(`value must be at most ${KeyLimits.operationValueMaxBytes} bytes`);
    return this.pool.use((session) => {
      // A fresh random 96-bit IV per message from the HSM's generator.
      const iv = Buffer.from(hsmCall('random', () => this.pkcs11.C_GenerateRandom(session, Buffer.alloc(AES_GCM_IV_BYTES))));
      hsmCall('encrypt', () => this.pkcs11.C_EncryptInit(session, aesGcm(iv, aad), key.handle));
      const out = hsmCall('encrypt', () => this.pkcs11.C_Encrypt(session, plaintext, Buffer.alloc(plaintext.length + AES_GCM_TAG_BYTES)));
      const split = out.length - AES_GCM_TAG_BYTES;
      return { value: Buffer.from(out.subarray(0, split)), iv, tag: Buffer.from(out.subarray(split)) };
    });
  }

  private async wrapWith(key: KeyRef, alg: WrapAlgorithm, keyBytes: Buffer): Promise<Buffer> {
    checkWrapKey(key, alg);
    if (isRsaCipher(alg)) return rsaEncrypt(key as RsaKeyRef, alg, keyBytes);
    if (keyBytes.length < KW_MIN_BYTES || keyBytes.length % 8 !== 0 || keyBytes.length > KeyLimits.operationValueMaxBytes) {
      throw invalid(`${alg} wraps a key of at least ${KW_MIN_BYTES} bytes, in multiples of 8`);
    }
    return this.pool.use((session) => {
      // SoftHSM does RFC 3394 only through C_WrapKey: the bytes become a session object for one call.
      const object = hsmCall('create', () => this.pkcs11.C_CreateObject(session, transientSecretTemplate(keyBytes)));
      try {
        return Buffer.from(hsmCall('wrap', () => this.pkcs11.C_WrapKey(session, AES_KEY_WRAP, key.handle, object, Buffer.alloc(keyBytes.length + 8))));
      } finally {
        this.destroyQuietly(session, object);
      }
    });
  }

  /** RSA decryption on the thread pool; RSA-OAEP-256 decrypts raw and unpads here (SoftHSM has only OAEP-SHA-1). */
  private async rsaDecrypt(key: RsaKeyRef, alg: keyof typeof RSA_CIPHER_SPECS, ciphertext: Buffer): Promise<Buffer> {
    if (ciphertext.length !== key.modulusBytes) throw decryptionFailed();
    const mechanism = alg === 'RSA-OAEP' ? RSA_OAEP_SHA1 : alg === 'RSA1_5' ? RSA_PKCS : RSA_X_509;
    return decryptingAsync(async () => {
      const out = await this.rsaPool.use((session) => this.rsaCall('decrypt', () => this.pkcs11.C_DecryptInit(session, mechanism, key.handle),
        () => this.pkcs11.C_DecryptAsync(session, ciphertext, Buffer.alloc(key.modulusBytes))));
      if (alg !== 'RSA-OAEP-256') return out;
      // Raw RSA may drop leading zero bytes; EME-OAEP needs the full k-byte block.
      const em = Buffer.alloc(key.modulusBytes);
      out.copy(em, key.modulusBytes - out.length);
      out.fill(0);
      try {
        const plaintext = oaepDecode(em, 'sha256');
        if (!plaintext) throw decryptionFailed();
        return plaintext;
      } finally {
        em.fill(0);
      }
    });
  }

  /** C_*Init synchronously, then the *Async call; a failed operation leaves nothing active on the session. */
  private async rsaCall(op: HsmOp, init: () => void, run: () => Promise<Buffer>): Promise<Buffer> {
    hsmCall(op, init);
    try {
      return Buffer.from(await run());
    } catch (err) {
      // PKCS#11 ends an operation on any failure except CKR_BUFFER_TOO_SMALL (buffers here are exact).
      throw toHsmError(err, op);
    }
  }

  /** Signs a random digest with a newly created private key and verifies it in software against `publicKey`. */
  private selfTest(session: Handle, privateKey: Handle, publicKey: PublicKeyMaterial, what: string): void {
    const digest = randomBytes(32);
    let ok: boolean;
    try {
      if (publicKey.kty === 'RSA') {
        hsmCall('sign', () => this.pkcs11.C_SignInit(session, RSA_PKCS, privateKey));
        const bytes = stripZeros(Buffer.from(publicKey.n, 'base64url')).length;
        const signature = hsmCall('sign', () => this.pkcs11.C_Sign(session, digestInfo('sha256', digest), Buffer.alloc(bytes)));
        ok = verifyRsaDigest(publicKey, digest, signature);
      } else if (publicKey.kty === 'EC') {
        const fieldBytes = CURVE_INFO[publicKey.crv].fieldBytes;
        hsmCall('sign', () => this.pkcs11.C_SignInit(session, ECDSA, privateKey));
        const signature = hsmCall('sign', () => this.pkcs11.C_Sign(session, createHash('sha256').update(digest).digest(), Buffer.alloc(2 * fieldBytes)));
        ok = verifyEcDigest(publicKey, digest, signature);
      } else {
        return;
      }
    } catch (err) {
      const error = toHsmError(err, 'sign');
      if (error.code === HsmErrorCodes.DeviceError && error.ckr) throw invalid(`${what} is not a usable key`);
      throw error;
    }
    if (!ok) throw invalid(`the private half of ${what} does not match its public key`);
  }

  private async resolve(hsmKeyId: string): Promise<KeyRef> {
    const key = await this.find(hsmKeyId);
    if (!key) throw new HsmError(HsmErrorCodes.KeyNotFound, 'unknown key');
    return key;
  }

  private async find(hsmKeyId: string): Promise<KeyRef | undefined> {
    return this.directory.cached(hsmKeyId) ?? this.pool.use((session) => this.directory.lookup(session, hsmKeyId));
  }

  /** A key whose handle went stale (destroyed by another process) is looked up afresh next time. */
  private async guard<T>(hsmKeyId: string, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (err) {
      if (err instanceof HsmError && err.code === HsmErrorCodes.KeyNotFound) this.directory.forget(hsmKeyId);
      throw err;
    }
  }

  /** Runs `use` with the trusted backup key; a cached handle gone stale is looked up once more. */
  private withBackupKey<T>(session: Handle, use: (backup: Handle) => T): T {
    const cached = this.backupKey !== undefined;
    const backup = this.backupKey ?? this.findBackupKey(session);
    try {
      return use(backup);
    } catch (err) {
      if (!(err instanceof HsmError && err.ckr && /WRAPPING_KEY_HANDLE_INVALID/.test(err.ckr))) throw err;
      this.backupKey = undefined;
      if (!cached) throw err;
      return use(this.findBackupKey(session));
    }
  }

  private findBackupKey(session: Handle): Handle {
    const found = hsmCall('find', () => {
      this.pkcs11.C_FindObjectsInit(session, backupWrapKeySearchTemplate());
      try {
        return this.pkcs11.C_FindObjects(session, 1);
      } finally {
        this.pkcs11.C_FindObjectsFinal(session);
      }
    });
    if (found.length === 0) {
      throw new HsmError(HsmErrorCodes.BackupKeyMissing, 'the token has no trusted backup wrapping key (infra/scripts/init-token.sh creates it)');
    }
    this.backupKey = found[0];
    return found[0];
  }

  private destroyQuietly(session: Handle, object: Handle): void {
    try {
      this.pkcs11.C_DestroyObject(session, object);
    } catch {
      // A session object that cannot be destroyed still dies with its session.
    }
  }
}

interface WantedKey {
  kty: 'RSA' | 'EC' | 'oct';
  size: number;
  publicExponent: number;
  crv: Curve;
}

function normaliseSpec(spec: KeyGenerationSpec): WantedKey {
  const publicExponent = spec.publicExponent ?? DEFAULT_PUBLIC_EXPONENT;
  switch (spec.kty) {
    case 'RSA': {
      const size = spec.size ?? DEFAULT_RSA_KEY_SIZE;
      if (!(RSA_KEY_SIZES as readonly number[]).includes(size)) throw unsupported(`an RSA key is ${RSA_KEY_SIZES.join(', ')} bits`);
      if (!Number.isSafeInteger(publicExponent) || publicExponent < 3 || publicExponent % 2 === 0 || publicExponent > 0xffffffff) {
        throw invalid('publicExponent must be an odd integer from 3 to 2^32-1');
      }
      return { kty: 'RSA', size, publicExponent, crv: DEFAULT_CURVE };
    }
    case 'EC': {
      const crv = spec.crv ?? DEFAULT_CURVE;
      if (!(CURVES as readonly string[]).includes(crv)) throw unsupported(`crv must be one of ${CURVES.join(', ')}`);
      return { kty: 'EC', size: 0, publicExponent, crv };
    }
    case 'oct': {
      const size = spec.size ?? DEFAULT_OCT_KEY_SIZE;
      if (!(OCT_KEY_SIZES as readonly number[]).includes(size)) throw unsupported(`an oct key is ${OCT_KEY_SIZES.join(', ')} bits`);
      return { kty: 'oct', size, publicExponent, crv: DEFAULT_CURVE };
    }
    default:
      throw unsupported('kty must be RSA, EC or oct');
  }
}

function matchesSpec(key: KeyRef, wanted: WantedKey): boolean {
  if (key.kty !== wanted.kty) return false;
  if (key.kty === 'RSA') return key.bits === wanted.size && key.publicKey.e === integerBytes(wanted.publicExponent).toString('base64url');
  if (key.kty === 'EC') return key.crv === wanted.crv;
  return key.bits === wanted.size;
}

function signatureSpec(alg: string): SignatureAlgorithmSpec {
  const spec = Object.prototype.hasOwnProperty.call(SIGNATURE_SPECS, alg) ? SIGNATURE_SPECS[alg as SignatureAlgorithm] : undefined;
  if (!spec) throw unsupported(`unknown signature algorithm`);
  return spec;
}

function checkDigest(alg: string, spec: SignatureAlgorithmSpec, digest: Buffer): void {
  if (!Buffer.isBuffer(digest) || digest.length !== spec.digestBytes) {
    throw new HsmError(HsmErrorCodes.InvalidDigest, `${alg} signs a ${spec.digestBytes}-byte ${spec.digest} digest (got ${Buffer.isBuffer(digest) ? digest.length : 0} bytes)`);
  }
}

function checkSignatureKey(key: KeyRef, alg: string, spec: SignatureAlgorithmSpec): void {
  if (key.kty !== spec.family) throw unsupported(`${alg} needs an ${spec.family} key, this is an ${key.kty} key`);
  if (key.kty === 'EC' && key.crv !== spec.curve) throw unsupported(`${alg} needs a ${spec.curve} key, this key is ${key.crv}`);
}

const isRsaCipher = (alg: string): alg is keyof typeof RSA_CIPHER_SPECS => Object.prototype.hasOwnProperty.call(RSA_CIPHER_SPECS, alg);

function checkCipherKey(key: KeyRef, alg: string): void {
  if (isRsaCipher(alg)) {
    if (key.kty !== 'RSA') throw unsupported(`${alg} needs an RSA key, this is an ${key.kty} key`);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(AES_GCM_KEY_BITS, alg)) throw unsupported('unknown encryption algorithm');
  checkAesKey(key, alg, AES_GCM_KEY_BITS[alg as keyof typeof AES_GCM_KEY_BITS]);
}

function checkWrapKey(key: KeyRef, alg: string): void {
  if (isRsaCipher(alg)) {
    if (key.kty !== 'RSA') throw unsupported(`${alg} needs an RSA key, this is an ${key.kty} key`);
    return;
  }
  if (!Object.prototype.hasOwnProperty.call(AES_KW_KEY_BITS, alg)) throw unsupported('unknown key wrap algorithm');
  checkAesKey(key, alg, AES_KW_KEY_BITS[alg as keyof typeof AES_KW_KEY_BITS]);
}

function checkAesKey(key: KeyRef, alg: string, bits: number): asserts key is OctKeyRef {
  if (key.kty !== 'oct') throw unsupported(`${alg} needs an oct key, this is an ${key.kty} key`);
  if (key.bits !== bits) throw unsupported(`${alg} needs a ${bits}-bit key, this key has ${key.bits} bits`);
}

/** RSA encryption in software on the public half (OAEP-SHA-1, OAEP-SHA-256 or PKCS#1 v1.5). */
function rsaEncrypt(key: RsaKeyRef, alg: keyof typeof RSA_CIPHER_SPECS, plaintext: Buffer): Buffer {
  const max = key.modulusBytes - RSA_OVERHEAD[alg];
  if (plaintext.length > max) throw invalid(`${alg} with a ${key.bits}-bit key carries at most ${max} bytes`);
  return rsaesEncrypt(key.publicKeyObject, RSA_CIPHER_SPECS[alg], plaintext);
}

/** PKCS#1 v1.5 type-1 unpadding with the public key recovers exactly the DigestInfo that was signed. */
function verifyRsaDigest(publicKey: PublicKeyMaterial, digest: Buffer, signature: Buffer): boolean {
  try {
    return rsaPkcs1VerifyDigest(publicKeyObject(publicKey), 'sha256', digest, signature);
  } catch {
    return false;
  }
}

/** ECDSA over a SHA-256 digest: node:crypto verifies the message the digest came from. */
function verifyEcDigest(publicKey: PublicKeyMaterial, message: Buffer, signature: Buffer): boolean {
  return verify('sha256', message, { key: publicKeyObject(publicKey), dsaEncoding: 'ieee-p1363' }, signature);
}

/** Every data-dependent failure inside `fn` becomes the one DecryptionFailed. */
function decrypting<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asDecryptionFailure(err);
  }
}

async function decryptingAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asDecryptionFailure(err);
  }
}

function asDecryptionFailure(err: unknown): unknown {
  if (!(err instanceof HsmError)) return err;
  return err.code === HsmErrorCodes.DecryptionFailed ? decryptionFailed(err) : err;
}

const keyExists = () => new HsmError(HsmErrorCodes.KeyExists, 'the key version already exists with other key material');
const unsupported = (message: string) => new HsmError(HsmErrorCodes.UnsupportedAlgorithm, message);
const invalid = (message: string) => new HsmError(HsmErrorCodes.InvalidInput, message);
const decryptionFailed = (cause?: unknown) =>
  new HsmError(HsmErrorCodes.DecryptionFailed, 'the ciphertext does not decrypt under this key', cause === undefined ? undefined : { cause });
const invalidWrapped = (cause?: unknown) =>
  new HsmError(HsmErrorCodes.InvalidWrappedKey, 'the wrapped key does not unwrap under this key', cause === undefined ? undefined : { cause });
