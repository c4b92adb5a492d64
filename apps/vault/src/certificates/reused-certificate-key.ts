import { Injectable } from '@nestjs/common';
import { badParameter, CertificatePolicy, InnerErrorCodes, keyFamilyOf } from '@coffer/contracts';
import { certificateKeyFamily } from '@coffer/domain';
import { ReadModel } from '@coffer/read-model';
import { viewOfKeyRow } from '../keys/key.mapper';
import { SubjectKey } from './certificate-issuance';

/**
 * `reuse_key`: a new version of a certificate is issued for the current version's HSM key instead of
 * a new one. The key is what it is, so a policy that now asks for another type, size or curve is
 * refused (turn reuse_key off to change the key).
 */
@Injectable()
export class ReusedCertificateKey {
  constructor(private readonly readModel: ReadModel) {}

  async of(vault: string, name: string, currentVersion: string, policy: CertificatePolicy): Promise<SubjectKey> {
    const row = await this.readModel.getKeyVersion(vault, name, currentVersion);
    if (!row) throw new Error(`certificate ${vault}/${name} has no key for its current version ${currentVersion}`);
    const key = viewOfKeyRow(row);
    const family = keyFamilyOf(key.kty);
    const wanted = policy.key_props;
    const current = family === 'RSA' ? `RSA ${key.keySize}` : `EC ${key.crv}`;
    const asked = certificateKeyFamily(policy) === 'RSA' ? `RSA ${wanted.key_size}` : `EC ${wanted.crv}`;
    if (current !== asked) {
      throw badParameter(
        `key_props.reuse_key: the current key is ${current} but the policy asks for ${asked}; set reuse_key to false to get a new key.`,
        InnerErrorCodes.InvalidCertificatePolicy,
      );
    }
    return { hsmKeyId: key.hsmKeyId, publicKey: key.publicKey };
  }
}
