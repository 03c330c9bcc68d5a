// Legacy user documents made the way the legacy node's routes/user.js makes them
// (completeRegistration ~line 300, encrypt*WithPassword ~line 18-90, setAdminStatus, the calendar
// token routes), and its `users` index with the mapping helpers/elasticsearch.js
// ensureUserIndexExists gives it: the source side of `oip migrate accounts` in tests. Written here
// from the legacy behaviour, not copied. Elasticsearch is spoken to over fetch (no client needed).
import { createCipheriv, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { hash as bcryptHash } from '@node-rs/bcrypt';

/** A publisher key pair (as @oip/accounts' createPublisherKeys makes it: m/44'/0'/0'/0/0). */
export interface LegacyKeys {
  mnemonic: string;
  publicKey: string;
  privateKey: string;
}

export interface LegacyUserSpec {
  email: string;
  password: string;
  keys: LegacyKeys;
  /** The ES `_id` (legacy's userId). @defaultValue 20 random base64url characters, as ES makes them */
  id?: string;
  /** setAdminStatus(userId, true). @defaultValue absent */
  isAdmin?: boolean;
  /** @defaultValue 'inactive' */
  subscriptionStatus?: 'active' | 'inactive';
  /** @defaultValue null */
  paymentMethod?: string | null;
  /** The per-user GUN salt (64 hex). @defaultValue 32 random bytes as hex */
  gunSalt?: string;
  /** A calendar token whose SHA-256 legacy stored. @defaultValue none */
  calendarToken?: string;
  /** @defaultValue now */
  createdAt?: Date;
}

export interface LegacyUserDocument {
  id: string;
  source: Record<string, unknown>;
  /** The GUN salt sealed in the document, in the clear (for assertions). */
  gunSalt: string;
}

/** Legacy's AES-256-GCM envelope under PBKDF2-SHA256(password, purpose salt, 100,000, 32). */
export function legacySeal(plain: string, password: string, purposeSalt: string): string {
  const key = pbkdf2Sync(password, purposeSalt, 100_000, 32, 'sha256');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return JSON.stringify({
    encrypted: encrypted.toString('base64'),
    iv: iv.toString('base64'),
    authTag: cipher.getAuthTag().toString('base64'),
  });
}

/** A registered legacy user's document (`waitlistStatus: 'registered'`). */
export async function legacyUserDocument(spec: LegacyUserSpec): Promise<LegacyUserDocument> {
  const gunSalt = spec.gunSalt ?? randomBytes(32).toString('hex');
  const createdAt = spec.createdAt ?? new Date();
  const source: Record<string, unknown> = {
    email: spec.email,
    passwordHash: await bcryptHash(spec.password, { cost: 10 }),
    publicKey: spec.keys.publicKey,
    encryptedPrivateKey: legacySeal(spec.keys.privateKey, spec.password, 'oip-private-key-encryption'),
    encryptedMnemonic: legacySeal(spec.keys.mnemonic, spec.password, 'oip-mnemonic-encryption'),
    encryptedGunSalt: legacySeal(gunSalt, spec.password, 'oip-salt-encryption'),
    keyDerivationPath: "m/44'/0'/0'/0/0",
    createdAt: createdAt.toISOString(),
    waitlistStatus: 'registered',
    subscriptionStatus: spec.subscriptionStatus ?? 'inactive',
    paymentMethod: spec.paymentMethod ?? null,
  };
  if (spec.isAdmin !== undefined) source['isAdmin'] = spec.isAdmin;
  if (spec.calendarToken !== undefined) {
    source['calendarTokenHash'] = createHash('sha256').update(spec.calendarToken).digest('hex');
    source['calendarTokenCreatedAt'] = createdAt.getTime();
    source['calendarTokenLastUsed'] = null;
  }
  return { id: spec.id ?? randomBytes(15).toString('base64url'), source, gunSalt };
}

/** The mapping legacy's ensureUserIndexExists creates the `users` index with (other fields map dynamically). */
export const LEGACY_USERS_MAPPINGS = {
  properties: {
    email: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    passwordHash: { type: 'text' },
    subscriptionStatus: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    paymentMethod: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    createdAt: { type: 'date' },
    publicKey: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
    encryptedPrivateKey: { type: 'text' },
    encryptedMnemonic: { type: 'text' },
    encryptedGunSalt: { type: 'text' },
    keyDerivationPath: { type: 'text' },
    waitlistStatus: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
  },
} as const;

async function es(
  url: string,
  method: string,
  path: string,
  body?: string,
  type = 'application/json',
): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': type },
    ...(body === undefined ? {} : { body }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`Elasticsearch ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Creates a legacy `users` index at `url` holding `docs` (refreshed, so a search sees them all).
 * Raw documents (a waitlist entry, a damaged user) go in as they are.
 */
export async function createLegacyUsersIndex(
  url: string,
  index: string,
  docs: ReadonlyArray<{ id: string; source: Record<string, unknown> }>,
): Promise<void> {
  await es(url, 'PUT', `/${encodeURIComponent(index)}`, JSON.stringify({ mappings: LEGACY_USERS_MAPPINGS }));
  if (docs.length === 0) return;
  const lines = docs.flatMap((d) => [JSON.stringify({ index: { _id: d.id } }), JSON.stringify(d.source)]);
  const res = (await es(
    url,
    'POST',
    `/${encodeURIComponent(index)}/_bulk?refresh=true`,
    `${lines.join('\n')}\n`,
    'application/x-ndjson',
  )) as { errors?: boolean };
  if (res.errors === true) throw new Error(`Elasticsearch bulk into ${index} had errors`);
}

/** Deletes `index` (absent is fine). */
export async function dropIndex(url: string, index: string): Promise<void> {
  await fetch(`${url}/${encodeURIComponent(index)}`, { method: 'DELETE' });
}
