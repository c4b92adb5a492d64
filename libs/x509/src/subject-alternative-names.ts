import { isIP } from 'node:net';
import { AsnConvert } from '@peculiar/asn1-schema';
import { DirectoryString, GeneralName, GeneralNames, OtherName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { x509 } from './peculiar';
import { X509InputError } from './errors';

/** SANs as Azure's policy names them (x509_props.sans). */
export interface SubjectAlternativeNames {
  dnsNames?: string[];
  emails?: string[];
  /** User principal names (Microsoft otherName 1.3.6.1.4.1.311.20.2.3). */
  upns?: string[];
  ipAddresses?: string[];
  uris?: string[];
}

const UPN_OID = '1.3.6.1.4.1.311.20.2.3';
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;

function hostnameOk(name: string): boolean {
  return name.length <= 253 && HOSTNAME.test(name.endsWith('.') ? name.slice(0, -1) : name);
}

/** Validated and normalized (IPs in canonical text form) SANs; throws X509InputError naming the bad entry. */
export function validateSans(sans: SubjectAlternativeNames | undefined): Required<SubjectAlternativeNames> {
  const out: Required<SubjectAlternativeNames> = { dnsNames: [], emails: [], upns: [], ipAddresses: [], uris: [] };
  if (sans === undefined || sans === null) return out;
  if (typeof sans !== 'object') throw new X509InputError('sans must be an object');
  const list = (field: keyof SubjectAlternativeNames): string[] => {
    const v = sans[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new X509InputError(`sans.${field} must be an array of strings`);
    return v;
  };
  for (const name of list('dnsNames')) {
    // A wildcard only as the whole leftmost label (RFC 6125 §6.4.3 as browsers apply it).
    const host = name.startsWith('*.') ? name.slice(2) : name;
    if (!hostnameOk(host)) throw new X509InputError(`SAN DNS name '${name}' is not a valid host name`);
    out.dnsNames.push(name);
  }
  for (const email of list('emails')) {
    const at = email.lastIndexOf('@');
    if (at < 1 || !LOCAL_PART.test(email.slice(0, at)) || !hostnameOk(email.slice(at + 1)) || !email.slice(at + 1).includes('.')) {
      throw new X509InputError(`SAN email '${email}' is not a valid email address`);
    }
    out.emails.push(email);
  }
  for (const upn of list('upns')) {
    const at = upn.lastIndexOf('@');
    // eslint-disable-next-line no-control-regex -- control characters are what this refuses
    if (at < 1 || at === upn.length - 1 || /[\s\u0000-\u001f]/.test(upn)) throw new X509InputError(`SAN UPN '${upn}' is not a valid user principal name (user@domain)`);
    out.upns.push(upn);
  }
  for (const ip of list('ipAddresses')) {
    const version = isIP(ip);
    if (version === 0) throw new X509InputError(`SAN IP address '${ip}' is not an IPv4 or IPv6 address`);
    // WHATWG URL parsing canonicalizes IPv6 (and folds an embedded IPv4 into hex groups) for the encoder.
    out.ipAddresses.push(version === 4 ? ip : new URL(`http://[${ip}]/`).hostname.slice(1, -1));
  }
  for (const uri of list('uris')) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(uri);
    } catch {
      parsed = undefined;
    }
    // RFC 5280 §4.2.1.6: an absolute URI, IA5String (ASCII) only.
    if (!parsed || !/^[a-z][a-z0-9+.-]*:/i.test(uri) || !/^[\x21-\x7e]+$/.test(uri)) {
      throw new X509InputError(`SAN URI '${uri}' is not an absolute URI`);
    }
    out.uris.push(uri);
  }
  return out;
}

export function hasSans(sans: Required<SubjectAlternativeNames>): boolean {
  return Object.values(sans).some((v) => v.length > 0);
}

/** The subjectAltName extension for validated SANs (critical when the subject is empty, RFC 5280 §4.2.1.6). */
export function sanExtension(sans: Required<SubjectAlternativeNames>, critical = false): x509.Extension {
  const names: GeneralName[] = [
    ...sans.dnsNames.map((v) => new GeneralName({ dNSName: v })),
    ...sans.emails.map((v) => new GeneralName({ rfc822Name: v })),
    ...sans.upns.map(
      (v) =>
        new GeneralName({
          otherName: new OtherName({ typeId: UPN_OID, value: AsnConvert.serialize(new DirectoryString({ utf8String: v })) }),
        }),
    ),
    ...sans.ipAddresses.map((v) => new GeneralName({ iPAddress: v })),
    ...sans.uris.map((v) => new GeneralName({ uniformResourceIdentifier: v })),
  ];
  return new x509.Extension('2.5.29.17', critical, AsnConvert.serialize(new SubjectAlternativeName(names)));
}

/** SANs of an extension value (DER GeneralNames); names of other kinds (directoryName, other otherNames) are skipped. */
export function parseSanValue(value: ArrayBuffer): Required<SubjectAlternativeNames> {
  const out: Required<SubjectAlternativeNames> = { dnsNames: [], emails: [], upns: [], ipAddresses: [], uris: [] };
  for (const name of AsnConvert.parse(value, GeneralNames)) {
    if (name.dNSName !== undefined) out.dnsNames.push(name.dNSName);
    else if (name.rfc822Name !== undefined) out.emails.push(name.rfc822Name);
    else if (name.iPAddress !== undefined) out.ipAddresses.push(name.iPAddress);
    else if (name.uniformResourceIdentifier !== undefined) out.uris.push(name.uniformResourceIdentifier);
    else if (name.otherName?.typeId === UPN_OID) {
      out.upns.push(AsnConvert.parse(name.otherName.value, DirectoryString).toString());
    }
  }
  return out;
}
