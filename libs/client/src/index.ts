export * from './coffer-client';
export * from './vaults-client';
export * from './secrets-client';
export * from './list-options';
export * from './errors';
export * from './dates';
export { iteratePages, take, PageFetcher } from './paging';
export { CallOptions, decodeReply } from './request';
