// Widening a field in an Elasticsearch index. ES never changes an existing field's type in
// place, so the mapping update is tried first (ES is the judge: it applies what it allows, e.g.
// a field only the guard knew) and, when ES refuses, the index is copied into a new one with the
// wider type and the alias moved to it: scroll through the old index with the client's
// scrollSearch helper, write with its bulk helper, check the counts, switch in one _aliases call.
import type { Client, estypes } from '@elastic/elasticsearch';
import { StoreFieldUnknownError, StoreInternalError, StoreReindexRequiredError } from '../errors.js';
import type { FieldTypeEntry, WidenOptions, WidenResult } from '../types.js';
import { doubleFieldTemplates } from '../legacy-mapping.js';
import { checkWidening } from '../widening.js';
import { mapClientError } from './es-errors.js';

interface MappingNode {
  type?: string;
  properties?: Record<string, MappingNode>;
  [key: string]: unknown;
}

/** The index (or alias) mapping as `{ concrete index name, mappings }`. */
export async function readMapping(
  client: Client,
  index: string,
): Promise<{ concrete: string; mappings: estypes.MappingTypeMapping }> {
  const res = (await client.indices.getMapping({ index })) as Record<string, { mappings?: estypes.MappingTypeMapping }>;
  const [concrete, value] = Object.entries(res)[0] ?? [];
  if (concrete === undefined) throw new StoreInternalError(`no mapping returned for ${index}`);
  return { concrete, mappings: value?.mappings ?? {} };
}

/** Every mapped path with its ES type (`object` for inner objects), sorted by path. */
export function flattenMapping(properties: Record<string, MappingNode> | undefined, prefix = ''): FieldTypeEntry[] {
  const out: FieldTypeEntry[] = [];
  for (const [name, node] of Object.entries(properties ?? {})) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    out.push({ path, type: node.type ?? 'object' });
    if (node.properties !== undefined) out.push(...flattenMapping(node.properties, path));
  }
  return prefix === '' ? out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) : out;
}

function nodeAt(properties: Record<string, MappingNode> | undefined, path: string): MappingNode | undefined {
  let props = properties;
  let node: MappingNode | undefined;
  for (const seg of path.split('.')) {
    node = props?.[seg];
    if (node === undefined) return undefined;
    props = node.properties;
  }
  return node;
}

/** The mapping of a field of type `to` (text keeps a keyword sub-field, as dynamic mapping gives it). */
function fieldMapping(to: string): MappingNode {
  return to === 'text' ? { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } : { type: to };
}

/** A `properties` tree holding only `path` with `node`, for a put-mapping call. */
function onlyPath(path: string, node: MappingNode): Record<string, MappingNode> {
  const segs = path.split('.');
  let tree: Record<string, MappingNode> = { [segs.at(-1)!]: node };
  for (const seg of segs.slice(0, -1).reverse()) tree = { [seg]: { properties: tree } };
  return tree;
}

/** `mappings` with the node at `path` replaced (a deep copy; the original is left alone). */
function withPath(mappings: estypes.MappingTypeMapping, path: string, node: MappingNode): estypes.MappingTypeMapping {
  const copy = structuredClone(mappings) as { properties?: Record<string, MappingNode> };
  const segs = path.split('.');
  let props = (copy.properties ??= {});
  for (const seg of segs.slice(0, -1)) props = (props[seg] ??= { properties: {} }).properties ??= {};
  props[segs.at(-1)!] = node;
  return copy as estypes.MappingTypeMapping;
}

/**
 * `mappings` with the per-type table's double templates added where missing (by name), so a copy
 * of an index made before them fixes the table's other quantities as double at first sight too.
 * Paths the index has already mapped keep their mapping: a template only decides a new path.
 */
function withDoubleTemplates(mappings: estypes.MappingTypeMapping): estypes.MappingTypeMapping {
  const templates = [...((mappings.dynamic_templates ?? []) as Array<Record<string, unknown>>)];
  const names = new Set(templates.flatMap((t) => Object.keys(t)));
  for (const t of doubleFieldTemplates()) if (!Object.keys(t).some((n) => names.has(n))) templates.push(t);
  return { ...mappings, dynamic_templates: templates as estypes.MappingTypeMapping['dynamic_templates'] };
}

const isTypeChangeRefusal = (err: unknown): boolean => {
  const body = (err as { meta?: { body?: { error?: { type?: string; reason?: string } } } }).meta?.body;
  return (
    body?.error?.type === 'illegal_argument_exception' && /cannot be changed from type/.test(body.error.reason ?? '')
  );
};

