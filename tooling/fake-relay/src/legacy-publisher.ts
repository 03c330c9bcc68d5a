// Publishes records over a relay's HTTP API exactly as legacy OIP nodes do (helpers/gun.js
// putRecord, publishToGun, oipGunRegistry.registerOIPRecord, gunDeletionRegistry.markDeleted),
// so tests see what a real legacy network holds: arrays as JSON strings inside `data`, `data` and
// `oip` as JSON strings, `meta` a nested object, registry index entries nested objects, and the
// publisher's own `oip.indexedAt`. Against a legacy-mode fake relay the nested parts come back as links.
import { createHash, randomBytes } from 'node:crypto';

/** The legacy publisher's transform: every array (at any depth) becomes its JSON text. */
export function convertArraysForGUN(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = convertArraysForGUN(v);
    return out;
  }
  return value;
}

export interface LegacyPublisherOptions {
  /** Relay API base, e.g. a fake relay's `url` or a node's `…/gun-relay`. */
  baseUrl: string;
  /** The publisher's public key: the soul prefix is the first 12 hex of its sha256. */
  publicKey: string;
  /** @defaultValue `did:arweave:legacy-publisher` */
  didAddress?: string;
  /** The legacy node id written into registry entries. @defaultValue 'feedc0de00000001' */
  nodeId?: string;
  /** @defaultValue 'oip:registry' */
  registryRoot?: string;
  /** @defaultValue Date.now */
  now?: () => number;
}

export interface LegacyPublishInput {
  localId: string;
  recordType: string;
  /** The record's categories (`basic`, `<recordType>`, …) with real arrays: the publisher converts them. */
  data: Record<string, unknown>;
  /** The publisher's `oip.indexedAt`. @defaultValue now, as ISO */
  indexedAt?: string;
  /** Registry entry timestamp (the version consumers see). @defaultValue now */
  timestamp?: number;
  /** Publish as a private record: `data` replaced by `{ encrypted, iv, tag }`, `meta.encrypted` true. */
  encrypted?: boolean;
  /** Skip the registry write (a record nobody announced). */
  register?: boolean;
}

export class LegacyPublisher {
  readonly #o: Required<LegacyPublisherOptions>;

  constructor(options: LegacyPublisherOptions) {
    this.#o = {
      didAddress: 'did:arweave:legacy-publisher',
      nodeId: 'feedc0de00000001',
      registryRoot: 'oip:registry',
      now: Date.now,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  get nodeId(): string {
    return this.#o.nodeId;
  }

  /** `<sha256(publicKey)[0..12]>:<localId>`, the legacy soul for a local id. */
  soulFor(localId: string): string {
    return `${createHash('sha256').update(this.#o.publicKey).digest('hex').slice(0, 12)}:${localId}`;
  }

  /** Puts the record as legacy putRecord does, then registers it; returns its soul and DID. */
  async publish(input: LegacyPublishInput): Promise<{ soul: string; did: string }> {
    const soul = this.soulFor(input.localId);
    const did = `did:gun:${soul}`;
    const now = this.#o.now();
    const oip = {
      did,
      didTx: did,
      recordType: input.recordType,
      indexedAt: input.indexedAt ?? new Date(now).toISOString(),
      ver: '0.8.0',
      signature: 'legacy-test-signature',
      creator: { didAddress: this.#o.didAddress, publicKey: this.#o.publicKey },
    };
    const dataText = JSON.stringify(convertArraysForGUN(input.data));
    const meta: Record<string, unknown> = { created: now, localId: input.localId, encrypted: false };
    let data: unknown = dataText;
    if (input.encrypted) {
      // Shape only: nobody here decrypts, the consumer must skip it.
      data = {
        encrypted: Buffer.from(dataText).toString('base64'),
        iv: randomBytes(12).toString('base64'),
        tag: randomBytes(16).toString('base64'),
      };
      Object.assign(meta, {
        encrypted: true,
        encryptionMethod: 'aes-256-gcm',
        encryptionType: 'per-user',
        encryptedBy: this.#o.publicKey,
      });
    }
    await this.put(soul, { data, oip: JSON.stringify(oip), meta });
    if (input.register !== false) await this.register(soul, input.recordType, input.timestamp ?? now);
    return { soul, did };
  }

  /** registerOIPRecord: the node's own entry, then `index:<type>` gets `{ [soul]: { soul, nodeId, timestamp } }`. */
  async register(soul: string, recordType: string, timestamp = this.#o.now(), nodeId = this.#o.nodeId): Promise<void> {
    const root = this.#o.registryRoot;
    await this.put(`${root}:nodes:${nodeId}:${soul}`, {
      did: `did:gun:${soul}`,
      soul,
      recordType,
      creatorPubKey: this.#o.publicKey,
      nodeId,
      timestamp,
      oipVersion: '0.8.0',
    });
    await this.put(`${root}:index:${recordType}`, { [soul]: { soul, nodeId, timestamp } });
  }

  /** markDeleted: the per-DID entry with its ISO `timestamp`, then the index flag `true`. */
  async markDeleted(did: string, deletedBy = this.#o.publicKey): Promise<void> {
    const now = this.#o.now();
    await this.put(`oip:deleted:records:${did}`, {
      did,
      deletedAt: now,
      deletedBy,
      timestamp: new Date(now).toISOString(),
    });
    await this.put('oip:deleted:records:index', { [did]: true });
  }

  /** `POST /put`; throws with the relay's status and body on anything but 2xx. */
  async put(soul: string, data: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.#o.baseUrl}/put`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ soul, data }),
    });
    const text = await res.text();
    if (!res.ok)
      throw Object.assign(new Error(`legacy put ${soul}: ${res.status} ${text.slice(0, 200)}`), {
        code: 'FAKE_RELAY_PUT_FAILED',
        status: res.status,
      });
  }
}
