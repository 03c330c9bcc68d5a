// Fuzzy search terms for records_fts, as legacy's search is fuzzy (oip-arweave-indexer
// helpers/elasticsearch.js:4363-4400: multi_match with `fuzziness: "AUTO"`). Elasticsearch's AUTO
// allows no edit in a term of 1-2 characters, one in 3-5 and two past 5. Here a term of 3 or more
// letters or digits also matches every word one edit away (a deletion, an insertion, a
// substitution or a swap of neighbours, over a-z, 0-9 and the term's own characters) that some
// record holds: those words join the term in an OR group. They are found through the terms'
// deletion keys (term-keys.ts): at 1M records looking each of a term's ~700 variants up in
// records_fts's dictionary cost ~14 ms a search. Two edits (Elasticsearch's AUTO for terms past 5
// characters) would be ~10^5 variants a term, so this store stops at one: the difference is
// documented.

/** records_fts's tokenizer; folded() keeps a word as it does. */
export const FTS_TOKENIZER = 'unicode61 remove_diacritics 2';
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

/**
 * The one-edit variants of `term` (folded, oneEditVariants() order, `term` itself left out) that
 * records_fts holds, at most `max` (term-keys.ts indexedNeighbours()).
 */
export type Neighbours = (term: string, max: number) => string[];

const BASE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const WORD = /^[\p{L}\p{N}]+$/u;

/** Lower-cased without diacritics, as records_fts's tokenizer (FTS_TOKENIZER) keeps a word in its dictionary. */
function folded(term: string): string {
  return term.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

/**
 * `term` lower-cased without diacritics when it gets variants (a single word of FUZZY_MIN_LENGTH to
 * FUZZY_MAX_LENGTH characters), else null.
 */
export function variantBase(term: string): string | null {
  const t = folded(term);
  const n = [...t].length;
  return n < FUZZY_MIN_LENGTH || n > FUZZY_MAX_LENGTH || !WORD.test(t) ? null : t;
}

/**
 * The words one edit from `term` (lower-cased, diacritics removed), `term` first, deduplicated;
 * just `term` when it gets none (variantBase()).
 */
export function oneEditVariants(term: string): string[] {
  const t = variantBase(term);
  if (t === null) return [folded(term)];
  const chars = [...t];
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

/**
 * Ranks words by where they first come in oneEditVariants(`base`)'s order (`base` as
 * variantBase() returns it): the rank sorts as that order does (it is not the index); null for a
 * word that is not one of the variants, or is `base` itself. A word costs one pass over it, not
 * the ~700 variants.
 */
export function variantRanker(base: string): (word: string) => number | null {
  const t = [...base];
  const n = t.length;
  const alphabet = new Map([...new Set([...BASE_ALPHABET, ...t])].map((c, i) => [c, i] as const));
  const a = alphabet.size;
  // The generation order: for each position i, the insertions before it (one per letter of the
  // alphabet), then (i < n) the deletion of it, its substitutions, and the swap with the next.
  const block = 2 * a + 2;
  const letter = (c: string | undefined) => (c === undefined ? -1 : (alphabet.get(c) ?? -1));
  return (word) => {
    const v = [...word];
    // Longest common prefix and suffix of t and v: an edit at i needs the prefix to reach i and
    // the suffix to cover what follows the edit.
    let pre = 0;
    while (pre < n && pre < v.length && t[pre] === v[pre]) pre++;
    let suf = 0;
    while (suf < n && suf < v.length && t[n - 1 - suf] === v[v.length - 1 - suf]) suf++;
    let best: number | null = null;
    const take = (rank: number) => {
      if (best === null || rank < best) best = rank;
    };
    if (v.length === n + 1) {
      // v = t[0, i) + c + t[i, n): i ≤ pre and n - i ≤ suf.
      for (let i = Math.max(0, n - suf); i <= Math.min(pre, n); i++) {
        const c = letter(v[i]);
        if (c >= 0) take(i * block + c);
      }
    } else if (v.length === n - 1) {
      // v = t without t[i]: i ≤ pre and n - 1 - i ≤ suf.
      for (let i = Math.max(0, n - 1 - suf); i <= Math.min(pre, n - 1); i++) take(i * block + a);
    } else if (v.length === n && pre < n) {
      // One position differs (a substitution by a letter of the alphabet), or two neighbours swapped.
      if (pre + suf === n - 1) {
        const c = letter(v[pre]);
        if (c >= 0) take(pre * block + a + 1 + c);
      }
      if (pre + suf === n - 2 && t[pre] === v[pre + 1] && t[pre + 1] === v[pre]) take(pre * block + 2 * a + 1);
    }
    return best;
  };
}

const phrase = (t: string): string => `"${t.replace(/"/g, '""')}"`;

/**
 * FTS5 MATCH expression of a search: each term (the first FUZZY_MAX_TERMS) an OR group of itself
 * and the first FUZZY_MAX_KEPT of its one-edit variants the index holds (`neighbours`), the
 * groups joined by AND or OR. A term the index does not hold stays in its group: it matches
 * nothing, and the group still matches its variants.
 */
export function fuzzyFtsExpression(terms: readonly string[], mode: 'AND' | 'OR', neighbours: Neighbours): string {
  const groups = terms.map((t, i) => {
    const self = i < FUZZY_MAX_TERMS ? variantBase(t) : null;
    if (self === null) return phrase(t);
    const kept = neighbours(self, FUZZY_MAX_KEPT);
    return kept.length === 0 ? phrase(t) : `(${[self, ...kept].map(phrase).join(' OR ')})`;
  });
  return groups.join(mode === 'OR' ? ' OR ' : ' AND ');
}
