import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { CofferConfig, readPin } from '@coffer/config';
import { BACKUP_KEK_ID } from '@coffer/contracts';
import { HSM, HsmPort, Pkcs11Hsm } from '@coffer/hsm';
import { CRYPTO_WORKER_CONFIG } from './crypto-worker.tokens';

/**
 * Opens the HSM before the worker serves anything, and makes sure the backup KEK exists (backups
 * are wrapped under it, so it must be there before the first request).
 */
export const hsmProvider: Provider = {
  provide: HSM,
  inject: [CRYPTO_WORKER_CONFIG],
  useFactory: async (config: CofferConfig): Promise<HsmPort> => {
    const logger = new Logger('Hsm');
    const { module, token, pinFile, sessions } = config.pkcs11;
    const hsm = await Pkcs11Hsm.open({ module, token, pin: readPin(pinFile), sessions });
    try {
      const created = await hsm.ensureKek(BACKUP_KEK_ID);
      logger.log(`token '${token}' open with ${sessions} sessions; backup KEK ${created ? 'created' : 'present'}`);
      return hsm;
    } catch (err) {
      await hsm.close();
      throw err;
    }
  },
};

/** Logs out and finalises the module when the app closes (SIGTERM with enableShutdownHooks, or app.close()). */
@Injectable()
export class HsmShutdown implements OnApplicationShutdown {
  constructor(@Inject(HSM) private readonly hsm: HsmPort) {}

  async onApplicationShutdown(): Promise<void> {
    await this.hsm.close();
    new Logger('Hsm').log('HSM sessions closed');
  }
}
