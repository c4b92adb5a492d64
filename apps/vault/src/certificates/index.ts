import { CertificateReadModel } from '@coffer/read-model';
import { DataSource } from 'typeorm';
import { BackupCertificateHandler } from './backup-certificate.handler';
import { CancelPendingOperationHandler, DeletePendingOperationHandler } from './cancel-pending-operation.handler';
import { CertificateCommands } from './certificate-commands';
import { CertificateIssuance } from './certificate-issuance';
import { CertificateNames } from './certificate-names';
import { CertificateStateLoader } from './certificate-state.loader';
import { CertificateVersions } from './certificate-versions';
import { CertificateReader } from './certificate.reader';
import { ContactsCommands } from './contacts-commands';
import { CreateCertificateHandler } from './create-certificate.handler';
import { CreateIssuerHandler } from './create-issuer.handler';
import { DeleteCertificateHandler } from './delete-certificate.handler';
import { DeleteContactsHandler } from './delete-contacts.handler';
import { DownloadCertificateHandler } from './download-certificate.handler';
import { GetCertificatePolicyHandler } from './get-certificate-policy.handler';
import { GetCertificateHandler } from './get-certificate.handler';
import { GetContactsHandler } from './get-contacts.handler';
import { GetCrlHandler } from './get-crl.handler';
import { GetDefaultPolicyHandler } from './get-default-policy.handler';
import { GetDeletedCertificateHandler } from './get-deleted-certificate.handler';
import { GetIssuerHandler } from './get-issuer.handler';
import { GetPendingOperationHandler } from './get-pending-operation.handler';
import { ImportCertificateHandler } from './import-certificate.handler';
import { IssuerCommands } from './issuer-commands';
import { ListCertificateVersionsHandler } from './list-certificate-versions.handler';
import { ListCertificatesHandler } from './list-certificates.handler';
import { ListDeletedCertificatesHandler } from './list-deleted-certificates.handler';
import { ListIssuersHandler } from './list-issuers.handler';
import { MergeCertificateHandler } from './merge-certificate.handler';
import { NotifyCertificateExpiryHandler } from './notify-certificate-expiry.handler';
import { PurgeCertificateHandler } from './purge-certificate.handler';
import { RecoverCertificateHandler } from './recover-certificate.handler';
import { RestoreCertificateHandler } from './restore-certificate.handler';
import { ReusedCertificateKey } from './reused-certificate-key';
import { RevokeCertificateHandler } from './revoke-certificate.handler';
import { SetContactsHandler } from './set-contacts.handler';
import { SignCsrHandler } from './sign-csr.handler';
import { UpdateCertificatePolicyHandler } from './update-certificate-policy.handler';
import { UpdateCertificateHandler } from './update-certificate.handler';

/** One handler per certificate, issuer and contacts subject. */
export const CERTIFICATE_CONTROLLERS = [
  CreateCertificateHandler, ImportCertificateHandler, GetCertificateHandler, ListCertificatesHandler, ListCertificateVersionsHandler, UpdateCertificateHandler,
  DeleteCertificateHandler, ListDeletedCertificatesHandler, GetDeletedCertificateHandler, RecoverCertificateHandler, PurgeCertificateHandler,
  BackupCertificateHandler, RestoreCertificateHandler,
  GetCertificatePolicyHandler, UpdateCertificatePolicyHandler, GetDefaultPolicyHandler, DownloadCertificateHandler,
  GetPendingOperationHandler, MergeCertificateHandler, CancelPendingOperationHandler, DeletePendingOperationHandler,
  CreateIssuerHandler, ListIssuersHandler, GetIssuerHandler, SignCsrHandler, RevokeCertificateHandler, GetCrlHandler,
  SetContactsHandler, GetContactsHandler, DeleteContactsHandler, NotifyCertificateExpiryHandler,
];
export const CERTIFICATE_PROVIDERS = [
  { provide: CertificateReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new CertificateReadModel(ds) },
  CertificateStateLoader, CertificateCommands, CertificateIssuance, CertificateNames, CertificateVersions, CertificateReader, IssuerCommands, ContactsCommands, ReusedCertificateKey,
];
