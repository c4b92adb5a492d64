import { AsnConvert } from '@peculiar/asn1-schema';
import { ExtendedKeyUsage, KeyUsage } from '@peculiar/asn1-x509';
import { x509 } from './peculiar';
import { X509InputError } from './errors';

/** Azure Key Vault's key_usage names, which are RFC 5280's KeyUsage bit names. */
export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

/** Well-known extended key usages (Azure's policy takes the OIDs). */
export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
} as const;

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

export function validateKeyUsage(usages: readonly string[] | undefined): KeyUsageName[] | undefined {
  if (usages === undefined || usages === null) return undefined;
  if (!Array.isArray(usages)) throw new X509InputError('keyUsage must be an array of names');
  for (const u of usages) {
    if (!KEY_USAGES.includes(u as KeyUsageName)) throw new X509InputError(`unknown key usage '${String(u)}' (one of ${KEY_USAGES.join(', ')})`);
  }
  if ((usages.includes('encipherOnly') || usages.includes('decipherOnly')) && !usages.includes('keyAgreement')) {
    throw new X509InputError('encipherOnly and decipherOnly need keyAgreement (RFC 5280 §4.2.1.3)');
  }
  return [...new Set(usages as KeyUsageName[])];
}

export function validateEkus(ekus: readonly string[] | undefined): string[] | undefined {
  if (ekus === undefined || ekus === null) return undefined;
  if (!Array.isArray(ekus)) throw new X509InputError('ekus must be an array of OIDs');
  for (const e of ekus) {
    if (typeof e !== 'string' || !OID.test(e)) throw new X509InputError(`EKU '${String(e)}' is not an OID such as ${EKU.serverAuth}`);
  }
  return [...new Set(ekus)];
}

/** keyUsage extension, critical as RFC 5280 §4.2.1.3 recommends. */
export function keyUsageExtension(usages: readonly KeyUsageName[]): x509.Extension {
  const flags = usages.reduce((f, u) => f | x509.KeyUsageFlags[u], 0);
  return new x509.KeyUsagesExtension(flags, true);
}

export function ekuExtension(ekus: readonly string[]): x509.Extension {
  return new x509.ExtendedKeyUsageExtension([...ekus], false);
}

export function parseKeyUsageValue(value: ArrayBuffer): KeyUsageName[] {
  const flags = AsnConvert.parse(value, KeyUsage).toNumber();
  return KEY_USAGES.filter((u) => (flags & x509.KeyUsageFlags[u]) !== 0);
}

export function parseEkuValue(value: ArrayBuffer): string[] {
  return [...AsnConvert.parse(value, ExtendedKeyUsage)];
}
