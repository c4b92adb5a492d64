import { defaultJsonLimits, JsonLimits, scanJson } from './json-shape.scanner';

const limits: JsonLimits = { ...defaultJsonLimits(), maxBytes: 1024, maxDepth: 4, maxKeys: 8, maxKeysPerObject: 4, maxArrayItems: 5 };
const scan = (text: string | Buffer, l = limits) => scanJson(typeof text === 'string' ? Buffer.from(text) : text, l)?.inner ?? 'ok';
const obj = (n: number, prefix = 'k') => `{${Array.from({ length: n }, (_, i) => `"${prefix}${i}":1`).join(',')}}`;

describe('scanJson (before JSON.parse)', () => {
  it('accepts bodies exactly at each limit', () => {
    expect(scan(' '.repeat(1022) + '{}')).toBe('ok');
    expect(scan('[[[[]]]]')).toBe('ok');
    expect(scan(obj(4))).toBe('ok');
    expect(scan(`{"a":${obj(4)},"b":${obj(2)}}`)).toBe('ok');
    expect(scan('{"a":[1,2,3,4,5]}')).toBe('ok');
    expect(scan('{"a":[]}')).toBe('ok');
  });
  it('refuses one over each limit', () => {
    expect(scan(' '.repeat(1023) + '{}')).toBe('RequestTooLarge');
    expect(scan('[[[[[]]]]]')).toBe('RequestTooComplex');
    expect(scan(obj(5))).toBe('RequestTooComplex');
    expect(scan(`{"a":${obj(4)},"b":${obj(4)}}`)).toBe('RequestTooComplex');
    expect(scan('{"a":[1,2,3,4,5,6]}')).toBe('RequestTooComplex');
    expect(scan('{"a":[[],[],[]],"b":[{},{},{}]}')).toBe('RequestTooComplex');
  });
  it('does not count braces, brackets, quotes or commas inside strings', () => {
    expect(scan('{"a":"{{{{{[[[[[,,,,,"}')).toBe('ok');
    expect(scan('{"a":"\\"{{{{{{\\"","b":"\\\\"}')).toBe('ok');
    expect(scan('{"a\\"b":"x\\\\\\"{{{{{{"}')).toBe('ok');
    expect(scan('{"é€😀":"{{{{{ü"}')).toBe('ok');
    expect(scan('{"a":-1.5e+10,"b":true,"c":null}')).toBe('ok');
    expect(scan('{"a":"unterminated')).toBe('MalformedRequest');
    expect(scan('{"a":"ends in escaped quote\\"}')).toBe('MalformedRequest');
  });
  it('refuses prototype keys, also escaped, but not as values', () => {
    expect(scan('{"__proto__":{}}')).toBe('MalformedRequest');
    expect(scan('{"a":{"constructor":1}}')).toBe('MalformedRequest');
    expect(scan('{"prototype":1}')).toBe('MalformedRequest');
    expect(scan('{"\\u005f_proto__":{}}')).toBe('MalformedRequest');
    expect(scan('{"a":"__proto__","b":["constructor"]}')).toBe('ok');
    expect(scan('{"__proto":1,"constructors":1}')).toBe('ok');
  });
  it('scans a MiB in a few milliseconds', () => {
    const big = { ...defaultJsonLimits() };
    const body = Buffer.from(`{"value":"${'x\\"'.repeat(349_000)}"}`);
    const start = process.hrtime.bigint();
    expect(scan(body, big)).toBe('ok');
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(100);
  });
});
