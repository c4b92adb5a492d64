import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { formatDistinguishedName, fromAsnName, parseDistinguishedName, toAsnName } from './distinguished-name';
import { X509InputError } from './errors';

describe('parseDistinguishedName', () => {
  it('parses an Azure-style subject, most specific first', () => {
    const dn = parseDistinguishedName('CN=www.example.com, O=Acme, C=US');
    expect(dn.map((rdn) => rdn.map((a) => [a.type, a.value]))).toEqual([[['CN', 'www.example.com']], [['O', 'Acme']], [['C', 'US']]]);
    expect(formatDistinguishedName(dn)).toBe('CN=www.example.com, O=Acme, C=US');
  });

  it('encodes in reverse order (C first) with PrintableString for C and UTF8String elsewhere', () => {
    const asn = toAsnName(parseDistinguishedName('CN=www.example.com, O=Acme, C=US'));
    expect(asn[0][0].type).toBe('2.5.4.6');
    expect(asn[0][0].value.printableString).toBe('US');
    expect(asn[2][0].value.utf8String).toBe('www.example.com');
    const round = fromAsnName(AsnConvert.parse(AsnConvert.serialize(asn), Name));
    expect(formatDistinguishedName(round)).toBe('CN=www.example.com, O=Acme, C=US');
  });

  it('handles quoting, escapes, hex UTF-8, multi-valued RDNs, long names and OIDs', () => {
    const dn = parseDistinguishedName('CN="Acme, Inc.", OU=R\\+D+OU=Ops, O=M\\C3\\BCller, commonName=x, 2.5.4.97=VATDE-1, E=a@example.com');
    expect(dn[0][0].value).toBe('Acme, Inc.');
    expect(dn[1].map((a) => a.value)).toEqual(['R+D', 'Ops']);
    expect(dn[2][0].value).toBe('Müller');
    expect(dn[3][0].type).toBe('CN');
    expect(dn[4][0]).toEqual({ type: '2.5.4.97', oid: '2.5.4.97', value: 'VATDE-1' });
    const text = formatDistinguishedName(dn);
    expect(text).toBe('CN=Acme\\, Inc., OU=R\\+D+OU=Ops, O=Müller, CN=x, 2.5.4.97=VATDE-1, E=a@example.com');
    expect(parseDistinguishedName(text)).toEqual(dn);
  });

  it.each([
    ['', 'non-empty'],
    ['www.example.com', "expected 'type=value'"],
    ['CN=', 'empty value'],
    ['XX=foo', "unknown attribute type 'XX'"],
    ['CN=a,, O=b', 'unknown attribute type'],
    ['CN=a, C=USA', 'two-letter'],
    ['CN=a, C=us', 'two-letter'],
    ['CN=a,', 'ends with a separator'],
    ['CN="unterminated', 'unterminated'],
    ['CN=a<b', "unescaped '<'"],
    [`CN=${'x'.repeat(65)}`, 'longer than 64'],
    ['E=mü@example.com', 'ASCII'],
    ['CN=#0403', 'hex-encoded'],
  ])('rejects %j', (text, why) => {
    expect(() => parseDistinguishedName(text)).toThrow(X509InputError);
    expect(() => parseDistinguishedName(text)).toThrow(why);
  });
});
