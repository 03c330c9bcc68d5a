// The publishers' signing keys this node holds, by public key: what the api signs and encrypts
// with and what the sync-worker opens its users' encrypted records with. Keys come from the
// accounts' custody envelopes (key-custody.ts). Keys found, and keys with no account here, are
// cached with a bound and a short TTL, so a deleted account's key is gone within that TTL.
import { LRUCache } from 'lru-cache';
import { isAccountsError } from './errors.js';
import { custodyKey, openCustodySecrets } from './key-custody.js';
import type { AccountStore } from './types.js';

export interface PublisherKeyringOptions {
  store: Pick<AccountStore, 'findByPublicKey'>;
  /** The node secret custody envelopes are sealed under. */
  custodySecret: string;
  /** Most public keys remembered. @defaultValue 1000 */
  cacheMax?: number;
  /** How long a lookup (found or not) is remembered, ms. @defaultValue 30000 */
  cacheTtlMs?: number;
}

export type KeyringMiss = 'no-account' | 'no-custody' | 'sealed-elsewhere';

interface Entry {
  privateKey: string | null;
  miss: KeyringMiss | null;
}

interface Held extends Entry {
  /** A migrated account's legacy GUN salt (custody v2); null otherwise. */
  legacyGunSalt: string | null;
}

export class PublisherKeyring {
  readonly #store: PublisherKeyringOptions['store'];
  readonly #key: Buffer;
  readonly #cache: LRUCache<string, Held>;

  constructor(options: PublisherKeyringOptions) {
    this.#store = options.store;
    this.#key = custodyKey(options.custodySecret);
    this.#cache = new LRUCache<string, Held>({ max: options.cacheMax ?? 1000, ttl: options.cacheTtlMs ?? 30_000 });
  }

  /** The private key (hex) of the account holding `publicKey`, or null (see `lookup` for why). */
  async privateKeyOf(publicKey: string): Promise<string | null> {
    return (await this.lookup(publicKey)).privateKey;
  }

  /** The key, or why there is none: no account here, no custody yet (log in again), sealed under another node secret. */
  async lookup(publicKey: string): Promise<Entry> {
    const { privateKey, miss } = await this.#held(publicKey);
    return { privateKey, miss };
  }

  /**
   * The legacy GUN salt of the account holding `publicKey` (migrated from a legacy node and logged
   * in here since), or null: with it the sync-worker opens the records legacy encrypted for it.
   */
  async legacySaltOf(publicKey: string): Promise<string | null> {
    return (await this.#held(publicKey)).legacyGunSalt;
  }

  async #held(publicKey: string): Promise<Held> {
    const hit = this.#cache.get(publicKey);
    if (hit !== undefined) return hit;
    const entry = await this.#load(publicKey);
    // A key waiting for its owner's next login is looked up again, so it is usable right after it.
    if (entry.miss === null || entry.miss === 'no-account') this.#cache.set(publicKey, entry);
    return entry;
  }

  /** Drops what is remembered of a key (after login seals it again, or the account is deleted). */
  forget(publicKey: string): void {
    this.#cache.delete(publicKey);
  }

  async #load(publicKey: string): Promise<Held> {
    const account = await this.#store.findByPublicKey(publicKey);
    if (account === null) return { privateKey: null, miss: 'no-account', legacyGunSalt: null };
    if (account.custody === null) return { privateKey: null, miss: 'no-custody', legacyGunSalt: null };
    try {
      const held = openCustodySecrets(account.custody, account.publicKey, this.#key);
      return { privateKey: held.privateKey, miss: null, legacyGunSalt: held.legacyGunSalt };
    } catch (err) {
      if (isAccountsError(err)) return { privateKey: null, miss: 'sealed-elsewhere', legacyGunSalt: null };
      throw err;
    }
  }
}
