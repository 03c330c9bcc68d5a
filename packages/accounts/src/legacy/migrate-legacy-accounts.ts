// `oip migrate accounts`: every user of a legacy node's `users` index into this node's account
// store (legacy-user.ts says what is kept). Safe to run again: an account already here (same id)
// is left as it is, so a second run writes nothing and a run stopped half-way is finished by the
// next. Memory holds one page of the legacy index. A failure on one user is counted and the run
// goes on; losing the store (unavailable, closed) ends it.
import type { Client } from '@elastic/elasticsearch';
import { isAccountsError } from '../errors.js';
import type { AccountStore, NewAccount } from '../types.js';
import { legacyUserToAccount, type LegacySkipReason } from './legacy-user.js';
import {
  DEFAULT_LEGACY_USERS_INDEX,
  type LegacyUserDoc,
  countLegacyUsers,
  legacyUserPages,
} from './legacy-users-source.js';

export interface MigrateLegacyAccountsOptions {
  /** A client of the legacy node's Elasticsearch (the caller's, the caller closes it). */
  source: Client;
  /** This node's account store. */
  target: AccountStore;
  /** @defaultValue 'users' */
  index?: string;
  /** Read and check everything, write nothing. @defaultValue false */
  dryRun?: boolean;
  /** Legacy documents a page. @defaultValue 200 */
  pageSize?: number;
  /** Called after each page with the counts so far. */
  onProgress?: (progress: MigrationProgress) => void;
  /** Called for each user not written (skipped or failed). */
  onUser?: (event: UserOutcome) => void;
  /** Clock for users without a creation time. @defaultValue () => new Date() */
  now?: () => Date;
}

export interface MigrationProgress {
  read: number;
  written: number;
  skipped: number;
  failed: number;
  /** Documents in the legacy index when the run began. */
  total: number;
}

export interface UserOutcome {
  id: string;
  email: string | null;
  outcome: 'skipped' | 'failed';
  /** A LegacySkipReason, or the error code of a failure. */
  reason: string;
  message?: string;
}

export interface MigrationReport {
  index: string;
  dryRun: boolean;
  read: number;
  /** Accounts created (in a dry run: that would be). */
  written: number;
  skipped: Partial<Record<LegacySkipReason, number>>;
  /** By error code. */
  failed: Record<string, number>;
}

const STORE_LOST = new Set(['ACCOUNTS_ERR_STORE_UNAVAILABLE', 'ACCOUNTS_ERR_CLOSED', 'ACCOUNTS_ERR_SCHEMA']);
/** A dry run remembers emails and keys it would write, to report the clashes a real run would meet; bounded. */
const MAX_DRY_RUN_SEEN = 100_000;

const emailOf = (source: unknown): string | null => {
  const e = (source as { email?: unknown } | null)?.email;
  return typeof e === 'string' ? e : null;
};

/** Why `account` cannot be created here, or null when it can. */
async function clash(target: AccountStore, account: NewAccount): Promise<LegacySkipReason | null> {
  const byId = await target.findById(account.id);
  if (byId !== null) return byId.email === account.email ? 'already-migrated' : 'id-taken';
  if ((await target.findByEmail(account.email)) !== null) return 'email-taken';
  if ((await target.findByPublicKey(account.publicKey)) !== null) return 'key-taken';
  return null;
}

export async function migrateLegacyAccounts(options: MigrateLegacyAccountsOptions): Promise<MigrationReport> {
  const { source, target } = options;
  const index = options.index ?? DEFAULT_LEGACY_USERS_INDEX;
  const dryRun = options.dryRun === true;
  const now = options.now ?? (() => new Date());
  const report: MigrationReport = { index, dryRun, read: 0, written: 0, skipped: {}, failed: {} };
  const progress: MigrationProgress = { read: 0, written: 0, skipped: 0, failed: 0, total: 0 };
  const seenEmails = new Set<string>();
  const seenKeys = new Set<string>();
  progress.total = await countLegacyUsers(source, index);

  const skip = (doc: LegacyUserDoc, reason: LegacySkipReason): void => {
    report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
    progress.skipped++;
    options.onUser?.({ id: doc.id, email: emailOf(doc.source), outcome: 'skipped', reason });
  };
  const fail = (doc: LegacyUserDoc, code: string, message: string): void => {
    report.failed[code] = (report.failed[code] ?? 0) + 1;
    progress.failed++;
    options.onUser?.({ id: doc.id, email: emailOf(doc.source), outcome: 'failed', reason: code, message });
  };

  for await (const page of legacyUserPages(source, {
    index,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  })) {
    for (const doc of page) {
      report.read++;
      progress.read++;
      const verdict = legacyUserToAccount(doc.id, doc.source, now());
      if (verdict.kind === 'skip') {
        skip(doc, verdict.reason);
        continue;
      }
      const account = verdict.account;
      try {
        let reason = await clash(target, account);
        if (reason === null && dryRun) {
          if (seenEmails.has(account.email)) reason = 'email-taken';
          else if (seenKeys.has(account.publicKey)) reason = 'key-taken';
        }
        if (reason !== null) {
          skip(doc, reason);
          continue;
        }
        if (dryRun) {
          if (seenEmails.size < MAX_DRY_RUN_SEEN) {
            seenEmails.add(account.email);
            seenKeys.add(account.publicKey);
          }
        } else {
          await target.create(account);
        }
        report.written++;
        progress.written++;
      } catch (err) {
        if (!isAccountsError(err) || STORE_LOST.has(err.code)) throw err;
        // Another writer took the email between the check and the insert.
        if (err.code === 'ACCOUNTS_ERR_DUPLICATE_EMAIL') skip(doc, 'email-taken');
        else fail(doc, err.code, err.message);
      }
    }
    options.onProgress?.({ ...progress });
  }
  return report;
}
