import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuditQueryRequest, AuditStorageStatus, FetchAuditFeedReply, FetchAuditFeedRequest, AuditUsageRequest, AuditVerifyReply, AuditVerifyRequest, AuditStreams, InnerErrorCodes, InternalSubjects, ObjectUsage,
  serviceUnavailable,
} from '@coffer/contracts';
import { AuditQueryReply, AuditStatusReply } from '@coffer/audit';
import { AuditChainService } from '../audit-chain.service';
import { AuditOptions } from '../audit.config';
import { Inject } from '@nestjs/common';
import { AUDIT_OPTIONS } from '../audit.tokens';
import { verifyStoredTrail } from '../verify/audit-verifier';
import { auditStorageStatus } from '../audit-storage-status';
import { AuditFeedReader } from '../feed/audit-feed.reader';

/**
 * The audit app's internal request subjects. The vault authorizes the public `coffer.v1.audit.*`
 * requests (and audits them) and forwards them here; transport security keeps clients off these.
 */
@Controller()
export class AuditInternalHandlers {
  constructor(private readonly chain: AuditChainService, @Inject(AUDIT_OPTIONS) private readonly options: AuditOptions) {}

  @MessagePattern(InternalSubjects.audit('query'))
  query(@Payload() req: AuditQueryRequest): Promise<AuditQueryReply> {
    return this.chain.store!.query(req);
  }

  @MessagePattern(InternalSubjects.audit('usage'))
  usage(@Payload() req: AuditUsageRequest): Promise<ObjectUsage> {
    return this.chain.store!.usage(req.objectId);
  }

  /**
   * One page of verification (the client passes `upTo` and `nextSequence` back for the next). On
   * the first page, records already in the stream are chained first (they are in flight, not
   * inserted); anything still unchained after that is reported.
   */
  @MessagePattern(InternalSubjects.audit('verify'))
  async verify(@Payload() req: AuditVerifyRequest): Promise<AuditVerifyReply> {
    const { nc, jsm, store, signer } = this.chain;
    const last = (await jsm!.streams.info(AuditStreams.records.name)).state.last_seq;
    const upTo = req.upTo !== undefined ? Math.min(req.upTo, last) : last;
    if (req.upTo === undefined) await this.chain.caughtUp(upTo, this.options.verifyCatchUpMs);
    try {
      await signer.publicJwk();
    } catch {
      throw serviceUnavailable('The audit key cannot be read from the crypto-worker.', InnerErrorCodes.CryptoWorkerUnavailable);
    }
    return verifyStoredTrail(
      { nc: nc!, jsm: jsm!, store: store!, signer },
      { fromSequence: req.fromSequence, fromCheckpoint: req.fromCheckpoint, upTo, maxRecords: req.maxRecords },
    );
  }

  /** One page of the audit feed (the vault authorized the caller for the request's scope). */
  @MessagePattern(InternalSubjects.audit('feed'))
  feed(@Payload() req: FetchAuditFeedRequest): Promise<FetchAuditFeedReply> {
    const chain = this.chain;
    this.feedReader ??= new AuditFeedReader(chain.store!.ds, { headPosition: () => chain.chainHead().position, reached: (p, ms) => chain.reached(p, ms) }, chain.signer);
    return this.feedReader.page(req);
  }

  private feedReader?: AuditFeedReader;

  @MessagePattern(InternalSubjects.audit('status'))
  async status(): Promise<AuditStatusReply> {
    const head = this.chain.chainHead();
    let lag = -1;
    let error = this.chain.problem();
    let storage: AuditStorageStatus | undefined;
    try {
      const [records, checkpoints, dbBytes] = await Promise.all([
        this.chain.jsm!.streams.info(AuditStreams.records.name),
        this.chain.jsm!.streams.info(AuditStreams.checkpoints.name),
        this.chain.databaseBytes(),
      ]);
      lag = Math.max(0, records.state.last_seq - head.seq);
      storage = auditStorageStatus({
        streamBytes: [records.state.bytes, records.config.max_bytes],
        streamMessages: [records.state.messages, records.config.max_msgs],
        checkpointBytes: [checkpoints.state.bytes, checkpoints.config.max_bytes],
        databaseBytes: [dbBytes, this.options.dbMaxBytes],
      }, this.options.nearFullPercent);
    } catch {
      error ??= 'cannot read the audit streams';
    }
    const checkpointProblem = this.chain.checkpointProblem();
    return {
      checkpoint: this.chain.latestCheckpoint(), sequence: head.seq, count: head.position, lag,
      ...(storage ? { storage } : {}),
      ...(error ? { error } : {}),
      ...(checkpointProblem ? { checkpointError: checkpointProblem } : {}),
    };
  }
}
