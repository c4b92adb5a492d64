import { changeOf } from '../changes/change-spec';
import { KeyFamily } from '../keys/key-algorithms';
import { PublicKeyMaterial } from '../keys/key-crypto-messages';
import { EventCatalogue } from './event-catalogue';
import { EventEnvelope } from './event-envelope';
import { isObj, isStrings, needStrings, unless } from './shape-checks';

/** An internal CA: its HSM key (public half + id), its certificate and chain. */
export interface IssuerRecord {
  name: string;
  parent?: string;
  hsmKeyId: string;
  kty: KeyFamily;
  publicKey: PublicKeyMaterial;
  /** base64 DER */
  cer: string;
  chain: string[];
  subject: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  created: string;
}

export interface RevocationRecord {
  serialNumber: string;
  revocationDate: string;
  reason: string;
}

export type IssuerCreated = EventEnvelope<'IssuerCreated', IssuerRecord>;
/** `crlNumber`: the issuer's CRL number after this revocation (monotonic per issuer). */
export type CertificateRevoked = EventEnvelope<'CertificateRevoked', { issuer: string; crlNumber: number } & RevocationRecord>;
export type IssuerEvent = IssuerCreated | CertificateRevoked;

/** Issuers are vault-level certificate settings: their change ids sit under /certificates/issuers/. */
/** The change-feed types of issuer events (see CHANGE_EVENT_TYPES). */
export const ISSUER_CHANGE_TYPES = ['CertificateIssuerCreated', 'CertificateRevoked'] as const;
const change = changeOf<(typeof ISSUER_CHANGE_TYPES)[number]>('Certificate');

/** Issuer events (subject `coffer.events.<vault>.issuer.<name>`): schema, shape check, change feed. */
export const ISSUER_EVENTS: EventCatalogue<IssuerEvent> = {
  IssuerCreated: {
    version: 1,
    shape: (d) => needStrings(d, ['name', 'hsmKeyId', 'kty', 'cer', 'subject', 'serialNumber', 'notBefore', 'notAfter', 'created'])
      || unless(isStrings(d.chain) && isObj(d.publicKey) && !('d' in d.publicKey), 'chain or publicKey are malformed'),
    changes: (e) => [change('CertificateIssuerCreated', `issuers/${e.data.name}`)],
    material: ({ data: d }) => ({ hsmKeyIds: [d.hsmKeyId], deks: [] }),
  },
  CertificateRevoked: {
    version: 1,
    shape: (d) => needStrings(d, ['issuer', 'serialNumber', 'revocationDate', 'reason']) || unless(Number.isInteger(d.crlNumber), 'crlNumber must be an integer'),
    changes: (e) => [change('CertificateRevoked', `issuers/${e.data.issuer}`)],
  },
};
