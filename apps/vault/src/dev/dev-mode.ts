import { CofferError, ErrorCodes, InnerErrorCodes } from '@coffer/contracts';
import { DevTime } from '@coffer/event-store';

/** The dev time source, or the typed refusal a production deployment gives. */
export function requireDevTime(devTime: DevTime | null): DevTime {
  if (!devTime) {
    throw new CofferError(
      ErrorCodes.Forbidden,
      'Time shift is a development feature: this deployment does not enable dev mode (set COFFER_DEV_MODE=1 on the vault and the scheduler).',
      InnerErrorCodes.DevModeDisabled,
    );
  }
  return devTime;
}
