import { AppliedRequest } from './applied-request.entity';
import { CertificateContactsRow } from './certificate-contacts-row.entity';
import { CertificateIssuerRow } from './certificate-issuer-row.entity';
import { CertificateRevocationRow } from './certificate-revocation-row.entity';
import { CertificateRow } from './certificate-row.entity';
import { CertificateVersionRow } from './certificate-version-row.entity';
import { KeyRotationPolicyRow } from './key-rotation-policy-row.entity';
import { KeyRow } from './key-row.entity';
import { KeyVersionRow } from './key-version-row.entity';
import { PrincipalCredentialRow } from './principal-credential-row.entity';
import { PrincipalRow } from './principal-row.entity';
import { ProjectionCheckpoint } from './projection-checkpoint.entity';
import { RoleAssignmentRow } from './role-assignment-row.entity';
import { SecretRow } from './secret-row.entity';
import { SecretVersionRow } from './secret-version-row.entity';
import { SubjectHead } from './subject-head.entity';
import { VoidedEvent } from './voided-event.entity';
import { VaultRow } from './vault-row.entity';

export const READ_MODEL_ENTITIES = [
  VaultRow, SecretRow, SecretVersionRow, ProjectionCheckpoint, AppliedRequest, PrincipalRow, PrincipalCredentialRow, RoleAssignmentRow,
  KeyRow, KeyVersionRow, KeyRotationPolicyRow,
  CertificateRow, CertificateVersionRow, CertificateIssuerRow, CertificateRevocationRow, CertificateContactsRow,
  SubjectHead, VoidedEvent,
];
