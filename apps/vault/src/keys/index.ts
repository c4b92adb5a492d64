import { lifecycleHandlers } from '../objects/lifecycle-handlers';
import { VaultFeature } from '../vault-feature';
import { BatchEncryptHandler } from './batch-encrypt.handler';
import { BatchSignHandler } from './batch-sign.handler';
import { CreateKeyHandler } from './create-key.handler';
import { DataKeyHandler } from './data-key.handler';
import { DecryptHandler } from './decrypt.handler';
import { EncryptHandler } from './encrypt.handler';
import { GetKeyRotationPolicyHandler } from './get-key-rotation-policy.handler';
import { GetKeyHandler } from './get-key.handler';
import { ImportKeyHandler } from './import-key.handler';
import { KeyCipher } from './key-cipher.service';
import { KEY_KIND, KeyWriter } from './key.kind';
import { KeyBackupFormat } from './key-backup.format';
import { KeyStateLoader } from './key-state.loader';
import { KeyReader } from './key.reader';
import { ListKeyVersionsHandler } from './list-key-versions.handler';
import { ListKeysHandler } from './list-keys.handler';
import { RandomBytesHandler } from './random-bytes.handler';
import { RewrapHandler } from './rewrap.handler';
import { RotateKeyHandler } from './rotate-key.handler';
import { SetKeyRotationPolicyHandler } from './set-key-rotation-policy.handler';
import { SignHandler } from './sign.handler';
import { UnwrapKeyHandler } from './unwrap-key.handler';
import { UpdateKeyHandler } from './update-key.handler';
import { VerifyHandler } from './verify.handler';
import { WrapKeyHandler } from './wrap-key.handler';
import { NotifyKeyExpiryHandler } from './notify-key-expiry.handler';

/** One handler per key subject (KEY_SUBJECT_OPS); the lifecycle ones are the kit's. */
export const KEY_FEATURE: VaultFeature = {
  controllers: [
    CreateKeyHandler, ImportKeyHandler, GetKeyHandler, ListKeysHandler, ListKeyVersionsHandler, UpdateKeyHandler, ...lifecycleHandlers(KEY_KIND),
    RotateKeyHandler,
    GetKeyRotationPolicyHandler, SetKeyRotationPolicyHandler,
    SignHandler, VerifyHandler, EncryptHandler, DecryptHandler, WrapKeyHandler, UnwrapKeyHandler,
    DataKeyHandler, RewrapHandler, RandomBytesHandler, BatchSignHandler, BatchEncryptHandler,
    NotifyKeyExpiryHandler,
  ],
  providers: [KeyStateLoader, KeyWriter, KeyReader, KeyBackupFormat, KeyCipher],
};
