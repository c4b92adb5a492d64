import { DomainEvent, materialOf, purgedBy } from './domain-events';

const event = (type: string, data: object) => ({ type, version: 1, data, metadata: {} }) as unknown as DomainEvent;
const version = (hsmKeyId: string, dek: number) => ({ key: { hsmKeyId }, secret: { value: { dek } } });

describe('the material events declare (materialOf, purgedBy)', () => {
  it.each([
    ['SecretSet', { value: { dek: 5 } }, { hsmKeyIds: [], deks: [5] }],
    ['SecretRestored', { versions: [{ value: { dek: 5 } }, { value: { dek: 6 } }] }, { hsmKeyIds: [], deks: [5, 6] }],
    ['KeyCreated', { hsmKeyId: 'k1' }, { hsmKeyIds: ['k1'], deks: [] }],
    ['KeyImported', { hsmKeyId: 'k1' }, { hsmKeyIds: ['k1'], deks: [] }],
    ['KeyRotated', { hsmKeyId: 'k2' }, { hsmKeyIds: ['k2'], deks: [] }],
    ['KeyRestored', { versions: [{ hsmKeyId: 'k1' }, { hsmKeyId: 'k2' }] }, { hsmKeyIds: ['k1', 'k2'], deks: [] }],
    ['CertIssued', version('c1', 3), { hsmKeyIds: ['c1'], deks: [3] }],
    ['CertificateImported', version('c1', 3), { hsmKeyIds: ['c1'], deks: [3] }],
    ['CertificateMerged', version('c1', 3), { hsmKeyIds: ['c1'], deks: [3] }],
    ['CertificateOperationStarted', { pending: { key: { hsmKeyId: 'c2' } } }, { hsmKeyIds: ['c2'], deks: [] }],
    ['CertificateRestored', { versions: [version('c1', 3), version('c2', 4)] }, { hsmKeyIds: ['c1', 'c2'], deks: [3, 4] }],
    ['IssuerCreated', { hsmKeyId: 'i1' }, { hsmKeyIds: ['i1'], deks: [] }],
    ['SecretDeleted', {}, { hsmKeyIds: [], deks: [] }],
    ['KeyAttributesUpdated', {}, { hsmKeyIds: [], deks: [] }],
  ])('%s refers to its material', (type, data, material) => expect(materialOf(event(type, data))).toEqual(material));

  it.each([
    ['SecretPurged', { shreddedKeys: [5, 6] }, { deks: [5, 6] }],
    ['KeyPurged', { destroyedHsmKeys: ['k1'] }, { hsmKeyIds: ['k1'], deks: [] }],
    ['CertificatePurged', { destroyedHsmKeys: ['c1'], shreddedKeys: [3] }, { hsmKeyIds: ['c1'], deks: [3] }],
    ['SecretDeleted', {}, { deks: [] }],
  ])('%s purges what it names', (type, data, purged) => expect(purgedBy(event(type, data))).toEqual(purged));
});
