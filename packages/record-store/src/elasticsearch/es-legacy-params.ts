// Query DSL for the legacy /api/records parameters of legacy-params.ts. template and didTxRef
// name no field: they read the index mapping first (the data categories, the keyword fields under
// data), which the adapter fetches per such query (mappedDataFields) so a category another
// process just wrote is not missed.
import type { NormalizedQuery } from '../query.js';

type Json = Record<string, unknown>;

/** What template and didTxRef read of the mapping. */
export interface MappedDataFields {
  /** The keys of `data` (record categories). */
  categories: string[];
  /** Every keyword field under `data` (`….keyword` sub-fields included). */
  keywordFields: string[];
}

interface MappingNode {
  type?: string;
  properties?: Record<string, MappingNode>;
  fields?: Record<string, MappingNode>;
}

/** True when the query needs the mapping (template, didTxRef). */
export function needsMapping(q: NormalizedQuery): boolean {
  return q.template !== undefined || q.didTxRef !== undefined;
}

/** The data categories and keyword fields of a getMapping answer (every index it names). */
export function mappedDataFields(
  res: Record<string, { mappings?: { properties?: Record<string, unknown> } }>,
): MappedDataFields {
  const categories = new Set<string>();
  const keywordFields = new Set<string>();
  const walk = (props: Record<string, MappingNode>, prefix: string): void => {
    for (const [name, node] of Object.entries(props)) {
      const path = `${prefix}.${name}`;
      if (node.type === 'keyword') keywordFields.add(path);
      for (const [sub, f] of Object.entries(node.fields ?? {}))
        if (f.type === 'keyword') keywordFields.add(`${path}.${sub}`);
      if (node.properties !== undefined) walk(node.properties, path);
    }
  };
  for (const index of Object.values(res)) {
    const data = (index?.mappings?.properties?.['data'] as MappingNode | undefined)?.properties;
    if (data === undefined) continue;
    for (const c of Object.keys(data)) categories.add(c);
    walk(data, 'data');
  }
  return { categories: [...categories].sort(), keywordFields: [...keywordFields].sort() };
}

const any = (should: Json[]): Json =>
  should.length === 0 ? { bool: { must_not: [{ match_all: {} }] } } : { bool: { should, minimum_should_match: 1 } };
const contains = (field: string, needle: string): Json => ({
  wildcard: { [field]: { value: `*${needle.replace(/[\\*?]/g, (c) => `\\${c}`)}*`, case_insensitive: true } },
});
const equalsCi = (field: string, value: string): Json => ({ term: { [field]: { value, case_insensitive: true } } });
const AUDIO = ['data.post.audioItems', 'data.basic.audioItems'] as const;
const MODELS = 'data.modelProvider.supported_models.keyword';

export function legacyParamClauses(q: NormalizedQuery, mapped: MappedDataFields | undefined): Json[] {
  const filter: Json[] = [];
  if (q.hasAudio !== undefined) {
    const audio = AUDIO.map((field) => ({ exists: { field } }));
    filter.push(q.hasAudio ? any(audio) : { bool: { must_not: audio } });
  }
  if (q.inArweaveBlock !== undefined) {
    filter.push(
      q.inArweaveBlock === null
        ? { bool: { must_not: [{ exists: { field: 'oip.inArweaveBlock' } }] } }
        : { term: { 'oip.inArweaveBlock': q.inArweaveBlock } },
    );
  }
  if (q.template !== undefined) {
    const wanted = q.template;
    const cats = (mapped?.categories ?? []).filter((c) => c.toLowerCase().includes(wanted));
    filter.push(any(cats.map((c) => ({ exists: { field: `data.${c}` } }))));
  }
  if (q.didTxRef !== undefined) {
    const ref = q.didTxRef;
    filter.push(any((mapped?.keywordFields ?? []).map((f) => ({ prefix: { [f]: ref } }))));
  }
  if (q.url !== undefined) {
    filter.push(any(['data.basic.url.keyword', 'data.basic.webUrl.keyword'].map((f) => ({ term: { [f]: q.url } }))));
  }
  if (q.model !== undefined) {
    const parts = q.model.items.map((m) => contains(MODELS, m));
    filter.push(...(q.model.mode === 'AND' ? parts : [any(parts)]));
  }
  for (const spellings of q.exerciseTypesAll ?? []) {
    filter.push(
      any(
        spellings.flatMap((t) => [
          equalsCi('data.exercise.exercise_type.keyword', t),
          equalsCi('data.exercise.exerciseType.keyword', t),
        ]),
      ),
    );
  }
  for (const c of q.cuisineAll ?? []) filter.push(contains('data.recipe.cuisine.keyword', c));
  if (q.excludeRecordTypes !== undefined) {
    filter.push({ bool: { must_not: [{ terms: { 'oip.recordType.keyword': q.excludeRecordTypes } }] } });
  }
  return filter;
}
