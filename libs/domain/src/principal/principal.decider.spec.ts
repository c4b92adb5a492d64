import { ErrorCodes, InnerErrorCodes, PrincipalEvent } from '@coffer/contracts';
import { deciderScenarios, principalDecider } from '@coffer/read-model/testing';
import { NewEvent } from '../new-event';
import { principalIdFor } from './principal-ids';

const now = new Date('2026-01-01T00:00:00.000Z');
const ID = principalIdFor('alice');

const { given } = deciderScenarios(principalDecider(ID));

const created: NewEvent<PrincipalEvent> = { type: 'PrincipalCreated', version: 1, data: { id: ID, name: 'alice', type: 'user', created: now.toISOString() } };
const secret = (id = 'c-0000000000000001'): NewEvent<PrincipalEvent> => ({
  type: 'CredentialAdded', version: 1, data: { principalId: ID, credential: { id, kind: 'secret', hash: 'scrypt$...', hint: 'abc', created: now.toISOString() } },
});
const key = (id: string, publicKey = 'UABC'): NewEvent<PrincipalEvent> => ({
  type: 'CredentialAdded', version: 1, data: { principalId: ID, credential: { id, kind: 'ed25519', publicKey, created: now.toISOString() } },
});
const disabled: NewEvent<PrincipalEvent> = { type: 'PrincipalDisabled', version: 1, data: { id: ID, disabled: now.toISOString() } };

describe('principal decider', () => {
  it('ids are derived from the name', () => expect(ID).toMatch(/^p-[0-9a-f]{16}$/));
  it('creates a principal', () =>
    given().when({ type: 'CreatePrincipal', id: ID, name: 'alice', principalType: 'user', now }).then([
      { type: 'PrincipalCreated', data: { id: ID, name: 'alice', type: 'user', created: now.toISOString() } },
    ]));
  it('refuses a duplicate name', () =>
    given(created).when({ type: 'CreatePrincipal', id: ID, name: 'alice', principalType: 'user', now }).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists));
  it('disables and enables; a disabled principal still exists', async () => {
    await given(created).when({ type: 'DisablePrincipal', id: ID, now }).then([{ type: 'PrincipalDisabled', data: { id: ID, disabled: now.toISOString() } }]);
    const g = given(created, disabled);
    expect(await g.state({ type: 'EnablePrincipal', id: ID, now })).toMatchObject({ exists: true, enabled: false, sequence: 2 });
    await g.when({ type: 'EnablePrincipal', id: ID, now }).then([{ type: 'PrincipalEnabled' }]);
    await g.when({ type: 'CreatePrincipal', id: ID, name: 'alice', principalType: 'user', now }).thenFails(ErrorCodes.Conflict);
  });
  it('refuses commands on an unknown principal', async () => {
    await given().when({ type: 'DisablePrincipal', id: ID, now }).thenFails(ErrorCodes.NotFound, InnerErrorCodes.PrincipalNotFound);
    await given().when({ type: 'EnablePrincipal', id: ID, now }).thenFails(ErrorCodes.NotFound, InnerErrorCodes.PrincipalNotFound);
    await given().when({ type: 'RemoveCredential', principalId: ID, credentialId: 'c-0000000000000001', now }).thenFails(ErrorCodes.NotFound);
  });
  it('adds credentials, refusing the same public key twice', async () => {
    await given(created).when({ type: 'AddCredential', principalId: ID, credential: (secret().data as unknown as { credential: never }).credential }).then([{ type: 'CredentialAdded' }]);
    await given(created, key('c-0000000000000002', 'UKEY')).when({ type: 'AddCredential', principalId: ID, credential: (key("c-0000000000000003", "UKEY").data as unknown as { credential: never }).credential })
      .thenFails(ErrorCodes.Conflict);
  });
  it('removes a credential and revokes tokens issued before now', async () => {
    await given(created, secret()).when({ type: 'RemoveCredential', principalId: ID, credentialId: 'c-0000000000000001', now }).then([
      { type: 'CredentialRemoved', data: { principalId: ID, credentialId: 'c-0000000000000001', revokedBefore: now.toISOString() } },
    ]);
    await given(created).when({ type: 'RemoveCredential', principalId: ID, credentialId: 'c-0000000000000009', now })
      .thenFails(ErrorCodes.NotFound, InnerErrorCodes.CredentialNotFound);
  });
  it('replaces an old secret hash once: a compare-and-set on the hash it replaces', async () => {
    const rehash = (previousHash: string, credentialId = 'c-0000000000000001') =>
      ({ type: 'RehashCredential', principalId: ID, credentialId, previousHash, hash: 'hmac-sha256$k$new', now }) as const;
    await given(created, secret()).when(rehash('scrypt$...')).then([
      { type: 'CredentialRehashed', data: { principalId: ID, credentialId: 'c-0000000000000001', hash: 'hmac-sha256$k$new', rehashed: now.toISOString() } },
    ]);
    const rehashed: NewEvent<PrincipalEvent> = {
      type: 'CredentialRehashed', version: 1, data: { principalId: ID, credentialId: 'c-0000000000000001', hash: 'hmac-sha256$k$new', rehashed: now.toISOString() },
    };
    // Projected, the credential has the new hash: a second migration of the same old hash is refused.
    expect(await given(created, secret(), rehashed).state(rehash('scrypt$...'))).toMatchObject({ credentials: [{ id: 'c-0000000000000001', hash: 'hmac-sha256$k$new' }] });
    await given(created, secret(), rehashed).when(rehash('scrypt$...')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.VersionMismatch);
    await given(created, key('c-0000000000000002')).when(rehash('x', 'c-0000000000000002')).thenFails(ErrorCodes.NotFound, InnerErrorCodes.CredentialNotFound);
    await given(created).when(rehash('x')).thenFails(ErrorCodes.NotFound, InnerErrorCodes.CredentialNotFound);
    await given().when(rehash('x')).thenFails(ErrorCodes.NotFound, InnerErrorCodes.PrincipalNotFound);
  });
});
