// `oip dlq list --group path`: one line per field path, the operator's "what is wrong and where".
import type { DeadLetterGroup, GroupResult } from '@oip/sync-state';

const iso = (ms: number): string => (Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : '-');
const counts = (m: Record<string, number>): string =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${k}=${n}`)
    .join(',');

/** One group as one line. */
function groupLine(g: DeadLetterGroup): string {
  const what =
    g.kind === 'mapping_conflict'
      ? `${g.fixedTypes.join('/')} vs ${g.incomingTypes.join('/')}`
      : g.kind === 'invalid'
        ? `invalid: ${g.rules.join(' | ')}`
        : `codes ${counts(g.codes)}`;
  return [
    g.path ?? '(no field)',
    `${g.count} record${g.count === 1 ? '' : 's'}${g.degraded > 0 ? ` (${g.degraded} degraded)` : ''}`,
    counts(g.recordTypes),
    what,
    `first ${iso(g.firstSeen)}`,
    `last ${iso(g.lastSeen)}`,
    ...(g.samples.length > 0 ? [`samples ${g.samples.join(' | ')}`] : []),
  ].join('  ');
}

/** The header and one line per group. */
export function groupLines(r: GroupResult, total: number): string[] {
  const head = `${total} dead letters in ${r.groups.length} group${r.groups.length === 1 ? '' : 's'} by path (scanned ${r.scanned}${r.truncated ? ', truncated: the oldest entries are not counted' : ''})`;
  return [head, ...r.groups.map(groupLine)];
}
