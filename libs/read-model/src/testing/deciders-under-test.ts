import {
  CertificateEvent, ContactsEvent, IssuerEvent, KeyEvent, PrincipalEvent, RoleAssignmentEvent, SecretEvent, Streams, SystemStreams, VaultEvent,
} from '@coffer/contracts';
import {
  absentCertificate, absentIssuer, absentKey, absentSecret, CertificateCommand, CertificateState, ContactsCommand, ContactsState, decideCertificate,
  decideContacts, decideIssuer, decideKey, decidePrincipal, decideRoleAssignment, decideSecret, decideVault, IssuerCommand, IssuerState, KeyCommand,
  KeyState, NO_VAULT, noPrincipal, noRoleAssignment, PrincipalCommand, PrincipalState, RoleAssignmentCommand, RoleAssignmentState, SecretCommand,
  SecretState, VaultCommand, VaultState,
} from '@coffer/domain';
import { readCertificateDecisionState } from '../decision-state/certificate.decision-state';
import { readContactsDecisionState } from '../decision-state/contacts.decision-state';
import { readIssuerDecisionState } from '../decision-state/issuer.decision-state';
import { KeyLoadNeeds, readKeyDecisionState } from '../decision-state/key.decision-state';
import { readPrincipalDecisionState } from '../decision-state/principal.decision-state';
import { readRoleAssignmentDecisionState } from '../decision-state/role-assignment.decision-state';
import { readSecretDecisionState } from '../decision-state/secret.decision-state';
import { readVaultDecisionState } from '../decision-state/vault.decision-state';
import { DeciderUnderTest } from './decider-scenarios';

// What each command loads mirrors its handler in apps/vault (the version it addresses, whether it needs the rotation policy).

/** The vault the object-kind deciders under test work in. */
export const SCENARIO_VAULT = 'v';

const secretVersionLoaded = (c: SecretCommand): string | false | undefined =>
  c.type === 'UpdateSecretAttributes' || c.type === 'NotifySecretExpiry' ? c.version : false;

export const secretDecider = (name: string): DeciderUnderTest<SecretCommand, SecretState, SecretEvent> => ({
  subject: Streams.events.secret(SCENARIO_VAULT, name),
  read: async (rm, c) => (await readSecretDecisionState(rm.readModel, SCENARIO_VAULT, name, secretVersionLoaded(c)))?.state ?? null,
  absent: absentSecret,
  decide: decideSecret,
});

function keyNeeds(c: KeyCommand): KeyLoadNeeds {
  switch (c.type) {
    case 'RotateKey':
    case 'SetKeyRotationPolicy':
      return { policy: true };
    case 'UpdateKeyAttributes':
      return { version: c.version };
    case 'NotifyKeyExpiry':
      return { version: c.version, policy: true };
    default:
      return { version: false };
  }
}

export const keyDecider = (name: string): DeciderUnderTest<KeyCommand, KeyState, KeyEvent> => ({
  subject: Streams.events.key(SCENARIO_VAULT, name),
  read: async (rm, c) => (await readKeyDecisionState(rm.readModel, SCENARIO_VAULT, name, keyNeeds(c)))?.state ?? null,
  absent: absentKey,
  decide: decideKey,
});

const certificateVersionLoaded = (c: CertificateCommand): string | false | undefined =>
  c.type === 'UpdateCertificateAttributes' || c.type === 'NotifyCertificateExpiry' ? c.version : false;

export const certificateDecider = (name: string): DeciderUnderTest<CertificateCommand, CertificateState, CertificateEvent> => ({
  subject: Streams.events.certificate(SCENARIO_VAULT, name),
  read: async (rm, c) =>
    (await readCertificateDecisionState(rm.certificates, rm.readModel, SCENARIO_VAULT, name, certificateVersionLoaded(c)))?.state ?? null,
  absent: absentCertificate,
  decide: decideCertificate,
});

export const issuerDecider = (name: string): DeciderUnderTest<IssuerCommand, IssuerState, IssuerEvent> => ({
  subject: Streams.events.issuer(SCENARIO_VAULT, name),
  read: (rm, c) => readIssuerDecisionState(rm.certificates, SCENARIO_VAULT, name, c.type === 'RevokeCertificate' ? c.revocation.serialNumber : undefined),
  absent: absentIssuer,
  decide: decideIssuer,
});

export const contactsDecider = (): DeciderUnderTest<ContactsCommand, ContactsState, ContactsEvent> => ({
  subject: Streams.events.contacts(SCENARIO_VAULT),
  read: (rm) => readContactsDecisionState(rm.certificates, SCENARIO_VAULT),
  absent: (sequence) => ({ sequence, contacts: [] }),
  decide: decideContacts,
});

export const vaultDecider = (name: string): DeciderUnderTest<VaultCommand, VaultState, VaultEvent> => ({
  subject: Streams.events.vault(name),
  read: (rm) => readVaultDecisionState(rm.readModel, name),
  absent: () => NO_VAULT,
  decide: decideVault,
});

export const principalDecider = (id: string): DeciderUnderTest<PrincipalCommand, PrincipalState, PrincipalEvent> => ({
  subject: SystemStreams.principal(id),
  read: async (rm) => (await readPrincipalDecisionState(rm.readModel, id))?.state ?? null,
  absent: noPrincipal,
  decide: decidePrincipal,
});

export const roleAssignmentDecider = (id: string): DeciderUnderTest<RoleAssignmentCommand, RoleAssignmentState, RoleAssignmentEvent> => ({
  subject: SystemStreams.roleAssignment(id),
  read: (rm) => readRoleAssignmentDecisionState(rm.readModel, id),
  absent: noRoleAssignment,
  decide: decideRoleAssignment,
});
