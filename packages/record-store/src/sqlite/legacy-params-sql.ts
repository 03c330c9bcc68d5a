// SQL for the legacy /api/records parameters of legacy-params.ts (hasAudio, inArweaveBlock,
// template, didTxRef, url, model, the AND modes of exerciseType and cuisine, excluded record
// types). The JSON paths are fixed here; every user value is a parameter. "Holds a value" is
// Elasticsearch's `exists`: some non-null scalar at any depth (`[]`, `null`, `[null]` are none),
// so both stores agree on it.
import type { NormalizedQuery } from '../query.js';

const LEAF = "t.type NOT IN ('object', 'array', 'null')";

/** The value at a fixed path holds a non-null scalar somewhere. */
const holdsValue = (path: string): string => `EXISTS (SELECT 1 FROM json_tree(r.body, '${path}') t WHERE ${LEAF})`;

/** A string scalar at a fixed path (the value itself or an element of a list) satisfies `condition` on `j.value`. */
const textWhere = (path: string, condition: string): string =>
  `EXISTS (SELECT 1 FROM json_each(r.body, '${path}') j WHERE j.type = 'text' AND (j.key IS NULL OR typeof(j.key) = 'integer') AND (${condition}))`;

const AUDIO = ['$.data.post.audioItems', '$.data.basic.audioItems'] as const;

export function addLegacyParams(q: NormalizedQuery, clauses: string[], params: unknown[]): void {
  if (q.hasAudio !== undefined) {
    const any = `(${AUDIO.map(holdsValue).join(' OR ')})`;
    clauses.push(q.hasAudio ? any : `NOT ${any}`);
  }
  if (q.inArweaveBlock !== undefined) {
    if (q.inArweaveBlock === null) clauses.push('r.in_arweave_block IS NULL');
    else {
      clauses.push('r.in_arweave_block = ?');
      params.push(q.inArweaveBlock);
    }
  }
  if (q.template !== undefined) {
    // A category (key of data) whose name contains the value and that holds a value.
    clauses.push(
      `EXISTS (SELECT 1 FROM json_each(r.body, '$.data') c WHERE oip_contains(c.key, ?) AND (c.type NOT IN ('object', 'array', 'null') OR (c.type IN ('object', 'array') AND EXISTS (SELECT 1 FROM json_tree(c.value) t WHERE ${LEAF}))))`,
    );
    params.push(q.template);
  }
  if (q.didTxRef !== undefined) {
    clauses.push(`EXISTS (SELECT 1 FROM json_tree(r.body, '$.data') t WHERE t.type = 'text' AND instr(t.atom, ?) = 1)`);
    params.push(q.didTxRef);
  }
  if (q.url !== undefined) {
    clauses.push(
      `(${textWhere('$.data.basic.url', 'j.value = ?')} OR ${textWhere('$.data.basic.webUrl', 'j.value = ?')})`,
    );
    params.push(q.url, q.url);
  }
  if (q.model !== undefined) {
    const one = textWhere('$.data.modelProvider.supported_models', 'oip_contains(j.value, ?)');
    const parts = q.model.items.map(() => one);
    clauses.push(q.model.mode === 'AND' ? parts.join(' AND ') : `(${parts.join(' OR ')})`);
    params.push(...q.model.items);
  }
  for (const spellings of q.exerciseTypesAll ?? []) {
    const cond = 'oip_lower(j.value) IN (SELECT value FROM json_each(?))';
    clauses.push(
      `(${textWhere('$.data.exercise.exercise_type', cond)} OR ${textWhere('$.data.exercise.exerciseType', cond)})`,
    );
    params.push(JSON.stringify(spellings), JSON.stringify(spellings));
  }
  for (const c of q.cuisineAll ?? []) {
    clauses.push(textWhere('$.data.recipe.cuisine', 'oip_contains(j.value, ?)'));
    params.push(c);
  }
  if (q.excludeRecordTypes !== undefined) {
    clauses.push('r.record_type NOT IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.excludeRecordTypes));
  }
}
