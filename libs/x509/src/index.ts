/**
 * @coffer/x509: pure X.509 groundwork for certificates whose private keys live in an HSM. Every
 * signature (certificate, CSR, CRL) goes through a caller-supplied X509Signer; nothing here holds a
 * signing key. Built on @peculiar/x509 and the @peculiar/asn1-* schemas; checked against OpenSSL.
 */
export { X509Error, X509InputError } from './errors';
export { SIGNATURE_ALGORITHMS, defaultSignatureAlgorithm } from './signer';
export type { X509SignatureAlgorithm, X509Signer } from './signer';
export { parseDistinguishedName, formatDistinguishedName } from './distinguished-name';
export type { DistinguishedName, DnAttribute } from './distinguished-name';
export { validateSans } from './subject-alternative-names';
export type { SubjectAlternativeNames } from './subject-alternative-names';
export { EKU, KEY_USAGES, validateEkus, validateKeyUsage } from './key-usage';
export type { KeyUsageName } from './key-usage';
export { addValidityMonths } from './validity';
export { randomSerialNumber } from './serial-number';
export { issueCertificate } from './issue-certificate';
export type { IssueCertificateRequest } from './issue-certificate';
export { createCsr, parseCsr } from './csr';
export type { CreateCsrRequest, ParsedCsr } from './csr';
export { parseCertificate, verifyIssuedBy } from './certificate';
export type { ParsedCertificate } from './certificate';
export { pemOf, derOf, splitPem, splitCertificates } from './pem';
export type { DerOrPem, PemBlock } from './pem';
export { publicKeysEqual, jwkFromSpki } from './public-keys';
export { createCrl, parseCrl } from './crl';
export type { CreateCrlRequest, ParsedCrl, RevocationReason, RevokedEntry } from './crl';
export { createPfx, readPfx } from './pkcs12';
export type { CreatePfxRequest, PfxContents } from './pkcs12';
export { WRONG_PASSWORD } from './pkcs12-crypto';
export { readPemBundle } from './pem-bundle';
export type { PemBundle, ReadPemBundleOptions } from './pem-bundle';
