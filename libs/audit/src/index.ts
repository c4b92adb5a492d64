export * from './audit-chain';
export * from './audit-streams';
export * from './audit-messages';
export * from './verify-audit-trail';
