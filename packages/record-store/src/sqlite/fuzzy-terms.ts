// Fuzzy search terms for records_fts, as legacy's search is fuzzy (oip-arweave-indexer
// helpers/elasticsearch.js:4363-4400: multi_match with `fuzziness: "AUTO"`). Elasticsearch's AUTO
// allows no edit in a term of 1-2 characters, one in 3-5 and two past 5. Here a term of 3 or more
// letters or digits also matches every word one edit away (a deletion, an insertion, a
// substitution or a swap of neighbours, over a-z, 0-9 and the term's own characters). The
// variants (~700 for a 10-letter word) are first looked up in records_fts's term dictionary
// (search-index.ts knownTerms(), one seek each), and only those some record holds join the term
// in an OR group: a MATCH phrase no record holds still costs its own seeks, and a dictionary
// seek is the cheaper of the two (1M records, GET /api/records?search=kettlebell%20tempo p99 under
// load 1,612 → 275 ms; an exact-count search in-process 168 → 57 ms). Two edits
// (Elasticsearch's AUTO for terms past 5 characters) would be ~10^5 variants a term, so this
// store stops at one: the difference is documented.

/** Shortest term that gets variants (Elasticsearch AUTO: 3). */
export const FUZZY_MIN_LENGTH = 3;
/** Longest term that gets variants: longer words are matched exactly (bounds a query's phrases). */
export const FUZZY_MAX_LENGTH = 24;
/** Most search terms a query expands; the rest are matched exactly. */
export const FUZZY_MAX_TERMS = 8;
/**
 * Most variants the index holds kept beside a term, the first in variant order: each is one more
 * doclist the MATCH reads (and, past the dictionary look-up, the only cost a variant has), so a
 * term among many near neighbours (short words, numbers) stays a bounded OR group.
 */
export const FUZZY_MAX_KEPT = 16;

/** Which of `words` records_fts's term dictionary holds (search-index.ts knownTerms()). */
export type KnownTerms = (words: readonly string[]) => ReadonlySet<string>;

const BASE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const WORD = /^[\p{L}\p{N}]+$/u;

/** Lower-cased without diacritics, as records_fts's tokenizer (unicode61 remove_diacritics 2) keeps a word in its dictionary. */
function folded(term: string): string {
  return term.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * The words one edit from `term` (lower-cased, diacritics removed), `term` first, deduplicated;
 * just `term` when it is shorter than FUZZY_MIN_LENGTH, longer than FUZZY_MAX_LENGTH or not a
 * single word.
 */
export function oneEditVariants(term: string): string[] {
  const t = folded(term);
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
 * FTS5 MATCH expression of a search: each term (the first FUZZY_MAX_TERMS) an OR group of itself
 * and the first FUZZY_MAX_KEPT of its one-edit variants that `known` finds in the index, the
 * groups joined by AND or OR. A term the index does not hold stays in its group: it matches
 * nothing, and the group still matches its variants.
 */
export function fuzzyFtsExpression(terms: readonly string[], mode: 'AND' | 'OR', known: KnownTerms): string {
  const groups = terms.map((t, i) => {
    const [self = t, ...others] = i < FUZZY_MAX_TERMS ? oneEditVariants(t) : [t];
    if (others.length === 0) return phrase(t);
    const found = known(others);
    const kept = others.filter((v) => found.has(v)).slice(0, FUZZY_MAX_KEPT);
    return kept.length === 0 ? phrase(t) : `(${[self, ...kept].map(phrase).join(' OR ')})`;
  });
  return groups.join(mode === 'OR' ? ' OR ' : ' AND ');
}
