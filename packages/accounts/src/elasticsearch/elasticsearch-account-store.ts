// The account store on Elasticsearch. `_id` = normalised email and writes go through the create
// API (op_type create), so a second account with the same email is refused by ES itself (409)
// even between api instances. Writes refresh the (one-shard, small, rarely written) index at
// once, so id lookups (a search) and counts see them: `wait_for` waited up to the 1 s refresh
// interval on every register, login stamp and password change.
import type { Client, estypes } from '@elastic/elasticsearch';
import { normalizeEmail } from '../email.js';
import { DuplicateEmailError, SchemaError, StoreClosedError, StoreFailureError } from '../errors.js';
import { withDefaults } from '../new-account.js';
import { adminListLimit, keyHoldersLimit, listWindow } from '../store-limits.js';
import type {
  AccountRecord,
  AccountStore,
  CredentialsChange,
  CredentialsUpgrade,
  ListOptions,
  NewAccount,
  StatusChange,
} from '../types.js';
import { type AccountsEsClientOptions, createAccountsEsClient } from './es-client.js';
import { esErrorType, esStatus, mapEsError } from './es-errors.js';
import {
  ACCOUNTS_INDEX_SCHEMA_VERSION,
  DEFAULT_ACCOUNTS_INDEX,
  accountsIndexMappings,
  accountsIndexSettings,
} from './es-mapping.js';

export type ElasticsearchAccountStoreOptions =
  { client: Client; index?: string } | (AccountsEsClientOptions & { index?: string });

type Source = AccountRecord;
type Sort = estypes.Sort;

function fromSource(source: unknown): AccountRecord {
  const s = source as Partial<Source> | undefined;
  if (
    s === undefined ||
    typeof s.id !== 'string' ||
    typeof s.email !== 'string' ||
    typeof s.passwordHash !== 'string' ||
    typeof s.publicKey !== 'string' ||
    typeof s.secrets !== 'string' ||
    typeof s.keyDerivationPath !== 'string' ||
    typeof s.createdAt !== 'string'
  ) {
    throw new StoreFailureError('account document in Elasticsearch is incomplete');
  }
  return {
    id: s.id,
    email: s.email,
    passwordHash: s.passwordHash,
    publicKey: s.publicKey,
    secrets: s.secrets,
    keyDerivationPath: s.keyDerivationPath,
    isAdmin: s.isAdmin === true,
    createdAt: s.createdAt,
    // Documents written before schema v2 have no custody field, before v3 none of the rest.
    custody: typeof s.custody === 'string' ? s.custody : null,
    tokenStamp: typeof s.tokenStamp === 'string' ? s.tokenStamp : null,
    calendarTokenHash: typeof s.calendarTokenHash === 'string' ? s.calendarTokenHash : null,
    calendarTokenCreatedAt: typeof s.calendarTokenCreatedAt === 'string' ? s.calendarTokenCreatedAt : null,
    subscriptionStatus: s.subscriptionStatus === 'active' ? 'active' : 'inactive',
    paymentStatus: s.paymentStatus === 'Active' ? 'Active' : 'Inactive',
  };
}

/** Oldest first, as the SQLite store orders the same lookups. */
const OLDEST_FIRST: Sort = [{ createdAt: 'asc' }, { id: 'asc' }];

export class ElasticsearchAccountStore implements AccountStore {
  readonly index: string;
  readonly #client: Client;
  readonly #ownsClient: boolean;
  #ready: Promise<void> | undefined;
  #closed = false;

  constructor(options: ElasticsearchAccountStoreOptions) {
    this.index = options.index ?? DEFAULT_ACCOUNTS_INDEX;
    if ('client' in options) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else {
      this.#client = createAccountsEsClient(options);
      this.#ownsClient = true;
    }
  }

