import { Logger } from '@nestjs/common';
import { isInboxReplySubject } from './reply-subject';

/** At most one warning per this interval; the others are counted into the next one. */
const WARN_INTERVAL_MS = 10_000;

/**
 * Decides whether a request may be answered (its reply subject is an inbox, or it has none) and
 * keeps count of the refused ones: logged at warn, rate-limited, without the body or the reply
 * subject's full text (it is attacker input; only a bounded prefix is shown).
 */
export class ReplyGuard {
  private refused = 0;
  private unreported = 0;
  private lastWarn = 0;

  constructor(private readonly service: string, private readonly logger: Pick<Logger, 'warn'> = new Logger('ReplyGuard')) {}

  /** True when `reply` may be answered; false (counted, maybe logged) when the request must be dropped. */
  allows(subject: string, reply: string | undefined | null): boolean {
    if (!reply || isInboxReplySubject(reply)) return true;
    this.refused++;
    this.unreported++;
    const now = Date.now();
    if (now - this.lastWarn >= WARN_INTERVAL_MS) {
      this.logger.warn(
        `${this.service}: dropped ${this.unreported} request(s) whose reply subject is not a caller inbox (latest on ${subject.slice(0, 120)}, reply ${JSON.stringify(reply.slice(0, 60))})`,
      );
      this.lastWarn = now;
      this.unreported = 0;
    }
    return false;
  }

  /** Requests dropped so far. */
  get refusedCount(): number {
    return this.refused;
  }
}
