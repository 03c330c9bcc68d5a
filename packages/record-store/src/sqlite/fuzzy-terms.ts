// Fuzzy search terms for records_fts, as legacy's search is fuzzy (oip-arweave-indexer
// helpers/elasticsearch.js:4363-4400: multi_match with `fuzziness: "AUTO"`). Elasticsearch's AUTO
// allows no edit in a term of 1-2 characters, one in 3-5 and two past 5. Here a term of 3 or more
// letters or digits also matches every word one edit away (a deletion, an insertion, a
// substitution or a swap of neighbours, over a-z, 0-9 and the term's own characters): each
// variant is one more phrase of an OR group, which FTS5 looks up in its term index (a variant no
// record holds costs one seek). Two edits (Elasticsearch's AUTO for terms past 5 characters) would
// be ~10^5 variants a term, so this store stops at one: the difference is documented.

/** Shortest term that gets variants (Elasticsearch AUTO: 3). */
export const FUZZY_MIN_LENGTH = 3;
/** Longest term that gets variants: longer words are matched exactly (bounds a query's phrases). */
export const FUZZY_MAX_LENGTH = 24;
/** Most search terms a query expands; the rest are matched exactly. */
export const FUZZY_MAX_TERMS = 8;

const BASE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const WORD = /^[\p{L}\p{N}]+$/u;

/**
 * The words one edit from `term` (lower-cased), `term` first, deduplicated; just `term` when it
 * is shorter than FUZZY_MIN_LENGTH, longer than FUZZY_MAX_LENGTH or not a single word.
 */
export function oneEditVariants(term: string): string[] {
  const t = term.toLowerCase();
  const chars = [...t];
  if (chars.length < FUZZY_MIN_LENGTH || chars.length > FUZZY_MAX_LENGTH || !WORD.test(t)) return [t];
  const alphabet = [...new Set([...BASE_ALPHABET, ...chars])];
  const out = new Set<string>([t]);
  const word = (parts: string[]) => parts.join('');
  for (let i = 0; i <= chars.length; i++) {
    const head = chars.slice(0, i);
    const tail = chars.slice(i);
    for (const c of alphabet) out.add(word([...head, c, ...tail]));
    if (i < chars.length) {
      const rest = chars.slice(i + 1);
      out.add(word([...head, ...rest]));
      for (const c of alphabet) out.add(word([...head, c, ...rest]));
      if (i + 1 < chars.length) out.add(word([...head, chars[i + 1]!, chars[i]!, ...chars.slice(i + 2)]));
    }
  }
  return [...out];
}

const phrase = (t: string): string => `"${t.replace(/"/g, '""')}"`;

/**
 * FTS5 MATCH expression of a search: each term an OR group of itself and its one-edit variants
 * (the first FUZZY_MAX_TERMS terms), the groups joined by AND or OR.
 */
export function fuzzyFtsExpression(terms: readonly string[], mode: 'AND' | 'OR'): string {
  const groups = terms.map((t, i) => {
    const variants = i < FUZZY_MAX_TERMS ? oneEditVariants(t) : [t];
    return variants.length === 1 ? phrase(t) : `(${variants.map(phrase).join(' OR ')})`;
  });
  return groups.join(mode === 'OR' ? ' OR ' : ' AND ');
}
