// Publishing a record to GUN as the legacy node does, and deleting it: the soul from the caller's
// publisher hash, the record put to our relay in the legacy node shape, our registry entry and our
// own key in the type's registry index (GUN merges keys, so concurrent publishes never overwrite
// each other's entries), and the record in the local store at once. The store goes first: a record
// the store refuses is never put to GUN, and one the relay refuses is taken out of the store again.
import type { GunClient } from '@oip/gun-client';
import { buildRecordSoul, didFromSoul, keyProblem, publisherHash } from '@oip/gun-client';
import type { OipRecord, RecordStore } from '@oip/record-store';
import { InvalidRecordError, NotOwnerError, RecordNotFoundError, RecordRefusedError, RelayUnavailableError } from '../errors.js';
import { recordProblems, type RecordProblem } from './record-rules.js';

/** An InvalidRecordError carrying the problems as `details`. */
export function invalidRecord(problems: RecordProblem[]): Error {
  return Object.assign(new InvalidRecordError(`${problems[0]!.path} ${problems[0]!.rule}`), { details: problems });
}

export interface PublisherOptions {
  store: RecordStore;
  relay: GunClient;
  nodeId: string;
  registryRoot: string;
}

export interface Publisher {
  publicKey: string;
  /** Shown as the record's creator handle. */
  handle: string;
}

export interface PublishInput {
  recordType: string;
  localId?: string | undefined;
  data: Record<string, unknown>;
  publisher: Publisher;
}

export interface PublishResult {
  did: string;
  soul: string;
  recordToIndex: OipRecord;
  storage: 'gun';
  encrypted: false;
}

const OIP_VERSION = '0.8.0';

export class RecordPublisher {
  readonly #o: PublisherOptions;

  constructor(opts: PublisherOptions) {
    this.#o = opts;
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    const { recordType, data, publisher } = input;
    const problems = recordProblems(recordType, data);
    if (input.localId !== undefined) {
      const p = keyProblem(input.localId);
      if (p !== null) problems.unshift({ path: 'localId', rule: p });
    }
    if (problems.length > 0) throw invalidRecord(problems);
    const soul = buildRecordSoul({ publisherPublicKey: publisher.publicKey, ...(input.localId ? { localId: input.localId } : { record: { ...data, recordType } }) });
    const did = didFromSoul(soul);
    const now = Date.now();
    const oip = {
      ver: OIP_VERSION,
      recordType,
      did,
      didTx: did,
      storage: 'gun' as const,
      indexedAt: new Date(now).toISOString(),
      creator: { creatorHandle: publisher.handle, didAddress: `did:gun:${publisherHash(publisher.publicKey)}`, publicKey: publisher.publicKey },
    };
    const record = { data, oip } as OipRecord;
    const [result] = await this.#o.store.bulkUpsert([record]);
    if (!result?.ok) throw Object.assign(new RecordRefusedError(result?.error?.message ?? 'unknown reason'), { details: { storeCode: result?.error?.code ?? null } });
    try {
      await this.#o.relay.putRecord(soul, { data, oip, meta: { created: now, localId: input.localId ?? null, encrypted: false } });
      await this.#o.relay.registerRecord({ soul, did, recordType, creatorPubKey: publisher.publicKey, nodeId: this.#o.nodeId, root: this.#o.registryRoot, timestamp: now });
    } catch (err) {
      await this.#o.store.delete(did).catch(() => false);
      throw new RelayUnavailableError('record', { cause: err });
    }
    return { did, soul, recordToIndex: record, storage: 'gun', encrypted: false };
  }

  /** Owner (creator public key) or admin only; marks the deletion registry, then drops the record here. */
  async delete(did: string, caller: { publicKey: string | null; isAdmin: boolean }): Promise<{ did: string; deletedBy: string }> {
    const record = await this.#o.store.get(did);
    if (record === null) throw new RecordNotFoundError();
    const owner = (record.oip.creator as { publicKey?: unknown } | undefined)?.publicKey;
    if (!caller.isAdmin && (caller.publicKey === null || owner !== caller.publicKey)) throw new NotOwnerError();
    const deletedBy = caller.publicKey ?? 'admin';
    try {
      await this.#o.relay.markDeleted(did, deletedBy);
    } catch (err) {
      throw new RelayUnavailableError('deletion', { cause: err });
    }
    await this.#o.store.delete(did);
    return { did, deletedBy };
  }
}