  /** Creates the index with the accounts mapping, or checks an existing one's schema version. */
  async #ensureIndex(): Promise<void> {
    const client = this.#client;
    const index = this.index;
    if (!(await client.indices.exists({ index }))) {
      try {
        await client.indices.create({ index, mappings: accountsIndexMappings, settings: accountsIndexSettings });
        return;
      } catch (err) {
        // Another instance created it first: fall through to the check.
        if (esErrorType(err) !== 'resource_already_exists_exception') throw err;
      }
    }
    // An index another instance has just created exists before its shard is up, and until then
    // the node answers reads with 503 no_shard_available_action_exception. Health reports such
    // an index yellow already (primaries initialising for the first time), so wait for the shard.
    await client.cluster.health({ index, wait_for_status: 'yellow', wait_for_active_shards: 1, timeout: '30s' });
    const mapping = await client.indices.getMapping({ index });
    const first = Object.values(mapping)[0] as
      { mappings?: { _meta?: { accountsSchemaVersion?: unknown } } } | undefined;
    const version = first?.mappings?._meta?.accountsSchemaVersion;
    if (typeof version !== 'number') throw new SchemaError(`index ${index} exists but is not an accounts index`);
    if (version > ACCOUNTS_INDEX_SCHEMA_VERSION) {
      throw new SchemaError(
        `accounts index schema version ${version} is newer than this code (${ACCOUNTS_INDEX_SCHEMA_VERSION})`,
      );
    }
    // Older versions only lack fields: adding them to the strict mapping is an in-place change.
    if (version < ACCOUNTS_INDEX_SCHEMA_VERSION) {
      await client.indices.putMapping({
        index,
        properties: accountsIndexMappings.properties,
        _meta: accountsIndexMappings._meta,
      });
    }
  }

  async #use<T>(action: string, fn: (client: Client) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreClosedError();
    try {
      this.#ready ??= this.#ensureIndex().catch((err: unknown) => {
        this.#ready = undefined; // try again on the next call
        throw err;
      });
      await this.#ready;
      return await fn(this.#client);
    } catch (err) {
      throw mapEsError(err, action);
    }
  }

  create(account: NewAccount): Promise<AccountRecord> {
    const record = withDefaults(account);
    return this.#use('create account', async (client) => {
      try {
        await client.create({ index: this.index, id: record.email, document: record, refresh: true });
      } catch (err) {
        if (esStatus(err) === 409) throw new DuplicateEmailError(undefined, { cause: err });
        throw err;
      }
      return record;
    });
  }

  async #getByEmail(client: Client, email: string): Promise<AccountRecord | null> {
    try {
      const doc = await client.get({ index: this.index, id: email });
      return doc.found ? fromSource(doc._source) : null;
    } catch (err) {
      if (esStatus(err) === 404) return null;
      throw err;
    }
  }

  findByEmail(email: string): Promise<AccountRecord | null> {
    return this.#use('find account by email', (client) => this.#getByEmail(client, normalizeEmail(email)));
  }

  async #searchById(client: Client, id: string): Promise<AccountRecord | null> {
    const res = await client.search({ index: this.index, query: { term: { id } }, size: 1 });
    const hit = res.hits.hits[0];
    return hit === undefined ? null : fromSource(hit._source);
  }

  findById(id: string): Promise<AccountRecord | null> {
    return this.#use('find account by id', (client) => this.#searchById(client, id));
  }

  findByPublicKey(publicKey: string): Promise<AccountRecord | null> {
    return this.#use('find account by public key', async (client) => {
      const res = await client.search({
        index: this.index,
        query: { term: { publicKey } },
        sort: OLDEST_FIRST,
        size: 1,
      });
      const hit = res.hits.hits[0];
      return hit === undefined ? null : fromSource(hit._source);
    });
  }

  listByPublicKey(publicKey: string, limit: number): Promise<AccountRecord[]> {
    const size = keyHoldersLimit(limit);
    return this.#use('list accounts by public key', async (client) => {
      const res = await client.search({ index: this.index, query: { term: { publicKey } }, sort: OLDEST_FIRST, size });
      return res.hits.hits.map((hit) => fromSource(hit._source));
    });
  }

  /** Finds the account by id and updates its document (keyed by email) with `doc`. */
  #updateById(action: string, id: string, doc: Partial<AccountRecord>): Promise<AccountRecord | null> {
    return this.#use(action, async (client) => {
      const found = await this.#searchById(client, id);
      if (found === null) return null;
      try {
        await client.update({ index: this.index, id: found.email, doc, refresh: true });
      } catch (err) {
        if (esStatus(err) === 404) return null; // deleted in between
        throw err;
      }
      return { ...found, ...doc };
    });
  }

  setAdmin(id: string, isAdmin: boolean): Promise<AccountRecord | null> {
    return this.#updateById('set admin flag', id, { isAdmin });
  }

  setCustody(id: string, custody: string): Promise<AccountRecord | null> {
    return this.#updateById('set custody', id, { custody });
  }

  setCredentials(id: string, change: CredentialsChange): Promise<AccountRecord | null> {
    // One partial update: hash, secrets and stamp never land apart.
    return this.#updateById('set credentials', id, {
      passwordHash: change.passwordHash,
      secrets: change.secrets,
      tokenStamp: change.tokenStamp,
      calendarTokenHash: null,
      calendarTokenCreatedAt: null,
    });
  }

  upgradeCredentials(id: string, change: CredentialsUpgrade, ifPasswordHash: string): Promise<AccountRecord | null> {
    return this.#use('upgrade credentials', async (client) => {
      const found = await this.#searchById(client, id);
      if (found === null) return null;
      // Read the document's version and write only over that version (no scripts: a node without
      // the painless module has none), so of two first logins at once one writes.
      let doc;
      try {
        doc = await client.get({ index: this.index, id: found.email });
      } catch (err) {
        if (esStatus(err) === 404) return null;
        throw err;
      }
      const current = fromSource(doc._source);
      if (current.id !== id || current.passwordHash !== ifPasswordHash) return null;
      const update: Partial<AccountRecord> = { passwordHash: change.passwordHash, secrets: change.secrets };
      try {
        await client.update({
          index: this.index,
          id: found.email,
          doc: update,
          if_seq_no: doc._seq_no!,
          if_primary_term: doc._primary_term!,
          refresh: true,
        });
      } catch (err) {
        const status = esStatus(err);
        if (status === 404 || status === 409) return null;
        throw err;
      }
      return { ...current, ...update };
    });
  }

  setCalendarToken(id: string, hash: string | null, createdAt: string | null): Promise<AccountRecord | null> {
    return this.#updateById('set calendar token', id, { calendarTokenHash: hash, calendarTokenCreatedAt: createdAt });
  }

  setStatus(id: string, change: StatusChange): Promise<AccountRecord | null> {
    const doc: Partial<AccountRecord> = {};
    if (change.subscriptionStatus !== undefined) doc.subscriptionStatus = change.subscriptionStatus;
    if (change.paymentStatus !== undefined) doc.paymentStatus = change.paymentStatus;
    return this.#updateById('set status', id, doc);
  }

  list(options?: ListOptions): Promise<AccountRecord[]> {
    const { offset, limit } = listWindow(options);
    return this.#use('list accounts', async (client) => {
      if (limit === 0) return [];
      const res = await client.search({
        index: this.index,
        query: { match_all: {} },
        sort: OLDEST_FIRST,
        from: offset,
        size: limit,
      });
      return res.hits.hits.map((hit) => fromSource(hit._source));
    });
  }

  delete(id: string): Promise<boolean> {
    return this.#use('delete account', async (client) => {
      const found = await this.#searchById(client, id);
      if (found === null) return false;
      try {
        await client.delete({ index: this.index, id: found.email, refresh: true });
        return true;
      } catch (err) {
        if (esStatus(err) === 404) return false;
        throw err;
      }
    });
  }

  listAdmins(limit?: number): Promise<AccountRecord[]> {
    const size = adminListLimit(limit);
    return this.#use('list admins', async (client) => {
      if (size === 0) return [];
      const res = await client.search({
        index: this.index,
        query: { term: { isAdmin: true } },
        sort: OLDEST_FIRST,
        size,
      });
      return res.hits.hits.map((hit) => fromSource(hit._source));
    });
  }

  count(): Promise<number> {
    return this.#use('count accounts', async (client) => (await client.count({ index: this.index })).count);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsClient) await this.#client.close();
  }
}

export function createElasticsearchAccountStore(options: ElasticsearchAccountStoreOptions): ElasticsearchAccountStore {
  return new ElasticsearchAccountStore(options);
}
