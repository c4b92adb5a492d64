import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  CHANGE_TYPE_PREFIX, ChangeEvent, ChangeLimits, EventEnvelope, FetchChangesReply, FetchChangesRequest, Streams, upcast,
} from '@coffer/contracts';
import { toChangeEvents } from '@coffer/domain';
import { EventLogReader } from '@coffer/event-store';
import { ReadModel } from '@coffer/read-model';
import { NatsConnection } from 'nats';
import { NATS_CONNECTION } from '../infrastructure/tokens';
import { ProjectionWaiter } from '../projection/projection-waiter';

/**
 * The change feed, computed from the event log on every read: a page of log events for the
 * caller's vault (or all of them), mapped to CloudEvents, filtered by type. The cursor is a log
 * sequence, so a replay returns the same events in the same order, and ordering per object is the
 * log's. Events the projection voided (a check-and-set the server should have refused) are left out,
 * so a page waits until the projection has seen its events.
 */
@Injectable()
export class ChangeFeed implements OnModuleInit {
  private reader!: EventLogReader;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly readModel: ReadModel,
    private readonly waiter: ProjectionWaiter,
  ) {}

  async onModuleInit(): Promise<void> {
    this.reader = await EventLogReader.open(this.nc, Streams.events.name);
  }

  async fetch(req: FetchChangesRequest): Promise<FetchChangesReply> {
    const types = req.types?.map((t) => (t.startsWith(CHANGE_TYPE_PREFIX) ? t : CHANGE_TYPE_PREFIX + t));
    const page = await this.reader.page({
      filterSubject: req.vault ? `coffer.events.${req.vault}.>` : 'coffer.events.>',
      fromSequence: req.fromSequence,
      fromTime: req.fromSequence === undefined ? req.fromTime : undefined,
      max: req.maxEvents ?? ChangeLimits.maxEventsDefault,
      waitMs: req.waitMs ?? 0,
    });
    const events: ChangeEvent[] = [];
    const voided = await this.voidedIn(page.messages.map((m) => m.seq));
    for (const m of page.messages) {
      if (voided.has(m.seq)) continue;
      const event = upcast(JSON.parse(Buffer.from(m.data).toString('utf8')) as EventEnvelope);
      for (const change of toChangeEvents({ subject: m.subject, sequence: m.seq, event })) {
        if (!types || types.includes(change.type)) events.push(change);
      }
    }
    return { events, next: page.next };
  }

  private async voidedIn(seqs: number[]): Promise<Set<number>> {
    if (seqs.length === 0) return new Set();
    const [first, last] = [seqs[0]!, seqs[seqs.length - 1]!];
    await this.waiter.waitFor(last);
    return this.readModel.voidedBetween(first, last);
  }
}
