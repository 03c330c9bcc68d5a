// The five typical FitnessAlly queries of the records benchmarks (GET /api/records and the
// matching store query) and the HTTP load loop that measures one of them against an api process.
import type { SearchQuery } from '@oip/record-store';
import type { ApiProcess } from './api-process.js';
import { percentile } from './api-server.js';
import { SCHEDULE_START, creatorOf, fitnessRecord } from './fitness-records.js';

export interface QueryCase {
  name: string;
  path: string;
  query: SearchQuery;
}

// Two tags that occur together (those of one record), so tags AND has matches at every size.
const [TAG_A = '', TAG_B = ''] = fitnessRecord(4242).data.basic?.['tagItems'] as string[];
const day = new Date((SCHEDULE_START + 72 * 86_400) * 1000).toISOString().slice(0, 10);
export const CASES: QueryCase[] = [
  {
    name: 'recordType page',
    path: '/api/records?recordType=workout&limit=20',
    query: { recordType: 'workout', limit: 20 },
  },
  {
    name: 'search',
    path: '/api/records?search=kettlebell%20tempo&limit=20',
    query: { search: 'kettlebell tempo', limit: 20 },
  },
  {
    name: 'tags AND',
    path: `/api/records?tags=${TAG_A},${TAG_B}&tagsMatchMode=AND&limit=20`,
    query: { tags: [TAG_A, TAG_B], tagsMatchMode: 'AND', limit: 20 },
  },
  {
    name: 'creator',
    path: `/api/records?creator_did_address=${encodeURIComponent(creatorOf(17))}&limit=20`,
    query: { creatorDidAddress: creatorOf(17), limit: 20 },
  },
  {
    name: 'scheduledOn',
    path: `/api/records?recordType=workoutSchedule&scheduledOn=${day}&limit=20`,
    query: { recordType: 'workoutSchedule', scheduledOn: day, limit: 20 },
  },
];

export interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  requests: number;
}

/** `concurrency` GET loops on `path` for `ms`; throws on any status but 200. */
export async function overHttp(
  server: ApiProcess,
  path: string,
  concurrency: number,
  ms: number,
): Promise<Run & { results: string }> {
  const latencies: number[] = [];
  // The envelope's searchResults, '+' when it is a lower bound (the api's count cap).
  let results = '';
  const end = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && latencies.length < 1_000_000) {
        const t = performance.now();
        const res = await server.getText(path);
        latencies.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
        // Every answer is read whole; one per run is parsed for its count (parsing each would
        // charge the load generator's JSON work to the api on the same two cores).
        if (results === '') {
          const env = JSON.parse(res.text) as { searchResults: number; searchResultsRelation: 'eq' | 'gte' };
          results = `${env.searchResults}${env.searchResultsRelation === 'gte' ? '+' : ''}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    perSecond: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    results,
  };
}
