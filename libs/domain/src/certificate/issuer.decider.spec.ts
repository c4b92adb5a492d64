import { ErrorCodes, InnerErrorCodes, IssuerRecord } from '@coffer/contracts';
import { deciderScenarios, issuerDecider } from '@coffer/read-model/testing';
import { absentIssuer, decideIssuer, IssuerCommand } from './issuer.decider';

const record: IssuerRecord = {
  name: 'ca', hsmKeyId: 'v/ca/' + 'a'.repeat(32), kty: 'EC', publicKey: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' }, cer: 'AA', chain: [],
  subject: 'CN=ca', serialNumber: '01', notBefore: '2030-01-01T00:00:00.000Z', notAfter: '2040-01-01T00:00:00.000Z', created: '2030-01-01T00:00:00.000Z',
};
const create: IssuerCommand = { type: 'CreateIssuer', issuer: record };
const created = decideIssuer(create, absentIssuer());
const revoke = (serialNumber: string): IssuerCommand =>
  ({ type: 'RevokeCertificate', issuer: 'ca', revocation: { serialNumber, revocationDate: '2031-01-01T00:00:00.000Z', reason: 'keyCompromise' } });

const { given } = deciderScenarios(issuerDecider('ca'));

describe('issuer decider', () => {
  it('creates an issuer once', async () => {
    await given().when(create).then([{ type: 'IssuerCreated', data: { name: 'ca', serialNumber: '01' } }]);
    await given(...created).when(create).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists);
  });

  it('revokes a serial in canonical form with the next CRL number', async () => {
    const first = await given(...created).when(revoke('00AB')).decided();
    expect(first).toMatchObject([{ type: 'CertificateRevoked', data: { issuer: 'ca', serialNumber: 'ab', crlNumber: 1, reason: 'keyCompromise' } }]);
    await given(...created, ...first).when(revoke('0c')).then([{ data: { serialNumber: '0c', crlNumber: 2 } }]);
  });

  it('refuses a serial already revoked (in any spelling), a serial that is not hex, and an unknown issuer', async () => {
    const first = await given(...created).when(revoke('ab')).decided();
    await given(...created, ...first).when(revoke('00AB')).thenFails(ErrorCodes.Conflict, InnerErrorCodes.ObjectAlreadyExists);
    await given(...created).when(revoke('xyz')).thenFails(ErrorCodes.BadParameter);
    await given().when(revoke('ab')).thenFails(ErrorCodes.NotFound, InnerErrorCodes.IssuerNotFound);
  });
});
