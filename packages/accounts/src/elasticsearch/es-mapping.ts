// The accounts index: strict mapping (a stray field is refused, not silently mapped), one
// shard (it is small), and the schema version in the mapping's `_meta`. `_id` is the
// normalised email, which is what makes the email unique (the create API refuses an existing id).

export const DEFAULT_ACCOUNTS_INDEX = 'accounts';
/**
 * v2 added `custody`; v3 the token stamp, the calendar token and the legacy statuses. An index of an
 * older version gets the new fields put into its mapping (its documents read the defaults).
 */
export const ACCOUNTS_INDEX_SCHEMA_VERSION = 3;

const stored = { type: 'keyword', index: false, doc_values: false } as const;

export const accountsIndexMappings = {
  dynamic: 'strict',
  _meta: { accountsSchemaVersion: ACCOUNTS_INDEX_SCHEMA_VERSION },
  properties: {
    id: { type: 'keyword' },
    email: { type: 'keyword' },
    publicKey: { type: 'keyword' },
    passwordHash: stored,
    secrets: stored,
    keyDerivationPath: stored,
    isAdmin: { type: 'boolean' },
    createdAt: { type: 'date' },
    custody: stored,
    tokenStamp: stored,
    calendarTokenHash: stored,
    calendarTokenCreatedAt: stored,
    subscriptionStatus: { type: 'keyword' },
    paymentStatus: { type: 'keyword' },
  },
} as const;

export const accountsIndexSettings = { number_of_shards: 1 } as const;