/** Index settings worth carrying into the copy (mapping limits, analysis), flat. */
async function copyableSettings(client: Client, concrete: string): Promise<Record<string, unknown>> {
  const res = (await client.indices.getSettings({ index: concrete, flat_settings: true })) as Record<
    string,
    { settings?: Record<string, unknown> }
  >;
  const flat = res[concrete]?.settings ?? {};
  return Object.fromEntries(
    Object.entries(flat).filter(
      ([k]) => k.startsWith('index.mapping.') || k.startsWith('index.analysis.') || k === 'index.number_of_shards',
    ),
  );
}

export interface EsWidenTarget {
  client: Client;
  /** The name the store reads and writes: an alias, or (legacy) a concrete index. */
  index: string;
  /** The new index's name. @defaultValue `<index>-<epoch ms>` */
  newIndexName?: string;
}

/** Applies a widening to an ES index (module comment). */
export async function widenEsField(
  t: EsWidenTarget,
  path: string,
  to: string,
  opts: WidenOptions = {},
): Promise<WidenResult> {
  const { client, index } = t;
  const { concrete, mappings } = await readMapping(client, index).catch((err: unknown) => {
    throw mapClientError(err, 'reading mapping');
  });
  const node = nodeAt(mappings.properties as Record<string, MappingNode> | undefined, path);
  if (node === undefined)
    throw new StoreFieldUnknownError(`${path} is not in the mapping of ${index}`, { details: { path, index } });
  const from = node.type ?? 'object';
  if (checkWidening(path, from, to) === 'unchanged') return { path, from, to, method: 'unchanged' };
  try {
    await client.indices.putMapping({
      index,
      properties: onlyPath(path, fieldMapping(to)) as Record<string, estypes.MappingProperty>,
    });
    return { path, from, to, method: 'mapping' };
  } catch (err) {
    if (!isTypeChangeRefusal(err)) throw mapClientError(err, 'updating mapping');
  }
  const target = t.newIndexName ?? `${index}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  if (opts.reindex !== true) {
    throw new StoreReindexRequiredError(
      `Elasticsearch cannot change ${path} from ${from} to ${to} in place: the index ${concrete} must be copied into a new index (${target}) with the wider type and ${index} pointed at it. Stop the sync workers, then run again with reindex`,
      { details: { path, from, to, index: concrete, alias: index, target } },
    );
  }
  try {
    return await reindex(
      client,
      { index, concrete, target, mappings: withDoubleTemplates(withPath(mappings, path, fieldMapping(to))) },
      { path, from, to },
    );
  } catch (err) {
    throw mapClientError(err, 'reindexing');
  }
}

async function reindex(
  client: Client,
  r: { index: string; concrete: string; target: string; mappings: estypes.MappingTypeMapping },
  w: { path: string; from: string; to: string },
): Promise<WidenResult> {
  const aliased = r.concrete !== r.index;
  await client.indices.create({
    index: r.target,
    mappings: r.mappings,
    settings: await copyableSettings(client, r.concrete),
  });
  await client.indices.refresh({ index: r.concrete });
  const expected = (await client.count({ index: r.concrete })).count;
  const dropped: string[] = [];
  async function* documents(): AsyncGenerator<{ _id: string; _source: unknown }> {
    for await (const page of client.helpers.scrollSearch({ index: r.concrete, size: 500, query: { match_all: {} } })) {
      for (const hit of page.body.hits.hits) if (hit._id !== undefined) yield { _id: hit._id, _source: hit._source };
    }
  }
  const stats = await client.helpers.bulk({
    datasource: documents(),
    onDocument: (doc) => [{ index: { _index: r.target, _id: doc._id } }, doc._source as Record<string, unknown>],
    onDrop: (d) => void dropped.push(String(d.error?.reason ?? d.status)),
    refreshOnCompletion: r.target,
    retries: 0,
  });
  const copied = (await client.count({ index: r.target })).count;
  if (stats.failed > 0 || copied !== expected) {
    await client.indices.delete({ index: r.target }, { ignore: [404] });
    throw new StoreInternalError(
      `reindex of ${r.concrete} into ${r.target} copied ${copied} of ${expected} documents (${stats.failed} failed${dropped[0] ? `: ${dropped[0]}` : ''}); ${r.target} deleted, ${r.index} unchanged. Were writers still running?`,
      { details: { ...w, expected, copied, failed: stats.failed } },
    );
  }
  // One _aliases call: readers see the old index or the new one, never neither. A legacy
  // concrete index named like the alias must go in the same call to free the name.
  const actions: estypes.IndicesUpdateAliasesAction[] = aliased
    ? [{ remove: { index: r.concrete, alias: r.index } }, { add: { index: r.target, alias: r.index } }]
    : [{ add: { index: r.target, alias: r.index } }, { remove_index: { index: r.concrete } }];
  await client.indices.updateAliases({ actions });
  return {
    ...w,
    method: 'reindex',
    reindex: { from: r.concrete, to: r.target, alias: r.index, documents: copied, oldIndexKept: aliased },
  };
}
