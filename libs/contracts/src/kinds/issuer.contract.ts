import { ISSUER_CHANGE_TYPES, ISSUER_EVENTS } from '../events/issuer-events';
import { contractKind, eventKind, KV_ACTIONS } from './contract-kind';

export * from '../events/issuer-events';

export const ISSUER_OPS = ['create', 'list', 'get', 'signcsr', 'revoke', 'crl'] as const;
export type IssuerOp = (typeof ISSUER_OPS)[number];

/** A vault's internal certificate authorities (their changes are Certificate changes). */
export const ISSUER_CONTRACT = contractKind({
  events: eventKind(ISSUER_EVENTS, ISSUER_CHANGE_TYPES),
  requests: { token: 'issuer', ops: ISSUER_OPS },
  stream: { token: 'issuer', shape: 'named' },
  actions: {
    certificateIssuersRead: `${KV_ACTIONS}/certificatecas/read`,
    certificateIssuersWrite: `${KV_ACTIONS}/certificatecas/write`,
    certificateIssuersDelete: `${KV_ACTIONS}/certificatecas/delete`,
  },
});
