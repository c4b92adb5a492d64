import { KEY_CHANGE_TYPES, KEY_EVENTS } from '../events/key-events';
import { contractKind, eventKind, KV_ACTIONS } from './contract-kind';

export * from '../events/key-events';
export * from '../keys/key-algorithms';
export * from '../keys/key-wire';
export * from '../keys/key-crypto-messages';

export const KEY_SUBJECT_OPS = [
  'create', 'import', 'get', 'list', 'versions', 'update', 'delete',
  'deleted.list', 'deleted.get', 'recover', 'purge', 'backup', 'restore', 'rotate',
  'rotationpolicy.get', 'rotationpolicy.set',
  'sign', 'verify', 'encrypt', 'decrypt', 'wrap', 'unwrap',
  'datakey', 'rewrap', 'random', 'batch.sign', 'batch.encrypt',
  'notify',
] as const;
export type KeySubjectOp = (typeof KEY_SUBJECT_OPS)[number];

/** Keys: HSM-held key material, public halves in the events. */
export const KEY_CONTRACT = contractKind({
  events: eventKind(KEY_EVENTS, KEY_CHANGE_TYPES),
  requests: { token: 'key', ops: KEY_SUBJECT_OPS },
  stream: { token: 'key', shape: 'named' },
  objects: 'keys',
  actions: {
    keysRead: `${KV_ACTIONS}/keys/read`,
    keysCreate: `${KV_ACTIONS}/keys/create/action`,
    keysUpdate: `${KV_ACTIONS}/keys/update/action`,
    keysImport: `${KV_ACTIONS}/keys/import/action`,
    keysDelete: `${KV_ACTIONS}/keys/delete`,
    keysBackup: `${KV_ACTIONS}/keys/backup/action`,
    keysRestore: `${KV_ACTIONS}/keys/restore/action`,
    keysRecover: `${KV_ACTIONS}/keys/recover/action`,
    keysPurge: `${KV_ACTIONS}/keys/purge/action`,
    keysRotate: `${KV_ACTIONS}/keys/rotate/action`,
    keysEncrypt: `${KV_ACTIONS}/keys/encrypt/action`,
    keysDecrypt: `${KV_ACTIONS}/keys/decrypt/action`,
    keysWrap: `${KV_ACTIONS}/keys/wrap/action`,
    keysUnwrap: `${KV_ACTIONS}/keys/unwrap/action`,
    keysSign: `${KV_ACTIONS}/keys/sign/action`,
    keysVerify: `${KV_ACTIONS}/keys/verify/action`,
    keysRotationPolicyRead: `${KV_ACTIONS}/keys/rotationpolicy/read`,
    keysRotationPolicyWrite: `${KV_ACTIONS}/keys/rotationpolicy/write`,
  },
  notFound: { code: 'KeyNotFound', noun: 'Key' },
  change: { objectType: 'Key', path: 'keys' },
});
