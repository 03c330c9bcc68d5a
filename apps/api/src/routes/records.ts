// GET /api/records (legacy parameters and envelope), /api/records/creator/:didAddress,
// /api/records/recordTypes and /api/records/:did. Filtering, sorting and paging happen in the store query; drefs of one level
// are resolved in one store query. Every read carries the caller's access (their public key and the
// organizations they are a member of, org-membership.ts): a restricted record they may not read is
// answered exactly as a missing one, in lists, counts, by DID and inside drefs.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  MAX_LIMIT,
  MAX_RESULT_WINDOW,
  RecordsQuerystringSchema,
  type AccessOption,
  type OipRecord,
  type SearchQuery,
  type TagSummary,
} from '@oip/record-store';
import { clientGone } from '@oip/service-kit/fastify';
import { CreatorNotFoundError, InvalidQueryError, RecordNotFoundError } from '../errors.js';
import { creatorData } from '../services/creator-lookup.js';
import { legacyAccountBody } from '../services/legacy-refusal.js';
import { resolveDrefs, type DrefResolverDeps } from '../services/dref-resolver.js';
import { summarizeRecipes } from '../services/recipe-summary.js';
import { parseRecordsQuery, scoreParams, type RecordsQuerystring } from '../services/records-query.js';
import { scoredSearch, type ScoredResult } from '../services/scored-search.js';
import { withDateReadable } from '../services/date-readable.js';
import { parseLegacyListParams, shapeLegacyFields } from '../services/legacy-list-params.js';
import { RelayRecordCache, type RelayRecordCacheOptions, fetchThroughCache } from '../services/relay-record-cache.js';
import { OrgMembership } from '../services/org-membership.js';
import { dropNulls } from '../services/hide-nulls.js';
import { restoreDegraded, restoreDegradedMap } from '../services/degraded-records.js';
import { errors, LegacyErrorBody, optionalAuthErrors, optionalBearer } from '../schemas/common.js';
import { CreatorAnswer, RecordSchema, RecordTypesAnswer, RecordsPage } from '../schemas/records.js';
import type { UnsignedPolicy } from '@oip/records';

export interface RecordsRouteOptions {
  maxResolveDepth: number;
  maxResolveNodes: number;
  relayConcurrency: number;
  /** Unsigned (legacy) records fetched from the relay for drefs: refused, or accepted when attributable. */
  unsignedRecords: UnsignedPolicy;
  /** searchResults exact up to this many matches (0: always exact). */
  totalCap: number;
  /** Records fetched from the relay for drefs, kept for the next pages. */
  relayCache: RelayRecordCacheOptions;
}

// Every legacy parameter arrives as a string (record-store's schema describes each one); values
// are checked in parseRecordsQuery so the 400 names the parameter. Unknown parameters pass
// (ignored, as legacy).
const Querystring = RecordsQuerystringSchema;

