import { Injectable } from '@nestjs/common';
import { CertificateEvent, CertificateNameRequest, CertificateRestoreRequest, DataActions, Patterns, Streams } from '@coffer/contracts';
import { CertificateCommand, CertificateDecisions, CertificateState, decideCertificate } from '@coffer/domain';
import { CommandRunner } from '../commands/command-runner';
import { Clock } from '../infrastructure/clock';
import { ObjectKindDescriptor } from '../objects/object-kind';
import { objectScope } from '../objects/object-scope';
import { ObjectWriter } from '../objects/object-writer';
import { MaterialHook } from '../objects/material-hook';
import { CertificateBackupFormat } from './certificate-backup.format';
import { deletedCertificateId } from './certificate-ids';
import { CertificateStateLoader, LoadedCertificate } from './certificate-state.loader';
import { CertificateReader } from './certificate.reader';

/** Loader needs of a certificate command: the version it addresses (undefined: the current one; false: none). */
type CertificateNeeds = string | false | undefined;

export const certificateScope = objectScope('certificates');

/** load → decide → append for one certificate, and its material hook (HSM key, data key and encrypted secret made before the event). */
@Injectable()
export class CertificateWriter extends ObjectWriter<CertificateState, CertificateCommand, CertificateEvent, CertificateNeeds, LoadedCertificate, CertificateDecisions> {
  constructor(loader: CertificateStateLoader, runner: CommandRunner, material: MaterialHook, clock: Clock) {
    super(CERTIFICATE_KIND, loader, runner, material, clock);
  }
}

/** Certificates: each version an HSM key, the X.509 certificate and a secret (PFX/PEM under the object's data key). */
export const CERTIFICATE_KIND: ObjectKindDescriptor<CertificateState, CertificateCommand, CertificateEvent, CertificateNeeds, LoadedCertificate> = {
  name: 'certificate',
  pattern: (op) => Patterns.certificate(op),
  subject: (vault, name) => Streams.events.certificate(vault, name),
  scope: certificateScope,
  actions: {
    delete: DataActions.certificatesDelete, 'deleted.list': DataActions.certificatesRead, 'deleted.get': DataActions.certificatesRead,
    recover: DataActions.certificatesRecover, purge: DataActions.certificatesPurge, backup: DataActions.certificatesBackup, restore: DataActions.certificatesRestore,
  },
  requests: { name: CertificateNameRequest, restore: CertificateRestoreRequest },
  deletedId: deletedCertificateId,
  decide: decideCertificate,
  noVersion: false,
  lifecycle: {
    delete: (p) => ({ type: 'DeleteCertificate', ...p }),
    recover: (p) => ({ type: 'RecoverCertificate', ...p }),
    purge: (p) => ({ type: 'PurgeCertificate', ...p }),
  },
  loader: CertificateStateLoader,
  writer: CertificateWriter,
  views: CertificateReader,
  backup: CertificateBackupFormat,
};
