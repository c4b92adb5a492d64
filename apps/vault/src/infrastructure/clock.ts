import { Injectable } from '@nestjs/common';

/** The only source of "now" in the vault, so time can be injected (tests, dev time-shift). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
