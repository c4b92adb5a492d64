import { VaultFeature } from '../vault-feature';
import { BackupSealer } from './backup-sealer';
import { MaterialHook } from './material-hook';
import { OrphanMaterial } from './orphan-material';

/** The versioned-object kit's shared providers (each kind's feature registers its own descriptor's providers and lifecycleHandlers). */
export const OBJECT_KIT_FEATURE: VaultFeature = { controllers: [], providers: [BackupSealer, OrphanMaterial, MaterialHook] };
