// resolveFieldName as legacy reads it (oip-arweave-indexer helpers/utils.js resolveRecords,
// shouldResolveField 243-258): each path names the dref fields to resolve as `data.<category>.<field>`
// or `<category>.<field>`, a whole category as `data.<category>` or `<category>`, or everything as
// `data`. The same selection applies at every level of the resolution, as in legacy.

/** Whether the dref field `data.<category>.<field>` is resolved. */
export type FieldSelection = (category: string, field: string) => boolean;

/** The selection `paths` make; null when they select every field (none given, or `data`). */
export function fieldSelection(paths: readonly string[] | undefined): FieldSelection | null {
  if (paths === undefined || paths.length === 0) return null;
  // Sets keyed by the caller's paths: lookups by string, nothing inherited.
  const categories = new Set<string>();
  const fields = new Set<string>();
  for (const raw of paths) {
    const path = raw.trim();
    if (path === '') continue;
    // `fieldPath.startsWith(target + '.')` with target `data`: every field.
    if (path === 'data') return null;
    const short = path.startsWith('data.') ? path.slice(5) : path;
    const dot = short.indexOf('.');
    if (dot === -1) categories.add(short);
    else fields.add(short);
  }
  if (categories.size === 0 && fields.size === 0) return null;
  return (category, field) => categories.has(category) || fields.has(`${category}.${field}`);
}
