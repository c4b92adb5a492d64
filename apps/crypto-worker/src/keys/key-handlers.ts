import { BatchHandler } from './batch.handler';
import { DecryptHandler } from './decrypt.handler';
import { DestroyKeysHandler } from './destroy-keys.handler';
import { EncryptHandler } from './encrypt.handler';
import { ExportKeyHandler } from './export-key.handler';
import { ExportPrivateKeyHandler } from './export-private-key.handler';
import { GenerateKeyHandler } from './generate-key.handler';
import { ImportKeyHandler } from './import-key.handler';
import { RandomBytesHandler } from './random-bytes.handler';
import { RestoreKeyHandler } from './restore-key.handler';
import { RewrapHandler } from './rewrap.handler';
import { SignHandler } from './sign.handler';
import { UnwrapHandler } from './unwrap.handler';
import { WrapHandler } from './wrap.handler';

/** One handler per subject of the key protocol (libs/contracts/src/keys/key-crypto-messages.ts). */
export const KEY_HANDLERS = [
  GenerateKeyHandler, ImportKeyHandler, SignHandler, EncryptHandler, DecryptHandler, WrapHandler, UnwrapHandler, RewrapHandler,
  BatchHandler, DestroyKeysHandler, ExportKeyHandler, RestoreKeyHandler, RandomBytesHandler, ExportPrivateKeyHandler,
];