export default async function recordsRoutes(app: FastifyInstance, opts: RecordsRouteOptions): Promise<void> {
  const relayCache = new RelayRecordCache(opts.relayCache);
  const orgs = new OrgMembership(app.store);
  app.addHook('onClose', async () => {
    relayCache.clear();
    orgs.clear();
  });

  /** The caller's access: anonymous, or their key with the organizations they are a member of. */
  async function accessOf(req: FastifyRequest): Promise<AccessOption> {
    const viewer = req.auth.publicKey;
    if (viewer === null) return { viewerPublicKey: null };
    const viewerOrgDids = await orgs.memberOrgDids(viewer, req.headers);
    return viewerOrgDids.length === 0 ? { viewerPublicKey: viewer } : { viewerPublicKey: viewer, viewerOrgDids };
  }
  /** How drefs are looked up for the caller: their access applies at every level (a restricted record never shows up inside the drefs of a caller who may not read it). */
  function drefDeps(access: AccessOption, signal: AbortSignal): DrefResolverDeps {
    return {
      getMany: async (dids) => restoreDegradedMap(await app.store.getMany(dids, { access })),
      fetchMissing: (dids) =>
        fetchThroughCache(relayCache, app.relay, dids, {
          concurrency: opts.relayConcurrency,
          unsigned: opts.unsignedRecords,
          access,
          ...(signal ? { signal } : {}),
        }),
    };
  }
  async function resolve(
    records: OipRecord[],
    depth: number,
    extra: { namesOnly: boolean; fieldNames: string[] | undefined; access: AccessOption },
    signal: AbortSignal,
  ) {
    return resolveDrefs(
      records,
      {
        depth,
        maxNodes: opts.maxResolveNodes,
        namesOnly: extra.namesOnly,
        ...(extra.fieldNames ? { fieldNames: extra.fieldNames } : {}),
      },
      drefDeps(extra.access, signal),
    );
  }

  // GET /api/records (the didAddress param is left from when /api/records/creator/:didAddress listed records).
  type ListRoute = { Querystring: RecordsQuerystring; Params: { didAddress?: string } };
  const listRecords = async (req: FastifyRequest<ListRoute>, reply: FastifyReply) => {
    const r = parseRecordsQuery(req.query, { maxResolveDepth: opts.maxResolveDepth, maxLimit: MAX_LIMIT });
    const shaping = parseLegacyListParams(req.query, r.query);
    if (req.params.didAddress !== undefined) r.query.creatorDidAddress = req.params.didAddress;
    // Restricted records are filtered in the store query, so paging and counts stay right.
    const access = await accessOf(req);
    r.query.access = access;
    if (opts.totalCap > 0 && !r.exactTotal) r.query.totalCap = opts.totalCap;
    const page = r.query.page ?? 1;
    const limit = r.query.limit ?? 20;
    // The store's own paging window, checked here so the 400 names the parameter.
    if (page * limit > MAX_RESULT_WINDOW)
      throw new InvalidQueryError('page', `page × limit must not exceed ${MAX_RESULT_WINDOW}`);
    // summarizeTags (legacy): tag counts over the matching records first; with a tags filter the
    // records are also limited to those carrying a tag of the summary page.
    let tagSummary: TagSummary | undefined;
    let search: Promise<ScoredResult>;
    const scoring = scoreParams(req.query, r.query);
    const run = (query: SearchQuery) => scoredSearch(app.store, query, r.sort, scoring, access);
    if (r.sort.note !== undefined) reply.header('x-oip-sort-fallback', r.sort.note);
    if (r.sort.kind === 'computed') reply.header('x-oip-sort', r.sort.applied);
    if (r.summarizeTags) {
      tagSummary = await app.store.summarizeTags(r.query, r.summarizeTags);
      const pageTags = tagSummary.tags.map((t) => t.tag);
      search = !r.query.tags
        ? run(r.query)
        : pageTags.length === 0
          ? Promise.resolve<ScoredResult>({ records: [], extras: [], total: 0, totalRelation: 'eq' })
          : run({ ...r.query, anyOfTags: pageTags });
    } else {
      search = run(r.query);
    }
    const [result, totalRecords] = await Promise.all([
      search,
      app.store.count({
        access,
        ...(r.query.recordType ? { recordType: r.query.recordType } : {}),
        ...(r.query.storage ? { storage: r.query.storage } : {}),
      }),
    ]);
    const gone = clientGone(reply);
    let records: unknown[];
    try {
      const resolved = await resolve(
        restoreDegraded(result.records),
        r.resolveDepth,
        { namesOnly: r.resolveNamesOnly, fieldNames: r.resolveFieldName, access },
        gone.signal,
      );
      reply.header(
        'x-oip-resolve',
        `store=${resolved.stats.storeQueries};relay=${resolved.stats.relayLookups};nodes=${resolved.stats.resolved}`,
      );
      if (r.summarizeRecipe) await summarizeRecipes(resolved.records, drefDeps(access, gone.signal));
      // Legacy's added fields (scores, matchCount) beside data and oip, as legacy answers them.
      const withScores = resolved.records.map((rec, i) => ({
        ...shapeLegacyFields(r.hideDateReadable ? rec : withDateReadable(rec), shaping),
        ...result.extras[i],
      }));
      records = r.hideNullValues ? withScores.map(dropNulls) : withScores;
    } finally {
      gone.done();
    }
    return {
      message: 'Records retrieved successfully',
      latestArweaveBlockInDB: 0,
      indexingProgress: '100%',
      totalRecords,
      pageSize: limit,
      currentPage: page,
      searchResults: result.total,
      // 'gte': searchResults is a lower bound (the count stopped at the node's cap; exactTotal=true counts all).
      searchResultsRelation: result.totalRelation,
      ...(tagSummary ? { tagSummary: tagSummary.tags, tagCount: tagSummary.totalTags } : {}),
      totalPages: Math.ceil(result.total / limit),
      records,
      auth: req.auth.user
        ? {
            authenticated: true,
            user: { email: req.auth.user.email, userId: req.auth.user.userId, publicKey: req.auth.user.publicKey },
          }
        : { authenticated: false, user: null },
    };
  };
  app.get<ListRoute>(
    '/api/records',
    {
      onRequest: app.optionalAuth,
      schema: {
        summary: 'List and search records',
        operationId: 'listRecords',
        description:
          "The legacy node's parameters and envelope: filters, sorting, paging, dref resolution. Private records need the caller's token.",
        tags: ['records'],
        security: optionalBearer,
        querystring: Querystring,
        response: {
          200: { ...RecordsPage, description: 'A page of records' },
          ...errors([400, 'Invalid query parameter (API_VALIDATION, API_ERR_INVALID_QUERY, API_ERR_RESOLVE_LIMIT)']),
          ...optionalAuthErrors(),
        },
      },
    },
    listRecords,
  );
  // The legacy client's creator lookup (oip-lite routes/daemon/records.js:379-433, its v0.8 path
  // searchCreatorByAddress, helpers/core/elasticsearch.js:1712-1735): `{ success, creator: { data:
  // { creatorHandle, didAddress, didTx, publicKey } } }` from the creator's registration, else from
  // the newest record they published; 404 `{ success: false, error: 'Creator not found' }`.
  app.get<{ Params: { didAddress: string } }>(
    '/api/records/creator/:didAddress',
    {
      onRequest: app.optionalAuth,
      config: {
        legacyCodes: { API_ERR_CREATOR_NOT_FOUND: { status: 404, text: 'Creator not found' } },
        legacyBody: legacyAccountBody,
      },
      schema: {
        summary: "A creator's registration",
        operationId: 'getCreator',
        description:
          "From the creator's registration record, else from the newest record they published; 404 answers the legacy body.",
        tags: ['records'],
        security: optionalBearer,
        response: {
          200: { ...CreatorAnswer, description: 'The creator' },
          ...errors(400),
          ...optionalAuthErrors(),
          404: {
            ...LegacyErrorBody,
            description: 'No registration or record of that creator (API_ERR_CREATOR_NOT_FOUND)',
          },
        },
        params: Type.Object({
          didAddress: Type.String({
            minLength: 5,
            maxLength: 512,
            pattern: '^did:',
            description: "The creator's DID address (oip.creator.didAddress)",
          }),
        }),
      },
    },
    async (req) => {
      const access = await accessOf(req);
      const creatorDidAddress = req.params.didAddress;
      const [registration] = (
        await app.store.search({ recordType: 'creatorRegistration', creatorDidAddress, limit: 1, access })
      ).records;
      const record = registration ?? (await app.store.search({ creatorDidAddress, limit: 1, access })).records[0];
      if (!record) throw new CreatorNotFoundError();
      return { success: true, creator: { data: creatorData(record, registration !== undefined) } };
    },
  );

  const recordTypesSchema = {
    summary: 'Record types and their counts',
    operationId: 'listRecordTypes',
    tags: ['records'],
    security: optionalBearer,
    response: {
      200: { ...RecordTypesAnswer, description: 'Counts of what the caller may read' },
      ...optionalAuthErrors(),
    },
  };
  app.get('/api/records/recordTypes', { onRequest: app.optionalAuth, schema: recordTypesSchema }, async (req) => {
    // Only what the caller may read is counted.
    const counts = await app.store.countByType({ access: await accessOf(req) });
    const recordTypes = Object.entries(counts)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([recordType, count]) => ({ recordType, count }));
    // Legacy's fields (helpers/elasticsearch.js getRecordTypesSummary, 6833-6880): totalRecords and
    // recordTypeCount; totalRecordTypes (ours before) stays beside them.
    return {
      message: 'Record types retrieved successfully',
      totalRecords: recordTypes.reduce((n, t) => n + t.count, 0),
      recordTypeCount: recordTypes.length,
      totalRecordTypes: recordTypes.length,
      recordTypes,
    };
  });

  app.get<{ Params: { did: string }; Querystring: RecordsQuerystring }>(
    '/api/records/:did',
    {
      onRequest: app.optionalAuth,
      schema: {
        summary: 'One record by its DID',
        operationId: 'getRecord',
        description: 'resolveDepth, resolveNamesOnly and resolveFieldName apply as on the list.',
        tags: ['records'],
        security: optionalBearer,
        params: Type.Object({
          did: Type.String({
            minLength: 5,
            maxLength: 1100,
            pattern: '^did:',
            examples: ['did:gun:647f79c2a338:post_1'],
          }),
        }),
        querystring: Querystring,
        response: {
          200: { ...RecordSchema, description: 'The record' },
          ...errors(400, [404, 'No such record the caller may read (API_ERR_RECORD_NOT_FOUND)']),
          ...optionalAuthErrors(),
        },
      },
    },
    async (req, reply) => {
      const access = await accessOf(req);
      const rec = await app.store.get(req.params.did, { access });
      if (!rec) throw new RecordNotFoundError();
      const r = parseRecordsQuery(req.query, { maxResolveDepth: opts.maxResolveDepth, maxLimit: MAX_LIMIT });
      const gone = clientGone(reply);
      try {
        const resolved = await resolve(
          restoreDegraded([rec]),
          r.resolveDepth,
          { namesOnly: r.resolveNamesOnly, fieldNames: r.resolveFieldName, access },
          gone.signal,
        );
        return resolved.records[0];
      } finally {
        gone.done();
      }
    },
  );
}
