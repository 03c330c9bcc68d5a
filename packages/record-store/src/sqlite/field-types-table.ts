// The SQLite store's persisted field types (`field_types`): the guard's memory of what every
// process on the file has fixed. One row per path; rows are inserted by writes and replaced by
// widenings, which move the row to a new rowid so every process's rowid cursor sees the change.
import type Database from 'better-sqlite3';
import { StoreFieldUnknownError, StoreInvalidError } from '../errors.js';
import { FIELD_TYPES, isFieldType, type FieldType } from '../field-type-names.js';
import type { FieldTypeGuard } from '../field-type-guard.js';
import type { FieldTypeEntry, WidenResult } from '../types.js';
import { checkWidening } from '../widening.js';

export class FieldTypesTable {
  readonly #guard: FieldTypeGuard;
  /** Highest field_types rowid folded into the guard. */
  #seq = 0;
  readonly #since: Database.Statement<[number], { seq: number; path: string; type: string }>;
  readonly #insert: Database.Statement<[string, string]>;
  readonly #move: Database.Statement<[string, string]>;

  constructor(db: Database.Database, guard: FieldTypeGuard) {
    this.#guard = guard;
    this.#since = db.prepare<[number], { seq: number; path: string; type: string }>(
      'SELECT rowid AS seq, path, type FROM field_types WHERE rowid > ? ORDER BY rowid',
    );
    this.#insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO field_types (path, type) VALUES (?, ?)');
    // A plain UPDATE, or delete + insert, could keep or reuse the rowid a cursor has passed.
    this.#move = db.prepare<[string, string]>(
      'UPDATE field_types SET type = ?, rowid = (SELECT MAX(rowid) FROM field_types) + 1 WHERE path = ?',
    );
  }

  /**
   * Folds rows written since the last call (by this or other processes) into the guard. The
   * table is the truth: a newer row for a path replaces the guard's type.
   */
  sync(): void {
    for (const row of this.#since.iterate(this.#seq)) {
      if (isFieldType(row.type)) this.#guard.set(row.path, row.type);
      this.#seq = row.seq;
    }
  }

  /** Persists the types a batch added (inside the write transaction). */
  persist(additions: ReadonlyMap<string, FieldType>): void {
    for (const [path, type] of additions) this.#insert.run(path, type);
  }

  entries(): FieldTypeEntry[] {
    return [...this.#guard.entries()]
      .map(([path, type]) => ({ path, type }))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Widens a path's type; call inside an IMMEDIATE transaction, then sync(). */
  widen(path: string, to: string): WidenResult {
    this.sync();
    const from = this.#guard.typeOf(path);
    if (from === undefined)
      throw new StoreFieldUnknownError(`no field type is fixed for ${path}`, { details: { path } });
    if (checkWidening(path, from, to) === 'unchanged') return { path, from, to, method: 'unchanged' };
    if (!isFieldType(to)) {
      throw new StoreInvalidError(
        `the SQLite store's guard cannot hold type ${to} (it tracks ${FIELD_TYPES.join(', ')})`,
        { details: { path, to } },
      );
    }
    // Legacy base types have no row yet: insert first, then move the row.
    this.#insert.run(path, to);
    this.#move.run(to, path);
    return { path, from, to, method: 'guard' };
  }
}
