import { Injectable } from '@nestjs/common';
import {
  CertificateContentType, CertificateVersionParts, Curve, DEFAULT_KEY_OPS, hsmKeyTypeOf, KeyVersionRecord, PublicKeyMaterial,
} from '@coffer/contracts';
import { ReadModel, VaultRow } from '@coffer/read-model';
import { createPfx, parseCertificate, pemOf } from '@coffer/x509';
import { DataKeysService } from '../crypto/data-keys.service';
import { SecretValuesService } from '../secrets/secret-values.service';
import { Material } from '../objects/object-kind';

/** A new version's ingredients: the HSM key that exists, the signed certificate, the chain, and (exportable only) the private key. */
export interface VersionInput {
  vault: VaultRow;
  name: string;
  version: string;
  hsmKeyId: string;
  family: 'RSA' | 'EC';
  keySize?: number;
  crv?: Curve;
  publicKey: PublicKeyMaterial;
  certificate: Buffer;
  chain: Buffer[];
  /** PKCS#8 DER; only for an exportable policy. Zeroed once packaged. */
  privateKeyPkcs8?: Buffer;
  contentType: CertificateContentType;
  enabled?: boolean;
  tags?: Record<string, string>;
  now: Date;
  made: Material;
}

/**
 * The secret's content, as Azure stores it: a PFX (base64, empty password) or PEM text; the
 * private key is in it only when the policy makes the key exportable, else the chain alone.
 */
export function certificateSecretValue(contentType: CertificateContentType, certificates: Buffer[], privateKeyPkcs8?: Buffer): string {
  if (contentType === 'application/x-pkcs12') return createPfx({ certificates, privateKeyPkcs8, password: '' }).toString('base64');
  const key = privateKeyPkcs8 ? pemOf(privateKeyPkcs8, 'PRIVATE KEY') : '';
  return key + certificates.map((der) => pemOf(der, 'CERTIFICATE')).join('');
}

/** Builds the three records of one certificate version (certificate, key, encrypted secret). */
@Injectable()
export class CertificateVersions {
  constructor(private readonly readModel: ReadModel, private readonly dataKeys: DataKeysService, private readonly values: SecretValuesService) {}

  /** The secret object's data key, or a fresh one for a new object (recorded in `made`, so a failed append shreds it). */
  async dataKeyFor(vault: VaultRow, name: string, made: Material): Promise<number> {
    const head = await this.readModel.getSecret(vault.name, name);
    if (head) return head.dek;
    const { dek } = await this.dataKeys.create(vault.name, vault.kekId, name);
    made.deks.push(dek);
    return dek;
  }

  async parts(input: VersionInput): Promise<CertificateVersionParts> {
    const { vault, name, version, now } = input;
    const created = now.toISOString();
    const parsed = parseCertificate(input.certificate);
    const validity = { nbf: parsed.notBefore.toISOString(), exp: parsed.notAfter.toISOString() };
    const enabled = input.enabled ?? true;
    let content: string;
    try {
      content = certificateSecretValue(input.contentType, [input.certificate, ...input.chain], input.privateKeyPkcs8);
    } finally {
      input.privateKeyPkcs8?.fill(0);
    }
    const dek = await this.dataKeyFor(vault, name, input.made);
    const key: KeyVersionRecord = {
      version,
      hsmKeyId: input.hsmKeyId,
      kty: hsmKeyTypeOf(input.family),
      ...(input.keySize !== undefined && { keySize: input.keySize }),
      ...(input.crv !== undefined && { crv: input.crv }),
      keyOps: [...DEFAULT_KEY_OPS[input.family]],
      publicKey: input.publicKey,
      attributes: { enabled, ...validity },
      created,
      updated: created,
    };
    return {
      certificate: {
        version,
        cer: input.certificate.toString('base64'),
        x5t: parsed.x5t,
        serialNumber: parsed.serialNumber,
        subject: parsed.subject,
        issuer: parsed.issuer,
        chain: input.chain.map((c) => c.toString('base64')),
        attributes: { enabled, ...validity },
        ...(input.tags !== undefined && { tags: input.tags }),
        created,
        updated: created,
      },
      key,
      secret: {
        version,
        value: await this.values.encrypt(vault.name, name, version, dek, content),
        attributes: { enabled, ...validity },
        contentType: input.contentType,
        created,
        updated: created,
      },
    };
  }
}
