import { CofferConfig } from '@coffer/config';

/** Audit app settings: the `audit` section of the one configuration (COFFER_AUDIT_*). */
export type AuditOptions = CofferConfig['audit'];
