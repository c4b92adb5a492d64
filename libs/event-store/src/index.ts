export * from './event-store';
export * from './event-store.errors';
export * from './ensure-streams';
export * from './keyring';
export * from './ordered-batch.pump';
export * from './event-log.reader';
export * from './dev-time';
export * from './request-msg-id';
