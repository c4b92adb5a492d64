import { CertificateReadModel } from '@coffer/read-model';
import { DataSource } from 'typeorm';
import { CancelPendingOperationHandler, DeletePendingOperationHandler } from './cancel-pending-operation.handler';
import { lifecycleHandlers } from '../objects/lifecycle-handlers';
import { VaultFeature } from '../vault-feature';
import { CertificateBackupFormat } from './certificate-backup.format';
import { CertificateIssuance } from './certificate-issuance';
import { CERTIFICATE_KIND, CertificateWriter } from './certificate.kind';
import { CertificateNames } from './certificate-names';
import { CertificateStateLoader } from './certificate-state.loader';
import { CertificateVersions } from './certificate-versions';
import { CertificateReader } from './certificate.reader';
import { ContactsWriter } from './contacts-writer';
import { CreateCertificateHandler } from './create-certificate.handler';
import { CreateIssuerHandler } from './create-issuer.handler';
import { DeleteContactsHandler } from './delete-contacts.handler';
import { DownloadCertificateHandler } from './download-certificate.handler';
import { GetCertificatePolicyHandler } from './get-certificate-policy.handler';
import { GetCertificateHandler } from './get-certificate.handler';
import { GetContactsHandler } from './get-contacts.handler';
import { GetCrlHandler } from './get-crl.handler';
import { GetDefaultPolicyHandler } from './get-default-policy.handler';
import { GetIssuerHandler } from './get-issuer.handler';
import { GetPendingOperationHandler } from './get-pending-operation.handler';
import { ImportCertificateHandler } from './import-certificate.handler';
import { IssuerWriter } from './issuer-writer';
import { ListCertificateVersionsHandler } from './list-certificate-versions.handler';
import { ListCertificatesHandler } from './list-certificates.handler';
import { ListIssuersHandler } from './list-issuers.handler';
import { MergeCertificateHandler } from './merge-certificate.handler';
import { NotifyCertificateExpiryHandler } from './notify-certificate-expiry.handler';
import { ReusedCertificateKey } from './reused-certificate-key';
import { RevokeCertificateHandler } from './revoke-certificate.handler';
import { SetContactsHandler } from './set-contacts.handler';
import { SignCsrHandler } from './sign-csr.handler';
import { UpdateCertificatePolicyHandler } from './update-certificate-policy.handler';
import { UpdateCertificateHandler } from './update-certificate.handler';

/** One handler per certificate, issuer and contacts subject. */
export const CERTIFICATE_FEATURE: VaultFeature = {
  controllers: [
    CreateCertificateHandler, ImportCertificateHandler, GetCertificateHandler, ListCertificatesHandler, ListCertificateVersionsHandler, UpdateCertificateHandler,
    ...lifecycleHandlers(CERTIFICATE_KIND),
    GetCertificatePolicyHandler, UpdateCertificatePolicyHandler, GetDefaultPolicyHandler, DownloadCertificateHandler,
    GetPendingOperationHandler, MergeCertificateHandler, CancelPendingOperationHandler, DeletePendingOperationHandler,
    CreateIssuerHandler, ListIssuersHandler, GetIssuerHandler, SignCsrHandler, RevokeCertificateHandler, GetCrlHandler,
    SetContactsHandler, GetContactsHandler, DeleteContactsHandler, NotifyCertificateExpiryHandler,
  ],
  providers: [
    { provide: CertificateReadModel, inject: [DataSource], useFactory: (ds: DataSource) => new CertificateReadModel(ds) },
    CertificateStateLoader, CertificateWriter, CertificateBackupFormat, CertificateIssuance, CertificateNames, CertificateVersions, CertificateReader, IssuerWriter, ContactsWriter, ReusedCertificateKey,
  ],
};
