import { BackupSealer } from '../crypto/backup-sealer';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { BackupKeyHandler } from './backup-key.handler';
import { BatchEncryptHandler } from './batch-encrypt.handler';
import { BatchSignHandler } from './batch-sign.handler';
import { CreateKeyHandler } from './create-key.handler';
import { DataKeyHandler } from './data-key.handler';
import { DecryptHandler } from './decrypt.handler';
import { DeleteKeyHandler } from './delete-key.handler';
import { EncryptHandler } from './encrypt.handler';
import { GetDeletedKeyHandler } from './get-deleted-key.handler';
import { GetKeyRotationPolicyHandler } from './get-key-rotation-policy.handler';
import { GetKeyHandler } from './get-key.handler';
import { ImportKeyHandler } from './import-key.handler';
import { KeyCipher } from './key-cipher.service';
import { KeyCommands } from './key-commands';
import { KeyStateLoader } from './key-state.loader';
import { KeyReader } from './key.reader';
import { ListDeletedKeysHandler } from './list-deleted-keys.handler';
import { ListKeyVersionsHandler } from './list-key-versions.handler';
import { ListKeysHandler } from './list-keys.handler';
import { PurgeKeyHandler } from './purge-key.handler';
import { RandomBytesHandler } from './random-bytes.handler';
import { RecoverKeyHandler } from './recover-key.handler';
import { RestoreKeyHandler } from './restore-key.handler';
import { RewrapHandler } from './rewrap.handler';
import { RotateKeyHandler } from './rotate-key.handler';
import { SetKeyRotationPolicyHandler } from './set-key-rotation-policy.handler';
import { SignHandler } from './sign.handler';
import { UnwrapKeyHandler } from './unwrap-key.handler';
import { UpdateKeyHandler } from './update-key.handler';
import { VerifyHandler } from './verify.handler';
import { WrapKeyHandler } from './wrap-key.handler';
import { NotifyKeyExpiryHandler } from './notify-key-expiry.handler';

/** One handler per key subject (KEY_SUBJECT_OPS), in that order. */
export const KEY_CONTROLLERS = [
  CreateKeyHandler, ImportKeyHandler, GetKeyHandler, ListKeysHandler, ListKeyVersionsHandler, UpdateKeyHandler, DeleteKeyHandler,
  ListDeletedKeysHandler, GetDeletedKeyHandler, RecoverKeyHandler, PurgeKeyHandler, BackupKeyHandler, RestoreKeyHandler, RotateKeyHandler,
  GetKeyRotationPolicyHandler, SetKeyRotationPolicyHandler,
  SignHandler, VerifyHandler, EncryptHandler, DecryptHandler, WrapKeyHandler, UnwrapKeyHandler,
  DataKeyHandler, RewrapHandler, RandomBytesHandler, BatchSignHandler, BatchEncryptHandler,
  NotifyKeyExpiryHandler,
];
export const KEY_PROVIDERS = [KeyCryptoClient, BackupSealer, KeyStateLoader, KeyCommands, KeyReader, KeyCipher];
