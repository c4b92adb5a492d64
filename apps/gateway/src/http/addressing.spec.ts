import { addresseeOf, unsafePath } from './addressing';

describe('addresseeOf', () => {
  const of = (host: string | undefined) => addresseeOf(host, 'vault.localhost', 'https');

  it('a vault at <vault>.<domain>, with the origin as called (port kept, lowercased)', () => {
    expect(of('Demo.Vault.Localhost:8443')).toEqual({ kind: 'vault', vault: 'demo', origin: 'https://demo.vault.localhost:8443' });
    expect(of('my-vault.vault.localhost')).toEqual({ kind: 'vault', vault: 'my-vault', origin: 'https://my-vault.vault.localhost' });
  });

  it('the authority at the bare domain', () => {
    expect(of('vault.localhost:8443')).toEqual({ kind: 'authority', origin: 'https://vault.localhost:8443' });
  });

  it('anything else is not served: other domains, invalid vault names, nested labels, junk', () => {
    for (const host of [undefined, '', 'example.com', 'ab.vault.localhost', '1abc.vault.localhost', 'a.b.vault.localhost', 'x.vault.localhost.evil', 'demo.vault.localhost:', 'demo vault.localhost', 'demo.vault.localhost:8443:1']) {
      expect(of(host).kind).toBe('unknown');
    }
  });
});

describe('unsafePath', () => {
  it('refuses dot segments, encoded slashes, backslashes and dots, NULs; leaves the query alone', () => {
    for (const p of ['/secrets/../keys', '/secrets/./x', '/secrets/a%2Fb', '/secrets/a%5cb', '/secrets/%2e%2e', '/secrets/a\\b', '/secrets/a%00']) expect(unsafePath(p)).toBe(true);
    for (const p of ['/secrets/db', '/secrets/db/0123abcd', '/secrets?api%2Dversion=7.5', '/deletedsecrets/x/recover?$skiptoken=a%2Fb']) expect(unsafePath(p)).toBe(false);
  });
});
