import { ecPointFromAttribute, normaliseRawSignature, pointCoordinates } from './ec-encoding';

const x = Buffer.alloc(32, 0x11);
const y = Buffer.alloc(32, 0x22);
const point = Buffer.concat([Buffer.from([0x04]), x, y]);

describe('ecPointFromAttribute', () => {
  it('unwraps the DER OCTET STRING PKCS#11 specifies', () => {
    const der = Buffer.concat([Buffer.from([0x04, 0x41]), point]);
    expect(ecPointFromAttribute(der, 32)).toEqual(point);
  });

  it('accepts a long-form DER length', () => {
    const der = Buffer.concat([Buffer.from([0x04, 0x81, 0x41]), point]);
    expect(ecPointFromAttribute(der, 32)).toEqual(point);
  });

  it('accepts a bare uncompressed point', () => {
    expect(ecPointFromAttribute(point, 32)).toEqual(point);
  });

  it.each([
    ['a compressed point', Buffer.concat([Buffer.from([0x04, 0x21, 0x02]), x])],
    ['a wrong DER length', Buffer.concat([Buffer.from([0x04, 0x40]), point])],
    ['trailing bytes', Buffer.concat([Buffer.from([0x04, 0x41]), point, Buffer.from([0])])],
    ['another curve size', Buffer.concat([Buffer.from([0x04, 0x61, 0x04]), Buffer.alloc(96)])],
    ['not an OCTET STRING', Buffer.concat([Buffer.from([0x03, 0x41]), point])],
    ['nothing', Buffer.alloc(0)],
  ])('rejects %s', (_, value) => expect(ecPointFromAttribute(value, 32)).toBeUndefined());
});

describe('pointCoordinates', () => {
  it('gives x and y as base64url', () => {
    expect(pointCoordinates(point, 32)).toEqual({ x: x.toString('base64url'), y: y.toString('base64url') });
  });
});

describe('normaliseRawSignature', () => {
  it('leaves a full r||s alone', () => {
    const sig = Buffer.alloc(64, 7);
    expect(normaliseRawSignature(sig, 32)).toBe(sig);
  });

  it('left-pads short halves', () => {
    const sig = Buffer.concat([Buffer.alloc(31, 0xaa), Buffer.alloc(31, 0xbb)]);
    expect(normaliseRawSignature(sig, 32)).toEqual(
      Buffer.concat([Buffer.from([0]), Buffer.alloc(31, 0xaa), Buffer.from([0]), Buffer.alloc(31, 0xbb)]),
    );
  });

  it.each([[0], [63], [66], [132]])('rejects %i bytes', (n) => expect(normaliseRawSignature(Buffer.alloc(n, 1), 32)).toBeUndefined());
});
