// Preparing the records index for the adapter: create it (legacy-compatible mapping) when
// missing, read its mapping and limits into a field-type guard, and map `meta.setAside`.
import type { Client, estypes } from '@elastic/elasticsearch';
import type { FieldTypeGuard } from '../field-type-guard.js';
import { mappingToFieldTypes, presetsFromDynamicTemplates, recordsIndexMappings } from '../legacy-mapping.js';
import { SET_ASIDE_FIELD } from '../set-aside.js';
import { mapClientError } from './es-errors.js';

/**
 * Creates `index` unless it exists. `index.mapping.coerce: false` makes the node refuse what the
 * guard refuses (1.5 into a long field, "5" into a number field) instead of storing a truncated
 * or converted value, so a write without the guard (or past a stale one) fails the same way.
 */
export async function createRecordsIndex(client: Client, index: string, dateDetection: boolean): Promise<void> {
  if (await client.indices.exists({ index })) return;
  try {
    await client.indices.create({
      index,
      settings: { 'index.mapping.coerce': false },
      mappings: { ...recordsIndexMappings, date_detection: dateDetection } as estypes.MappingTypeMapping,
    });
  } catch (err) {
    const type = (err as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type;
    // Another process created it between our exists and create.
    if (type !== 'resource_already_exists_exception') throw err;
    await waitForShards(client, index);
  }
}

/**
 * An index another process has just created exists before its primary shards are up, and until
 * then the node answers reads with 503 no_shard_available_action_exception; our own create
 * waits for them, this waits for theirs. Health reports such an index yellow already (primaries
 * initialising for the first time), so it waits for an active shard as well. (A store whose
 * exists check lands in that window instead gets that 503 once, as STORE_ERR_UNAVAILABLE,
 * which its callers retry.)
 */
async function waitForShards(client: Client, index: string): Promise<void> {
  await client.cluster.health({ index, wait_for_status: 'yellow', wait_for_active_shards: 1, timeout: '30s' });
}

/** Limits the caller fixed; the rest come from the index. */
export interface FixedLimits {
  maxFields?: number | undefined;
  maxDepth?: number | undefined;
}

/**
 * Teaches `guard` the index's mapped types, the presets its dynamic templates imply (an index
 * created before those templates has none, so its paths keep the first-sight rule ES applies
 * there), and its mapping limits unless the caller fixed them.
 */
export async function loadMappingInto(
  client: Client,
  index: string,
  guard: FieldTypeGuard,
  fixed: FixedLimits,
): Promise<void> {
  await loadLimits(client, index, guard, fixed);
  const res = await client.indices.getMapping({ index }, { ignore: [404] });
  type Mappings = { properties?: Record<string, unknown>; dynamic_templates?: unknown };
  for (const value of Object.values(res as Record<string, { mappings?: Mappings }>)) {
    const props = value?.mappings?.properties;
    if (props !== undefined) for (const [path, type] of mappingToFieldTypes(props)) guard.learn(path, type);
    for (const [path, type] of presetsFromDynamicTemplates(value?.mappings?.dynamic_templates)) {
      guard.preset(path, type);
    }
  }
}

/**
 * A legacy index may have raised `total_fields.limit`, and the guard must not refuse what ES
 * would accept.
 */
async function loadLimits(client: Client, index: string, guard: FieldTypeGuard, fixed: FixedLimits): Promise<void> {
  if (fixed.maxFields !== undefined && fixed.maxDepth !== undefined) return;
  const res = await client.indices.getSettings(
    { index, flat_settings: true, include_defaults: false },
    { ignore: [404] },
  );
  for (const value of Object.values(res as Record<string, { settings?: Record<string, unknown> }>)) {
    const settings = value?.settings ?? {};
    const fields = Number(settings['index.mapping.total_fields.limit']);
    const depth = Number(settings['index.mapping.depth.limit']);
    guard.setLimits({
      ...(fixed.maxFields === undefined && Number.isFinite(fields) ? { maxFields: fields } : {}),
      ...(fixed.maxDepth === undefined && Number.isFinite(depth) ? { maxDepth: depth } : {}),
    });
  }
}

/**
 * Maps `meta.setAside` as an unindexed text field before the first degraded record is written.
 * Resolves once it is mapped or ES refused for good (e.g. an index where meta.setAside was mapped
 * dynamically, indexed: the records still store; the string is then searchable there, which
 * costs nothing wrong); throws on a transient failure.
 */
export async function mapSetAsideUnindexed(client: Client, index: string): Promise<void> {
  try {
    await client.indices.putMapping({
      index,
      properties: { meta: { properties: { [SET_ASIDE_FIELD]: { type: 'text', index: false } } } },
    });
  } catch (err) {
    const mapped = mapClientError(err, 'mapping meta.setAside');
    if (!mapped.permanent) throw mapped;
  }
}
