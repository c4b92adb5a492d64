import { forbidden, InnerErrorCodes } from '@coffer/contracts';

/**
 * The key and secret of a certificate are written with the certificate's own events (on its
 * subject), so only certificate commands may change them; as in Azure, a key or secret command on
 * them is refused (a write on their own subjects would also expect the wrong sequence).
 */
export function assertNotManaged(kind: 'Key' | 'Secret', name: string, managedBy: string | undefined): void {
  if (managedBy) {
    throw forbidden(
      `${kind} '${name}' belongs to a certificate (${managedBy}): change it through the certificate.`,
      InnerErrorCodes.ManagedByCertificate,
    );
  }
}
