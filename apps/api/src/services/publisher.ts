// Publishing a record to GUN as the legacy node does, and deleting it: the record checked against
// the publish side of @oip/records' per-type rules, the soul from the caller's publisher hash, the
// record put to our relay in the legacy node shape (@oip/records recordForPublish), our registry entry and our
// own key in the type's registry index (GUN merges keys, so concurrent publishes never overwrite
// each other's entries), and the record in the local store at once. The store goes first: a record
// the store refuses is never put to GUN, and one the relay refuses is taken out of the store again.
// What goes to GUN is signed with the publisher's key (held in custody, see @oip/accounts
// key-custody.ts), and restricted records (private, shared, organization) go encrypted; the store
// keeps them readable for those entitled. Deletion entries are signed the same way.
import type { GunClient } from '@oip/gun-client';
import type { OipRecord, RecordStore } from '@oip/record-store';
import {
  buildRecordSoul,
  didFromSoul,
  keyProblem,
  recordForPublish,
  recordProblems,
  signDeletion,
  soulProblem,
  type RecordProblem,
} from '@oip/records';
import {
  InvalidRecordError,
  NotOwnerError,
  PublisherKeyLockedError,
  RecordNotFoundError,
  RecordRefusedError,
  RelayUnavailableError,
} from '../errors.js';

/** An InvalidRecordError carrying the problems as `details`. */
export function invalidRecord(problems: RecordProblem[]): Error {
  return Object.assign(new InvalidRecordError(`${problems[0]!.path} ${problems[0]!.rule}`), { details: problems });
}

/** The publishers' signing keys this node holds (the api's keyring). */
export interface SigningKeys {
  /** The private key (hex) of the account with this public key; null when the node holds none. */
  privateKeyOf(publicKey: string): Promise<string | null>;
}

/** For an api that holds no keys (no custody secret): every publish answers API_ERR_PUBLISHER_KEY_LOCKED. */
export const NO_SIGNING_KEYS: SigningKeys = { privateKeyOf: async () => null };

export interface PublisherOptions {
  store: RecordStore;
  relay: GunClient;
  keys: SigningKeys;
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
  /** True when the record went to GUN encrypted (private, shared, organization). */
  encrypted: boolean;
}

export class RecordPublisher {
  readonly #o: PublisherOptions;

  constructor(opts: PublisherOptions) {
    this.#o = opts;
  }

  async publish(input: PublishInput): Promise<PublishResult> {
    const { recordType, data, publisher } = input;
    const problems = recordProblems(recordType, data);
    if (input.localId !== undefined) {
      // The localId ends the soul, so the soul's rules (no whitespace, well-formed unicode) hold for it too:
      // a soul the relay client refuses would otherwise surface as a 502.
      const p =
        keyProblem(input.localId) ??
        soulProblem(buildRecordSoul({ publisherPublicKey: publisher.publicKey, localId: input.localId }));
      if (p !== null) problems.unshift({ path: 'localId', rule: p });
    }
    if (problems.length > 0) throw invalidRecord(problems);
    const privateKey = await this.#signingKey(publisher.publicKey);
    const soul = buildRecordSoul({
      publisherPublicKey: publisher.publicKey,
      ...(input.localId ? { localId: input.localId } : { record: { ...data, recordType } }),
    });
    const did = didFromSoul(soul);
    const now = Date.now();
    const { wire, record } = recordForPublish({
      soul,
      recordType,
      data,
      publisher,
      localId: input.localId ?? null,
      now,
      privateKeyHex: privateKey,
    });
    const [result] = await this.#o.store.bulkUpsert([record]);
    if (!result?.ok)
      throw Object.assign(new RecordRefusedError(result?.error?.message ?? 'unknown reason'), {
        details: { storeCode: result?.error?.code ?? null },
      });
    try {
      await this.#o.relay.putRecord(soul, wire);
      await this.#o.relay.registerRecord({
        soul,
        did,
        recordType,
        creatorPubKey: publisher.publicKey,
        nodeId: this.#o.nodeId,
        root: this.#o.registryRoot,
        timestamp: now,
      });
    } catch (err) {
      await this.#o.store.delete(did).catch(() => false);
      throw new RelayUnavailableError('record', { cause: err });
    }
    return { did, soul, recordToIndex: record, storage: 'gun', encrypted: wire.meta['encrypted'] === true };
  }

  async #signingKey(publicKey: string): Promise<string> {
    const key = await this.#o.keys.privateKeyOf(publicKey);
    if (key === null) throw new PublisherKeyLockedError();
    return key;
  }

  /**
   * Owner (creator public key) or admin only; a record the caller may not see answers as a missing
   * one. Marks the deletion registry with an entry signed by the caller's key (other nodes apply it
   * only when that is the record's owner), then drops the record here.
   */
  async delete(
    did: string,
    caller: { publicKey: string | null; isAdmin: boolean },
  ): Promise<{ did: string; deletedBy: string }> {
    const record = caller.isAdmin
      ? await this.#o.store.get(did)
      : await this.#o.store.get(did, { access: { viewerPublicKey: caller.publicKey } });
    if (record === null) throw new RecordNotFoundError();
    const owner = (record.oip.creator as { publicKey?: unknown } | undefined)?.publicKey;
    if (!caller.isAdmin && (caller.publicKey === null || owner !== caller.publicKey)) throw new NotOwnerError();
    if (caller.publicKey === null) throw new PublisherKeyLockedError();
    const deletedBy = caller.publicKey;
    const deletedAt = Date.now();
    const proof = signDeletion({ did, deletedAt, deletedBy }, await this.#signingKey(deletedBy));
    try {
      await this.#o.relay.markDeleted(did, deletedBy, {}, { deletedAt, ...proof });
    } catch (err) {
      throw new RelayUnavailableError('deletion', { cause: err });
    }
    await this.#o.store.delete(did);
    return { did, deletedBy };
  }
}

/** The publisher of an app's routes: its store, its relay and the keyring (none: nothing can be signed). */
export function routePublisher(
  app: { store: RecordStore; relay: GunClient; keyring?: SigningKeys | null | undefined },
  where: { nodeId: string; registryRoot: string },
): RecordPublisher {
  return new RecordPublisher({
    store: app.store,
    relay: app.relay,
    keys: app.keyring ?? NO_SIGNING_KEYS,
    nodeId: where.nodeId,
    registryRoot: where.registryRoot,
  });
}
