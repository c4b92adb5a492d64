import { canonicalJson, internalRequest, requestHash, requestKey } from './request-key';

describe('request key', () => {
  it('canonical JSON sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null }, u: undefined })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson('x"y')).toBe('"x\\"y"');
    expect(canonicalJson(JSON.parse('{"__proto__":{"a":1}}'))).toBe('{"__proto__":{"a":1}}');
  });

  it('the same body in another key order hashes the same; another body, value or subject does not', () => {
    const s = 'coffer.v1.vault.demo.secret.set';
    const h = requestHash(s, { name: 'a', value: 'v', tags: { x: '1', y: '2' } });
    expect(requestHash(s, { tags: { y: '2', x: '1' }, value: 'v', name: 'a' })).toBe(h);
    expect(requestHash(s, { name: 'a', value: 'w', tags: { x: '1', y: '2' } })).not.toBe(h);
    expect(requestHash('coffer.v1.vault.other.secret.set', { name: 'a', value: 'v', tags: { x: '1', y: '2' } })).not.toBe(h);
  });

  it('hashes lazily, once', () => {
    const body = { name: 'a' };
    const key = requestKey('r1', 'p-1', 's', body);
    body.name = 'b'; // not read yet
    expect(key.hash).toBe(requestHash('s', { name: 'b' }));
    body.name = 'c';
    expect(key.hash).toBe(requestHash('s', { name: 'b' }));
    expect(key).toMatchObject({ id: 'r1', principalId: 'p-1' });
  });

  it('internal requests have their own principal', () => {
    expect(internalRequest('boot-1', 'create-admin')).toMatchObject({ id: 'boot-1', principalId: 'coffer:internal' });
  });
});
