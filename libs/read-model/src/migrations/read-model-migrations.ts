import { InitialReadModel1764355200000 } from './1764355200000-initial-read-model.migration';
import { PrincipalsReadModel1767225600000 } from './1767225600000-principals-read-model.migration';
import { KeysReadModel1769904000000 } from './1769904000000-keys-read-model.migration';
import { ExpiryNotices1772150400000 } from './1772150400000-expiry-notices.migration';
import { CertificatesReadModel1774828800000 } from './1774828800000-certificates-read-model.migration';
import { CertificateNotices1777507200000 } from './1777507200000-certificate-notices.migration';
import { ScopedAppliedRequests1780185600000 } from './1780185600000-scoped-applied-requests.migration';
import { CheckAndSetInTheLog1782864000000 } from './1782864000000-check-and-set-in-the-log.migration';

/** Every read-model migration, oldest first. */
export const READ_MODEL_MIGRATIONS = [InitialReadModel1764355200000, PrincipalsReadModel1767225600000, KeysReadModel1769904000000, ExpiryNotices1772150400000,
  CertificatesReadModel1774828800000, CertificateNotices1777507200000, ScopedAppliedRequests1780185600000, CheckAndSetInTheLog1782864000000,
];
