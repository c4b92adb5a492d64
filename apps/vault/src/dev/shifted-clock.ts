import { DevTime } from '@coffer/event-store';
import { Clock } from '../infrastructure/clock';

/** The vault's clock in dev mode: real time plus the shared dev time offset. */
export class ShiftedClock extends Clock {
  constructor(private readonly devTime: DevTime) {
    super();
  }

  override now(): Date {
    return this.devTime.now();
  }
}
