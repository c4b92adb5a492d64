import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, Name as AsnName, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { X509InputError } from './errors';

/** One attribute of a distinguished name: `type` is the short name (CN, O...) or a dotted OID. */
export interface DnAttribute {
  type: string;
  oid: string;
  value: string;
}

/**
 * A distinguished name as written in RFC 4514 / Azure's `subject`: most specific RDN first
 * ("CN=www.example.com, O=Acme, C=US"). An RDN holds more than one attribute only with '+'.
 * In the certificate the order is the reverse (C first), as RFC 4514 §2.1 says and as
 * .NET / Azure Key Vault and `openssl -subj /C=US/O=Acme/CN=...` encode it.
 */
export type DistinguishedName = DnAttribute[][];

interface AttributeSpec {
  names: string[];
  oid: string;
  /** RFC 5280 Appendix A upper bound (characters). */
  max: number;
  /** DER string type: C and serialNumber must be PrintableString, emailAddress and DC IA5String; the rest UTF8String (RFC 5280 §4.1.2.6). */
  string: 'utf8' | 'printable' | 'ia5';
}

const ATTRIBUTES: AttributeSpec[] = [
  { names: ['CN', 'commonName'], oid: '2.5.4.3', max: 64, string: 'utf8' },
  { names: ['SN', 'surname'], oid: '2.5.4.4', max: 64, string: 'utf8' },
  { names: ['SERIALNUMBER', 'serialNumber'], oid: '2.5.4.5', max: 64, string: 'printable' },
  { names: ['C', 'countryName'], oid: '2.5.4.6', max: 2, string: 'printable' },
  { names: ['L', 'localityName'], oid: '2.5.4.7', max: 128, string: 'utf8' },
  { names: ['ST', 'S', 'stateOrProvinceName'], oid: '2.5.4.8', max: 128, string: 'utf8' },
  { names: ['STREET', 'streetAddress'], oid: '2.5.4.9', max: 128, string: 'utf8' },
  { names: ['O', 'organizationName'], oid: '2.5.4.10', max: 64, string: 'utf8' },
  { names: ['OU', 'organizationalUnitName'], oid: '2.5.4.11', max: 64, string: 'utf8' },
  { names: ['T', 'title'], oid: '2.5.4.12', max: 64, string: 'utf8' },
  { names: ['postalCode'], oid: '2.5.4.17', max: 40, string: 'utf8' },
  { names: ['G', 'GN', 'givenName'], oid: '2.5.4.42', max: 64, string: 'utf8' },
  { names: ['E', 'emailAddress'], oid: '1.2.840.113549.1.9.1', max: 255, string: 'ia5' },
  { names: ['DC', 'domainComponent'], oid: '0.9.2342.19200300.100.1.25', max: 63, string: 'ia5' },
  { names: ['UID', 'userId'], oid: '0.9.2342.19200300.100.1.1', max: 256, string: 'utf8' },
];
const BY_NAME = new Map(ATTRIBUTES.flatMap((a) => a.names.map((n) => [n.toUpperCase(), a] as const)));
const BY_OID = new Map(ATTRIBUTES.map((a) => [a.oid, a]));
const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * Parses an RFC 4514 string ("CN=www.example.com, O=Acme, C=US"; '+' joins attributes of one RDN;
 * values may be "quoted" or use \-escapes, including \XX hex for UTF-8 bytes). Strict where the ASN.1
 * library's own parser is lenient: unknown attribute types, empty values, unescaped special
 * characters, over-long values and a country that is not two letters are rejected.
 */
