import { Injectable, Logger } from '@nestjs/common';
import { CertificateEvent, CofferError, ErrorCodes, Streams } from '@coffer/contracts';
import { CertificateCommand, CertificateState, decideCertificate } from '@coffer/domain';
import { CommandOutcome, CommandRunner } from '../commands/command-runner';
import { DataKeysService } from '../crypto/data-keys.service';
import { KeyCryptoClient } from '../crypto/key-crypto.client';
import { Clock } from '../infrastructure/clock';
import { CertificateStateLoader, LoadedCertificate } from './certificate-state.loader';
import { RequestKey } from '../commands/request-key';

/** What a command made before its event could be written: HSM keys and data keys, released if the event does not land. */
export interface Made {
  hsmKeyIds: string[];
  deks: number[];
}

export interface MakingCertificateCommand<M> {
  version?: string | false;
  /** Makes the HSM key, certificate and encrypted secret; record each HSM key / data key in `made` as soon as it exists. */
  make(loaded: LoadedCertificate, made: Made): Promise<M>;
  /** The command with what was made; with `undefined` a dry run that must decide the same way. */
  command(made: M | undefined, now: Date): CertificateCommand;
}

/** HSM keys and data keys an event refers to: what must survive the command. */
function referenced(event: CertificateEvent): Made {
  switch (event.type) {
    case 'CertIssued':
    case 'CertificateImported':
    case 'CertificateMerged':
      return { hsmKeyIds: [event.data.key.hsmKeyId], deks: [event.data.secret.value.dek] };
    case 'CertificateOperationStarted':
      return { hsmKeyIds: [event.data.pending.key.hsmKeyId], deks: [] };
    case 'CertificateRestored':
      return { hsmKeyIds: event.data.versions.map((v) => v.key.hsmKeyId), deks: event.data.versions.map((v) => v.secret.value.dek) };
    default:
      return { hsmKeyIds: [], deks: [] };
  }
}

/** load → decide → append for one certificate (KeyCommands' shape, with the secret's data key as a second kind of thing made). */
@Injectable()
export class CertificateCommands {
  private readonly logger = new Logger(CertificateCommands.name);

  constructor(
    private readonly loader: CertificateStateLoader,
    private readonly runner: CommandRunner,
    private readonly crypto: KeyCryptoClient,
    private readonly dataKeys: DataKeysService,
    private readonly clock: Clock,
  ) {}

  run<E extends CertificateEvent>(vault: string, name: string, request: RequestKey, version: string | false | undefined, command: (now: Date, state: CertificateState) => CertificateCommand): Promise<CommandOutcome<E>> {
    return this.runner.run<CertificateState, E>({
      subject: Streams.events.certificate(vault, name),
      request,
      load: async () => (await this.loader.load(vault, name, version)).state,
      decide: (state) => decideCertificate(command(this.clock.now(), state), state)[0],
    });
  }

  /**
   * As KeyCommands.runMaking: the decider runs dry first (a refused command makes nothing), then the
   * HSM key, certificate and secret are made once, then the event is appended. Whatever the log does
   * not end up referencing is destroyed (HSM keys) or shredded (data keys); when the append's outcome
   * is unknown, they are kept rather than risk destroying a recorded version's key.
   */
  async runMaking<E extends CertificateEvent, M>(vault: string, name: string, request: RequestKey, spec: MakingCertificateCommand<M>): Promise<CommandOutcome<E>> {
    const made: Made = { hsmKeyIds: [], deks: [] };
    let material: M | undefined;
    let appending = false;
    try {
      const outcome = await this.runner.run<CertificateState, E>({
        subject: Streams.events.certificate(vault, name),
        request,
        load: async () => {
          appending = false;
          const loaded = await this.loader.load(vault, name, spec.version);
          decideCertificate(spec.command(undefined, this.clock.now()), loaded.state);
          material ??= await spec.make(loaded, made);
          return loaded.state;
        },
        decide: (state) => {
          const event = decideCertificate(spec.command(material, this.clock.now()), state)[0];
          appending = true;
          return event;
        },
      });
      const kept = referenced(outcome.event);
      await this.release({ hsmKeyIds: made.hsmKeyIds.filter((id) => !kept.hsmKeyIds.includes(id)), deks: made.deks.filter((d) => !kept.deks.includes(d)) });
      return outcome;
    } catch (err) {
      const surelyNotRecorded = !appending || (err instanceof CofferError && err.code !== ErrorCodes.ServiceUnavailable);
      if (surelyNotRecorded) await this.release(made);
      else if (made.hsmKeyIds.length > 0) this.logger.warn(`kept HSM keys ${made.hsmKeyIds.join(', ')}: the append's outcome is unknown (request ${request.id})`);
      throw err;
    }
  }

  private async release(made: Made): Promise<void> {
    await this.crypto.destroyOrphans(made.hsmKeyIds);
    if (made.deks.length > 0) {
      await this.dataKeys.shred(made.deks).catch((err: unknown) => this.logger.error(`could not shred data keys ${made.deks.join(', ')}: ${(err as Error).message}`));
    }
  }
}
