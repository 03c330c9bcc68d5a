// The store's result order in JS (field value, missing last, then DID ascending), used to merge
// the named and unnamed halves of an ES noDuplicates search.
import type { OipRecord, SortField } from '../types.js';

function sortValue(r: OipRecord, field: SortField): number | string | undefined {
  const v =
    field === 'inArweaveBlock'
      ? r.oip.inArweaveBlock
      : field === 'date'
        ? r.data['basic']?.['date']
        : field === 'indexedAt'
          ? Date.parse(String(r.oip.indexedAt))
          : field === 'recordType'
            ? r.oip.recordType
            : r.data['basic']?.['name'];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function compareRecords(sort: {
  field: SortField;
  order: 'asc' | 'desc';
}): (a: OipRecord, b: OipRecord) => number {
  return (a, b) => {
    const va = sortValue(a, sort.field);
    const vb = sortValue(b, sort.field);
    if (va === undefined && vb !== undefined) return 1;
    if (vb === undefined && va !== undefined) return -1;
    if (va !== undefined && vb !== undefined && va !== vb) {
      const c = va < vb ? -1 : 1;
      return sort.order === 'asc' ? c : -c;
    }
    return a.oip.did < b.oip.did ? -1 : a.oip.did > b.oip.did ? 1 : 0;
  };
}
