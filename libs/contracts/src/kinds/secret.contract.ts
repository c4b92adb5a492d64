import { SECRET_CHANGE_TYPES, SECRET_EVENTS } from '../events/secret-events';
import { contractKind, eventKind, KV_ACTIONS } from './contract-kind';

export * from '../events/secret-events';

export const SECRET_OPS = [
  'set', 'get', 'list', 'versions', 'update', 'delete',
  'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore',
  'notify',
] as const;
export type SecretOp = (typeof SECRET_OPS)[number];

/** Secrets: values encrypted under a data key per object. Requests: wire/requests.ts. */
export const SECRET_CONTRACT = contractKind({
  events: eventKind(SECRET_EVENTS, SECRET_CHANGE_TYPES),
  requests: { token: 'secret', ops: SECRET_OPS },
  stream: { token: 'secret', shape: 'named' },
  objects: 'secrets',
  actions: {
    secretsGet: `${KV_ACTIONS}/secrets/getSecret/action`,
    secretsReadMetadata: `${KV_ACTIONS}/secrets/readMetadata/action`,
    secretsSet: `${KV_ACTIONS}/secrets/setSecret/action`,
    secretsUpdate: `${KV_ACTIONS}/secrets/update/action`,
    secretsDelete: `${KV_ACTIONS}/secrets/delete`,
    secretsBackup: `${KV_ACTIONS}/secrets/backup/action`,
    secretsRestore: `${KV_ACTIONS}/secrets/restore/action`,
    secretsRecover: `${KV_ACTIONS}/secrets/recover/action`,
    secretsPurge: `${KV_ACTIONS}/secrets/purge/action`,
  },
  notFound: { code: 'SecretNotFound', noun: 'Secret' },
  change: { objectType: 'Secret', path: 'secrets' },
});
