import { Inject, Injectable, Logger, OnApplicationShutdown, Provider } from '@nestjs/common';
import { CofferConfig, readPin } from '@coffer/config';
import { AUDIT_SIGNING_KEY_ID, BACKUP_KEK_ID, CLIENT_SECRET_MAC_KEY_ID, TOKEN_SIGNING_KEY_ID } from '@coffer/contracts';
import { HSM, HSM_KEYS, HsmKeysPort, HsmPort, Pkcs11Hsm, threadPoolSize } from '@coffer/hsm';
import { CRYPTO_WORKER_CONFIG } from './crypto-worker.tokens';

/** Signing keys every deployment needs: access tokens and audit checkpoints are signed with them. */
const STARTUP_SIGNING_KEY_IDS = [TOKEN_SIGNING_KEY_ID, AUDIT_SIGNING_KEY_ID] as const;

/**
 * Opens the HSM before the worker serves anything, and makes sure the backup KEK (backups are
 * wrapped under it), the token and audit signing keys and the client-secret MAC key exist before
 * the first request (replicas start one after another, so they all find the same keys).
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
      const signing: string[] = [];
      for (const keyId of STARTUP_SIGNING_KEY_IDS) {
        signing.push(`${keyId} ${(await hsm.ensureSigningKey(keyId)).created ? 'created' : 'present'}`);
      }
      const mac = await hsm.ensureMacKey(CLIENT_SECRET_MAC_KEY_ID);
      logger.log(
        `token '${token}' open with ${sessions} sessions (+${threadPoolSize()} for RSA on the thread pool); backup KEK ${created ? 'created' : 'present'}; signing keys: ${signing.join(', ')}; client-secret MAC key ${mac.created ? 'created' : 'present'}`,
      );
      return hsm;
    } catch (err) {
      await hsm.close();
      throw err;
    }
  },
};

/** Coffer keys on the same token and sessions (plus the adapter's async pool for RSA). */
export const hsmKeysProvider: Provider = {
  provide: HSM_KEYS,
  inject: [HSM],
  useFactory: (hsm: Pkcs11Hsm): HsmKeysPort => hsm.keys,
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