export function parseDistinguishedName(text: string): DistinguishedName {
  if (typeof text !== 'string' || text.trim() === '') throw new X509InputError('subject must be a non-empty distinguished name such as "CN=www.example.com, O=Acme, C=US"');
  const rdns: DistinguishedName = [];
  let rdn: DnAttribute[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new X509InputError(`invalid distinguished name '${text}': ${why}`);
  };
  const skipSpaces = () => {
    while (i < text.length && text[i] === ' ') i++;
  };
  for (;;) {
    skipSpaces();
    const eq = text.indexOf('=', i);
    if (eq < 0) fail(`expected 'type=value' at position ${i}`);
    const typeText = text.slice(i, eq).trim();
    const spec = OID.test(typeText) ? BY_OID.get(typeText) : BY_NAME.get(typeText.toUpperCase());
    if (!spec && !OID.test(typeText)) fail(`unknown attribute type '${typeText}'`);
    i = eq + 1;
    skipSpaces();
    const value = readValue();
    rdn.push(validate({ type: spec ? spec.names[0] : typeText, oid: spec ? spec.oid : typeText, value }, spec, fail));
    skipSpaces();
    if (i >= text.length) break;
    const sep = text[i++];
    if (sep === ',' || sep === ';') {
      rdns.push(rdn);
      rdn = [];
    } else if (sep !== '+') {
      fail(`unexpected '${sep}' at position ${i - 1}`);
    }
    if (i >= text.length) fail('ends with a separator');
  }
  rdns.push(rdn);
  return rdns;

  function readValue(): string {
    const bytes: number[] = [];
    const push = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted value');
        const c = text[i++];
        if (c === '"') break;
        if (c === '\\') readEscape(bytes, push);
        else push(c);
      }
      return decode(bytes);
    }
    if (text[i] === '#') fail('hex-encoded (#...) values are not supported');
    let trailingSpaces = 0;
    while (i < text.length && !',+;'.includes(text[i])) {
      const c = text[i++];
      if (c === '\\') {
        readEscape(bytes, push);
        trailingSpaces = 0;
      } else if ('"<>'.includes(c)) {
        fail(`unescaped '${c}' in a value (escape it with '\\' or quote the value)`);
      } else {
        push(c);
        trailingSpaces = c === ' ' ? trailingSpaces + 1 : 0;
      }
    }
    return decode(bytes.slice(0, bytes.length - trailingSpaces));
  }

  function readEscape(bytes: number[], push: (s: string) => void): void {
    if (i >= text.length) fail('ends with a lone backslash');
    const hex = text.slice(i, i + 2);
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      push(text[i++]);
    }
  }

  function decode(bytes: number[]): string {
    const buf = Buffer.from(bytes);
    const s = buf.toString('utf8');
    if (!Buffer.from(s, 'utf8').equals(buf)) fail('escaped bytes are not valid UTF-8');
    return s;
  }
}

function validate(attr: DnAttribute, spec: AttributeSpec | undefined, fail: (why: string) => never): DnAttribute {
  if (attr.value === '') fail(`empty value for ${attr.type}`);
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f]/.test(attr.value)) fail(`control character in ${attr.type}`);
  if (!spec) return attr;
  if (spec.oid === '2.5.4.6' && !/^[A-Z]{2}$/.test(attr.value)) fail(`C must be a two-letter ISO 3166 country code, not '${attr.value}'`);
  if ([...attr.value].length > spec.max) fail(`${attr.type} is longer than ${spec.max} characters`);
  if (spec.string === 'printable' && !PRINTABLE.test(attr.value)) fail(`${attr.type} may only contain PrintableString characters`);
  if (spec.string === 'ia5' && !/^[\x20-\x7e]*$/.test(attr.value)) fail(`${attr.type} may only contain ASCII characters`);
  return attr;
}

/** RFC 4514 text of a distinguished name (most specific first, ", " between RDNs, '+' inside one). */
export function formatDistinguishedName(dn: DistinguishedName): string {
  return dn.map((rdn) => rdn.map((a) => `${a.type}=${escapeValue(a.value)}`).join('+')).join(', ');
}

function escapeValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** The ASN.1 Name for a parsed DN: RDN order reversed, each value in the string type RFC 5280 asks for. */
export function toAsnName(dn: DistinguishedName): AsnName {
  return new AsnName(
    [...dn].reverse().map(
      (rdn) =>
        new RelativeDistinguishedName(
          rdn.map((a) => {
            const attr = new AttributeTypeAndValue({ type: a.oid });
            const kind = BY_OID.get(a.oid)?.string ?? 'utf8';
            if (kind === 'printable') attr.value.printableString = a.value;
            else if (kind === 'ia5') attr.value.ia5String = a.value;
            else attr.value.utf8String = a.value;
            return attr;
          }),
        ),
    ),
  );
}

/** The parsed DN of an ASN.1 Name (from a certificate, CSR or CRL), most specific first. */
export function fromAsnName(name: AsnName): DistinguishedName {
  return [...name].reverse().map((rdn) =>
    [...rdn].map((attr) => {
      const spec = BY_OID.get(attr.type);
      const value = attr.value.anyValue ? `#${Buffer.from(attr.value.anyValue).toString('hex')}` : attr.value.toString();
      return { type: spec ? spec.names[0] : attr.type, oid: attr.type, value };
    }),
  );
}

/** DER of a Name, for exact comparisons (issuer ↔ subject chaining). */
export function nameDer(name: AsnName): Buffer {
  return Buffer.from(AsnConvert.serialize(name));
}
