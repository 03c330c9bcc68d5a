// Generated from docs/reference/openapi.json by `pnpm --filter @oip/client run generate`
// (openapi-typescript). Do not edit: change the api's route schemas, regenerate the document, then this.
export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Health
     * @description Always 200: records, accounts and publishing answer without Redis; the parts say what is down.
     */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Health (legacy path)
     * @description Always 200: records, accounts and publishing answer without Redis; the parts say what is down.
     */
    get: operations['getApiHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/health/gun-sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The sync-worker's state */
    get: operations['getGunSyncHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/metrics/gun-cache': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The relay client's counters */
    get: operations['getGunCacheStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/health/gun-sync/force': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Ask for a discovery pass now
     * @description Coalesced across api processes: a pass already running or started within the interval serves the request.
     */
    post: operations['forceGunSync'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/templates': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List templates
     * @description Filters as legacy: creatorDidAddress, didTx, templateName (substring), sortBy=inArweaveBlock:asc|desc.
     */
    get: operations['listTemplates'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/templates/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One template by name
     * @description The newest template of that name (case-insensitive).
     */
    get: operations['getTemplate'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/organizations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List organizations
     * @description Newest block first; limit as legacy (default 100, at most 1000).
     */
    get: operations['listOrganizations'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/organizations/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One organization by DID or handle */
    get: operations['getOrganization'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/creators': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List creator registrations
     * @description The creatorRegistration records this node holds (at most 100), in the legacy shape.
     */
    get: operations['listCreators'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/dlq': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List dead letters
     * @description Filtered by code, record type or field path; newest first.
     */
    get: operations['listDeadLetters'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/dlq/groups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Dead letters grouped by field path */
    get: operations['getDeadLetterGroups'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/dlq/{did}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One dead letter */
    get: operations['getDeadLetter'];
    put?: never;
    post?: never;
    /** Discard one dead letter */
    delete: operations['discardDeadLetter'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/dlq/{did}/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replay one dead letter
     * @description Queues the record again; its sync state moves as `oip dlq replay` moves it.
     */
    post: operations['replayDeadLetter'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/dlq/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replay dead letters by filter
     * @description At most `limit` entries matching code, recordType and path.
     */
    post: operations['replayDeadLetters'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The login form of the BullMQ dashboard */
    get: operations['getAdminLogin'];
    put?: never;
    /**
     * Log in to the BullMQ dashboard (an admin account): sets its session cookie
     * @description Sets the oip_board_session cookie (HttpOnly, SameSite=Strict, Path=/admin, 30 minutes), which /admin/queues accepts in place of a bearer token, and redirects to the board.
     */
    post: operations['adminLogin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A page with the button that ends the dashboard session */
    get: operations['getAdminLogout'];
    put?: never;
    /** End the dashboard session: clears its cookie */
    post: operations['adminLogout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What this port serves: links to the docs, the records, the dashboard and health */
    get: operations['getLanding'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List and search records
     * @description The legacy node's parameters and envelope: filters, sorting, paging, dref resolution. Private records need the caller's token.
     */
    get: operations['listRecords'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records/creator/{didAddress}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A creator's registration
     * @description From the creator's registration record, else from the newest record they published; 404 answers the legacy body.
     */
    get: operations['getCreator'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records/recordTypes': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Record types and their counts */
    get: operations['listRecordTypes'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records/{did}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One record by its DID
     * @description resolveDepth, resolveNamesOnly and resolveFieldName apply as on the list.
     */
    get: operations['getRecord'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Register an account
     * @description Makes the account and its publisher key; answers a token and, this once, the mnemonic. Rate limited per client address.
     */
    post: operations['register'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Log in
     * @description Answers a token (45 days). Rate limited per client address.
     */
    post: operations['login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/mnemonic': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Show the mnemonic (password in the query, legacy)
     * @description Legacy clients' form; new clients send the password in the body of POST /api/user/mnemonic.
     */
    get: operations['getMnemonic'];
    put?: never;
    /** Show the mnemonic */
    post: operations['revealMnemonic'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/import-wallet': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Import a wallet
     * @description A new account that keeps the publisher key and DIDs its mnemonic derives.
     */
    post: operations['importWallet'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/change-password': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Change the password
     * @description Every token issued before stops working; the answer carries a fresh one.
     */
    post: operations['changePassword'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/admin/users': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List accounts (admin) */
    get: operations['listUsers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/admin/update-status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Toggle an account's status (admin)
     * @description subscriptionStatus inactive ↔ active, paymentStatus Inactive ↔ Active.
     */
    post: operations['updateUserStatus'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/generate-calendar-token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Generate a calendar token
     * @description A read-only token (365 days) for GET /api/records of workoutSchedule and mealPlan; it replaces the previous one.
     */
    post: operations['generateCalendarToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/user/revoke-calendar-token': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke the calendar token */
    post: operations['revokeCalendarToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records/newRecord': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish a record
     * @description Signs the record with the caller's publisher key, writes it to GUN and indexes it here (legacy's storage=gun answer). Restricted records (private, shared, organization) go encrypted.
     */
    post: operations['newRecord'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records/deleteRecord': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Delete a record
     * @description Only the record's creator or an admin; the deletion propagates to other nodes through GUN.
     */
    post: operations['deleteRecord'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/records/index': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Index a record body directly (admin)
     * @description The record is indexed here as given, without publishing it to GUN.
     */
    post: operations['indexRecord'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/media/createRecord': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish the record of an uploaded media file
     * @description An image, video or audio record describing a file the caller uploaded (only its owner may).
     */
    post: operations['createMediaRecord'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/media/upload': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Upload a media file
     * @description Multipart: the file in the field `file`, and `access_level` (public or private, default private). Through the gateway to the media service. Then publish its record with POST /api/media/createRecord.
     */
    post: operations['uploadMedia'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/media/web-setup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Publish a media file at a web URL
     * @description Copies the caller’s file to /media/<project>/<filename> (legacy web media).
     */
    post: operations['setupWebMedia'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/media/{mediaId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download a media file
     * @description Range requests answer 206. A private file only to its owner.
     */
    get: operations['getMedia'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/media/{mediaId}/info': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A media file's manifest */
    get: operations['getMediaInfo'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/media/{project}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A web media file (legacy URL) */
    get: operations['getWebMedia'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gun-relay/get': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Read a GUN soul from the relay
     * @description Peers sync through it. Paged with limit and after.
     */
    get: operations['relayGet'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gun-relay/list': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A publisher's records on the relay */
    get: operations['relayList'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/gun-relay/media/manifest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A media file's manifest on the relay */
    get: operations['relayMediaManifest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/memory': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Memory health */
    get: operations['getMemoryHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/health/memory': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Memory health (legacy) */
    get: operations['getLegacyMemoryHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/health/memory/tracker': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Memory tracker (legacy) */
    get: operations['getLegacyMemoryTracker'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/queues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Queue dashboard (admin)
     * @description bull-board, read-only, over the sync records, discovery and dead-letter queues. An admin's bearer token, or the oip_board_session cookie POST /admin/login sets.
     */
    get: operations['getQueueDashboard'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The store and Redis */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "OK",
           *       "timestamp": "2026-12-07T21:00:00.000Z",
           *       "uptimeSeconds": 3600,
           *       "store": "ok",
           *       "redis": "up"
           *     }
           */
          'application/json': {
            status: 'OK' | 'DEGRADED';
            timestamp: string;
            uptimeSeconds: number;
            store: 'ok' | 'down';
            redis: 'up' | 'down' | 'connecting';
          };
        };
      };
    };
  };
  getApiHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The store and Redis */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "OK",
           *       "timestamp": "2026-12-07T21:00:00.000Z",
           *       "uptimeSeconds": 3600,
           *       "store": "ok",
           *       "redis": "up"
           *     }
           */
          'application/json': {
            status: 'OK' | 'DEGRADED';
            timestamp: string;
            uptimeSeconds: number;
            store: 'ok' | 'down';
            redis: 'up' | 'down' | 'connecting';
          };
        };
      };
    };
  };
  getGunSyncHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Legacy fields and the sync counters */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            service: 'gun-sync';
            status: 'healthy' | 'unhealthy';
            running: boolean;
            workers: number;
            metrics: {
              totalDiscovered: number;
              totalSynced: number;
              totalErrors: number;
              /** @example 99.5% */
              successRate: string;
              lastSyncTime: string | null;
              /** @example 12s ago */
              lastSyncAgo: string;
              averageSyncTime: string | null;
              syncCycles: number;
            };
            deadLetters: number;
            invariantOk: boolean;
            /** @description The sync state's counters (discovered, indexed, gone, dead, …) */
            counters: {
              [key: string]: unknown;
            };
            lastDiscovery: {
              [key: string]: unknown;
            } | null;
          };
        };
      };
      /** @description Redis did not answer in time (API_ERR_SYNC_STATUS_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getGunCacheStats: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Requests, failures, caches */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description The relay's base URL */
            relay: string;
            requests: number;
            responses2xx: number;
            responses4xx: number;
            responses5xx: number;
            notFound: number;
            failures: {
              [key: string]: number;
            };
            retries: number;
            coalesced: number;
            inFlight: number;
            bytesIn: number;
            bytesOut: number;
            openSockets: number | null;
            negativeCache: {
              [key: string]: unknown;
            } | null;
          } & {
            [key: string]: unknown;
          };
        };
      };
    };
  };
  forceGunSync: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Triggered, or served by a pass running or due */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            message: string;
            triggered: boolean;
            /** @description When triggered */
            jobId?: string;
            nextPassAt?: string | null;
            retryAfterSeconds?: number;
            timestamp: string;
            nextForceAt: string | null;
            nextScheduledPassAt: string | null;
          };
        };
      };
      /** @description No sync-worker is listening (API_ERR_SYNC_NOT_RUNNING) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  listTemplates: {
    parameters: {
      query?: {
        creatorDidAddress?: string;
        didTx?: string;
        templateName?: string;
        sortBy?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The templates */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @example Templates retreived successfully */
            message: string;
            latestArweaveBlockInDB: number;
            totalTemplates: number;
            searchResults: number;
            templates: ({
              data: {
                /** @description The template's name (legacy), or its category */
                template?: unknown;
                /** @description The template's fields as a JSON string (legacy) */
                fields: string;
                /** @description Per field: its type, index and, for an enum, its values */
                fieldsInTemplate: {
                  [key: string]: unknown;
                };
                fieldsInTemplateCount: number;
              } & {
                [key: string]: unknown;
              };
              /** @description The record's OIP block: identity, type, creator, signature */
              oip: {
                ver?: string;
                /** @example post */
                recordType?: string;
                /** @example did:gun:647f79c2a338:post_1730505600 */
                did?: string;
                didTx?: string;
                /** @example gun */
                storage?: string;
                /** @description When this node indexed the record (ISO time) */
                indexedAt?: string;
                /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
                creator?: {
                  [key: string]: unknown;
                };
              } & {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            })[];
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getTemplate: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example exercise */
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The template */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              /** @description The template's name (legacy), or its category */
              template?: unknown;
              /** @description The template's fields as a JSON string (legacy) */
              fields: string;
              /** @description Per field: its type, index and, for an enum, its values */
              fieldsInTemplate: {
                [key: string]: unknown;
              };
              fieldsInTemplateCount: number;
            } & {
              [key: string]: unknown;
            };
            /** @description The record's OIP block: identity, type, creator, signature */
            oip: {
              ver?: string;
              /** @example post */
              recordType?: string;
              /** @example did:gun:647f79c2a338:post_1730505600 */
              did?: string;
              didTx?: string;
              /** @example gun */
              storage?: string;
              /** @description When this node indexed the record (ISO time) */
              indexedAt?: string;
              /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
              creator?: {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            };
          } & {
            [key: string]: unknown;
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No template of that name (API_ERR_ENTRY_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  listOrganizations: {
    parameters: {
      query?: {
        limit?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The organizations */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            qtyOrganizationsInDB: number;
            maxArweaveOrgBlockInDB: number;
            organizationsInDB: {
              data: {
                orgHandle: string | null;
                orgPublicKey: unknown;
                adminPublicKeys: unknown;
                membershipPolicy: unknown;
                metadata: unknown;
                name: unknown;
                description: unknown;
                date: unknown;
                language: unknown;
                nsfw: unknown;
                webUrl: unknown;
              };
              /** @description The record's OIP block: identity, type, creator, signature */
              oip: {
                ver?: string;
                /** @example post */
                recordType?: string;
                /** @example did:gun:647f79c2a338:post_1730505600 */
                did?: string;
                didTx?: string;
                /** @example gun */
                storage?: string;
                /** @description When this node indexed the record (ISO time) */
                indexedAt?: string;
                /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
                creator?: {
                  [key: string]: unknown;
                };
              } & {
                [key: string]: unknown;
              };
            }[];
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getOrganization: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The organization's DID or handle */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The organization */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              orgHandle: string | null;
              orgPublicKey: unknown;
              adminPublicKeys: unknown;
              membershipPolicy: unknown;
              metadata: unknown;
              name: unknown;
              description: unknown;
              date: unknown;
              language: unknown;
              nsfw: unknown;
              webUrl: unknown;
            };
            /** @description The record's OIP block: identity, type, creator, signature */
            oip: {
              ver?: string;
              /** @example post */
              recordType?: string;
              /** @example did:gun:647f79c2a338:post_1730505600 */
              did?: string;
              didTx?: string;
              /** @example gun */
              storage?: string;
              /** @description When this node indexed the record (ISO time) */
              indexedAt?: string;
              /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
              creator?: {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            };
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such organization (API_ERR_ENTRY_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  listCreators: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The creators */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            qtyCreatorsInDB: number;
            maxArweaveCreatorRegBlockInDB: number;
            creatorsInDB: ({
              data: {
                [key: string]: unknown;
              };
              /** @description The record's OIP block: identity, type, creator, signature */
              oip: {
                ver?: string;
                /** @example post */
                recordType?: string;
                /** @example did:gun:647f79c2a338:post_1730505600 */
                did?: string;
                didTx?: string;
                /** @example gun */
                storage?: string;
                /** @description When this node indexed the record (ISO time) */
                indexedAt?: string;
                /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
                creator?: {
                  [key: string]: unknown;
                };
              } & {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            })[];
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  listDeadLetters: {
    parameters: {
      query: {
        code?:
          | 'SYNC_ERR_INVALID_RECORD'
          | 'SYNC_ERR_MAPPING_CONFLICT'
          | 'SYNC_ERR_STORE_REJECTED'
          | 'SYNC_ERR_RELAY_REJECTED'
          | 'SYNC_ERR_BAD_RESPONSE'
          | 'SYNC_ERR_TOO_LARGE'
          | 'SYNC_ERR_EXHAUSTED'
          | 'SYNC_ERR_RELAY_NOT_CONFIGURED'
          | 'SYNC_ERR_BAD_SIGNATURE'
          | 'SYNC_ERR_UNSIGNED';
        recordType?: string;
        path?: string;
        offset: number;
        limit: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of dead letters */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description Entries in the queue (whatever the filter) */
            total: number;
            offset: number;
            limit: number;
            hasMore: boolean;
            entries: ({
              did?: string;
              soul?: string;
              recordType?: string;
              version?: string;
              sourceRelay?: string;
              /** @description The dead-letter code (SYNC_…) */
              code?: string;
              message?: string;
              attempts?: number;
              firstFailedAt?: number;
              lastFailedAt?: number;
              recordJson?: string | null;
              recordTruncated?: boolean;
              replays?: number;
              reasons?: {
                [key: string]: unknown;
              }[];
              degraded?: boolean;
              /** @description Dead-letter job id (dl_<didKey>) */
              id: string;
              /** @description Epoch ms */
              deadLetteredAt: number;
            } & {
              [key: string]: unknown;
            })[];
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getDeadLetterGroups: {
    parameters: {
      query: {
        by: 'path';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The groups, largest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            total: number;
            /** @enum {string} */
            by: 'path';
            scanned: number;
            /** @description The groups cover the newest entries only */
            truncated: boolean;
            groups: {
              path: string | null;
              kind: ('mapping_conflict' | 'invalid') | null;
              count: number;
              degraded: number;
              recordTypes: {
                [key: string]: number;
              };
              codes: {
                [key: string]: number;
              };
              fixedTypes: string[];
              incomingTypes: string[];
              rules: string[];
              samples: string[];
              /** @description Epoch ms */
              firstSeen: number;
              /** @description Epoch ms */
              lastSeen: number;
            }[];
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getDeadLetter: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example did:gun:647f79c2a338:post_1730505600 */
        did: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The dead letter */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            did?: string;
            soul?: string;
            recordType?: string;
            version?: string;
            sourceRelay?: string;
            /** @description The dead-letter code (SYNC_…) */
            code?: string;
            message?: string;
            attempts?: number;
            firstFailedAt?: number;
            lastFailedAt?: number;
            recordJson?: string | null;
            recordTruncated?: boolean;
            replays?: number;
            reasons?: {
              [key: string]: unknown;
            }[];
            degraded?: boolean;
            /** @description Dead-letter job id (dl_<didKey>) */
            id: string;
            /** @description Epoch ms */
            deadLetteredAt: number;
          } & {
            [key: string]: unknown;
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No dead letter for that DID (API_ERR_DEAD_LETTER_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  discardDeadLetter: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example did:gun:647f79c2a338:post_1730505600 */
        did: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Discarded */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No dead letter for that DID (API_ERR_DEAD_LETTER_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  replayDeadLetter: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example did:gun:647f79c2a338:post_1730505600 */
        did: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued again */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            did: string;
            /** @enum {boolean} */
            replayed: true;
            jobId: string;
            /** @description The replay number */
            replay: number;
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No dead letter for that DID (API_ERR_DEAD_LETTER_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The record moved on since; the entry was removed (API_ERR_DEAD_LETTER_STALE) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  replayDeadLetters: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "code": "SYNC_ERR_MAPPING_CONFLICT",
         *       "limit": 100
         *     }
         */
        'application/json': {
          code?:
            | 'SYNC_ERR_INVALID_RECORD'
            | 'SYNC_ERR_MAPPING_CONFLICT'
            | 'SYNC_ERR_STORE_REJECTED'
            | 'SYNC_ERR_RELAY_REJECTED'
            | 'SYNC_ERR_BAD_RESPONSE'
            | 'SYNC_ERR_TOO_LARGE'
            | 'SYNC_ERR_EXHAUSTED'
            | 'SYNC_ERR_RELAY_NOT_CONFIGURED'
            | 'SYNC_ERR_BAD_SIGNATURE'
            | 'SYNC_ERR_UNSIGNED';
          recordType?: string;
          path?: string;
          /** @default 100 */
          limit: number;
        };
      };
    };
    responses: {
      /** @description What was replayed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            replayed: number;
            /** @description Entries whose record moved on (removed) */
            stale: number;
            results: (
              | {
                  did: string;
                  /** @enum {boolean} */
                  replayed: true;
                  jobId: string;
                  /** @description The replay number */
                  replay: number;
                }
              | {
                  did: string;
                  /** @enum {boolean} */
                  replayed: false;
                  reason: 'not_found' | 'not_dead';
                }
            )[];
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The sync queues in Redis did not answer in time (API_ERR_QUEUE_UNAVAILABLE) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getAdminLogin: {
    parameters: {
      query?: {
        /** @description The board page to open after the login (default /admin/queues) */
        next?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The login form */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
    };
  };
  adminLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': {
          email: string;
          password: string;
          /** @description The board page to open after the login (default /admin/queues) */
          next?: string;
        };
        'application/json': {
          email: string;
          password: string;
          /** @description The board page to open after the login (default /admin/queues) */
          next?: string;
        };
      };
    };
    responses: {
      /** @description Logged in: the cookie is set and Location is the board */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A field missing or too long (API_VALIDATION) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Wrong email or password (API_ERR_LOGIN_FAILED): the form again with the reason (HTML) or the error body (JSON) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The account is not an admin (API_ERR_ADMIN_REQUIRED): the form again with the reason (HTML) or the error body (JSON) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many logins from this address (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The api has no JWT secret and cannot sign sessions (API_ERR_TOKENS_DISABLED) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getAdminLogout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The logout form */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
    };
  };
  adminLogout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The cookie is cleared and Location is the login page */
      303: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  getLanding: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description An HTML page of links for a browser (Accept: text/html), else the same links as JSON */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            name: string;
            links: {
              rel: string;
              href: string;
              title: string;
            }[];
          };
          'text/html': string;
        };
      };
    };
  };
  listRecords: {
    parameters: {
      query?: {
        /** @description Only records of this type (oip.recordType). */
        recordType?: string;
        /** @description Only the record with this DID (did:gun:… or did:arweave:…). */
        did?: string;
        /** @description Legacy alias of did. */
        didTx?: string;
        /** @description all (default), gun or arweave. */
        source?: string;
        /** @description Alias of source. */
        storage?: string;
        /** @description Full text over basic.name, description and tagItems. */
        search?: string;
        /** @description AND (default): every term; OR: any term. */
        searchMatchMode?: string;
        /** @description basic.tagItems, exact and case-insensitive (at most 100). Comma-separated. */
        tags?: string;
        /** @description OR (default): any tag; AND: every tag. */
        tagsMatchMode?: string;
        /** @description oip.creator.creatorHandle. */
        creatorHandle?: string;
        /** @description oip.creator.didAddress. */
        creator_did_address?: string;
        /** @description Lower date bound, inclusive: unix seconds or milliseconds, YYYY-MM-DD or ISO time. On workoutSchedule.scheduled_date / mealPlan.meal_date when recordType is that type, basic.date otherwise. */
        dateStart?: string;
        /** @description basic.date upper bound, inclusive; same forms as dateStart. */
        dateEnd?: string;
        /** @description <field>:<asc|desc>, default inArweaveBlock:desc. Store fields inArweaveBlock, date, indexedAt, recordType, name; computed over the first 1000 matches: score and tags (with tags), matchCount (with search), exerciseScore, ingredientScore, equipmentScore, exerciseTypeScore, cuisineScore (with their filter), scheduleDate (recordType workoutSchedule or mealPlan), ver, creatorHandle. Anything else: the default order, named in the x-oip-sort-fallback header. */
        sortBy?: string;
        /** @description Page size, 1 to 1000; default 20. */
        limit?: string;
        /** @description 1-based page; default 1. */
        page?: string;
        /** @description Count every match for searchResults; by default the count stops past the node's cap (API_RECORDS_TOTAL_CAP, 1000) and searchResultsRelation says gte. true/false/1/0. */
        exactTotal?: string;
        /** @description Levels of drefs to resolve; 0 (default) = none. */
        resolveDepth?: string;
        /** @description Deepest resolved level replaced by the referenced basic.name. true/false/1/0. */
        resolveNamesOnly?: string;
        /** @description Dref fields to resolve, at every level: data.workout.exercise or workout.exercise, a whole category (data.workout or workout), or data for all; default all. Comma-separated. */
        resolveFieldName?: string;
        /** @description Recipes get their nutrition summary from their ingredients' nutritionalInfo: data.calculatedSummaryNutritionalInfo(PerServing) on a listed recipe, data.summaryNutritionalInfo(PerServing) on one resolved inside another record. true/false/1/0. */
        summarizeRecipe?: string;
        /** @description Drop null fields from the answer. true/false/1/0. */
        hideNullValues?: string;
        /** @description No basic.dateReadable (added to each record with a basic.date by default). true/false/1/0. */
        hideDateReadable?: string;
        /** @description One record per basic.name (the first by sortBy); records without a name are kept. true/false/1/0. */
        noDuplicates?: string;
        /** @description JSON object of data./oip. path → string, number or boolean; every pair must equal (type included). */
        exactMatch?: string;
        /** @description Path under data (recipe.course or data.recipe.course) searched by fieldSearch; repeated (at most 8), every pair must match. */
        fieldName?: string | string[];
        /** @description Value searched in fieldName; repeated, one per fieldName in order (the last one serves the fieldNames past it). */
        fieldSearch?: string | string[];
        /** @description partial (default): case-insensitive substring; exact: case-sensitive equality. */
        fieldMatchMode?: string;
        /** @description Adds tagSummary/tagCount (tag counts over the matching records) and, with tags, keeps records carrying a tag of the summary page. true/false/1/0. */
        summarizeTags?: string;
        /** @description Tags per tagSummary page, 1 to 1000; default 20. */
        tagCount?: string;
        /** @description 1-based tagSummary page; default 1. */
        tagPage?: string;
        /** @description Workouts with an exercise of any of these names (case-insensitive). Comma-separated. */
        exerciseNames?: string;
        /** @description Workouts whose data.workout.exercise holds any of these DIDs. Comma-separated. */
        exerciseDIDs?: string;
        /** @description Recipes with an ingredient whose name contains any of these (case-insensitive). Comma-separated. */
        ingredientNames?: string;
        /** @description Exercises whose equipment names contain these (case-insensitive). Comma-separated. */
        equipmentRequired?: string;
        /** @description AND (default): every item; OR: any (exercises without equipment kept). */
        equipmentMatchMode?: string;
        /** @description Exercises of any of these types (warmup, main, cooldown or as stored). Comma-separated. */
        exerciseType?: string;
        /** @description Recipes whose data.recipe.cuisine contains any of these (case-insensitive). Comma-separated. */
        cuisine?: string;
        /** @description YYYY-MM-DD (UTC day) or unix seconds (the UTC day they fall in): workoutSchedule/mealPlan records of that day; other types kept. */
        scheduledOn?: string;
        /** @description true: records with data.post.audioItems or data.basic.audioItems; false: records with neither. true/false/1/0. */
        hasAudio?: string;
        /** @description Records of this Arweave block height; bad: records without one. */
        inArweaveBlock?: string;
        /** @description Records with a data category whose name contains this (case-insensitive). */
        template?: string;
        /** @description Records holding a string under data that starts with this DID (or DID prefix, did:…). */
        didTxRef?: string;
        /** @description data.basic.url or data.basic.webUrl equals this. */
        url?: string;
        /** @description With recordType=modelProvider: providers whose data.modelProvider.supported_models contains these (case-insensitive). Comma-separated. */
        model?: string;
        /** @description OR (default): any model; AND: every one. */
        modelMatchMode?: string;
        /** @description OR (default): any exerciseType; AND: every one. */
        exerciseTypeMatchMode?: string;
        /** @description OR (default): any cuisine; AND: every one. */
        cuisineMatchMode?: string;
        /** @description false: no oip.signature (nor oip.sigScheme) in the records listed; default true. true/false/1/0. */
        includeSigs?: string;
        /** @description false: no oip.creator.publicKey in the records listed; default true. true/false/1/0. */
        includePubKeys?: string;
        /** @description false: leaves out deletion records (recordType deleteMessage, delete, deleteTemplate); default true (kept). true/false/1/0. */
        includeDeleteMessages?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of records */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @example Records retrieved successfully */
            message: string;
            /** @description Always 0: this node indexes no Arweave blocks */
            latestArweaveBlockInDB: number;
            /** @example 100% */
            indexingProgress: string;
            /** @description Records the caller may read, of the recordType / storage asked */
            totalRecords: number;
            pageSize: number;
            currentPage: number;
            /** @description Records matching the query (a lower bound when searchResultsRelation is gte) */
            searchResults: number;
            searchResultsRelation: 'eq' | 'gte';
            /** @description With summarizeTags: tag counts over the matching records */
            tagSummary?: ({
              tag: string;
              count: number;
            } & {
              [key: string]: unknown;
            })[];
            /** @description With summarizeTags: distinct tags */
            tagCount?: number;
            totalPages: number;
            records: ({
              /** @description The record's fields by category (`basic` and the record type's own); drefs resolved as asked */
              data?: {
                [key: string]: unknown;
              };
              /** @description The record's OIP block: identity, type, creator, signature */
              oip?: {
                ver?: string;
                /** @example post */
                recordType?: string;
                /** @example did:gun:647f79c2a338:post_1730505600 */
                did?: string;
                didTx?: string;
                /** @example gun */
                storage?: string;
                /** @description When this node indexed the record (ISO time) */
                indexedAt?: string;
                /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
                creator?: {
                  [key: string]: unknown;
                };
              } & {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            })[];
            auth: {
              authenticated: boolean;
              user: {
                email: string;
                userId: string;
                publicKey: string | null;
              } | null;
            };
          };
        };
      };
      /** @description Invalid query parameter (API_VALIDATION, API_ERR_INVALID_QUERY, API_ERR_RESOLVE_LIMIT) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getCreator: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The creator's DID address (oip.creator.didAddress) */
        didAddress: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The creator */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            creator: {
              data: {
                creatorHandle: string | null;
                didAddress: string | null;
                didTx: string | null;
                publicKey: string | null;
              };
            };
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No registration or record of that creator (API_ERR_CREATOR_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": false,
           *       "error": "Invalid password",
           *       "code": "ACCOUNTS_ERR_BAD_CREDENTIALS"
           *     }
           */
          'application/json': {
            /** @enum {boolean} */
            success: false;
            /** @description The legacy node's text */
            error: string;
            code: string;
          };
        };
      };
    };
  };
  listRecordTypes: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Counts of what the caller may read */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @example Record types retrieved successfully */
            message: string;
            totalRecords: number;
            recordTypeCount: number;
            /** @description The same as recordTypeCount */
            totalRecordTypes: number;
            recordTypes: {
              recordType: string;
              count: number;
            }[];
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getRecord: {
    parameters: {
      query?: {
        /** @description Only records of this type (oip.recordType). */
        recordType?: string;
        /** @description Only the record with this DID (did:gun:… or did:arweave:…). */
        did?: string;
        /** @description Legacy alias of did. */
        didTx?: string;
        /** @description all (default), gun or arweave. */
        source?: string;
        /** @description Alias of source. */
        storage?: string;
        /** @description Full text over basic.name, description and tagItems. */
        search?: string;
        /** @description AND (default): every term; OR: any term. */
        searchMatchMode?: string;
        /** @description basic.tagItems, exact and case-insensitive (at most 100). Comma-separated. */
        tags?: string;
        /** @description OR (default): any tag; AND: every tag. */
        tagsMatchMode?: string;
        /** @description oip.creator.creatorHandle. */
        creatorHandle?: string;
        /** @description oip.creator.didAddress. */
        creator_did_address?: string;
        /** @description Lower date bound, inclusive: unix seconds or milliseconds, YYYY-MM-DD or ISO time. On workoutSchedule.scheduled_date / mealPlan.meal_date when recordType is that type, basic.date otherwise. */
        dateStart?: string;
        /** @description basic.date upper bound, inclusive; same forms as dateStart. */
        dateEnd?: string;
        /** @description <field>:<asc|desc>, default inArweaveBlock:desc. Store fields inArweaveBlock, date, indexedAt, recordType, name; computed over the first 1000 matches: score and tags (with tags), matchCount (with search), exerciseScore, ingredientScore, equipmentScore, exerciseTypeScore, cuisineScore (with their filter), scheduleDate (recordType workoutSchedule or mealPlan), ver, creatorHandle. Anything else: the default order, named in the x-oip-sort-fallback header. */
        sortBy?: string;
        /** @description Page size, 1 to 1000; default 20. */
        limit?: string;
        /** @description 1-based page; default 1. */
        page?: string;
        /** @description Count every match for searchResults; by default the count stops past the node's cap (API_RECORDS_TOTAL_CAP, 1000) and searchResultsRelation says gte. true/false/1/0. */
        exactTotal?: string;
        /** @description Levels of drefs to resolve; 0 (default) = none. */
        resolveDepth?: string;
        /** @description Deepest resolved level replaced by the referenced basic.name. true/false/1/0. */
        resolveNamesOnly?: string;
        /** @description Dref fields to resolve, at every level: data.workout.exercise or workout.exercise, a whole category (data.workout or workout), or data for all; default all. Comma-separated. */
        resolveFieldName?: string;
        /** @description Recipes get their nutrition summary from their ingredients' nutritionalInfo: data.calculatedSummaryNutritionalInfo(PerServing) on a listed recipe, data.summaryNutritionalInfo(PerServing) on one resolved inside another record. true/false/1/0. */
        summarizeRecipe?: string;
        /** @description Drop null fields from the answer. true/false/1/0. */
        hideNullValues?: string;
        /** @description No basic.dateReadable (added to each record with a basic.date by default). true/false/1/0. */
        hideDateReadable?: string;
        /** @description One record per basic.name (the first by sortBy); records without a name are kept. true/false/1/0. */
        noDuplicates?: string;
        /** @description JSON object of data./oip. path → string, number or boolean; every pair must equal (type included). */
        exactMatch?: string;
        /** @description Path under data (recipe.course or data.recipe.course) searched by fieldSearch; repeated (at most 8), every pair must match. */
        fieldName?: string | string[];
        /** @description Value searched in fieldName; repeated, one per fieldName in order (the last one serves the fieldNames past it). */
        fieldSearch?: string | string[];
        /** @description partial (default): case-insensitive substring; exact: case-sensitive equality. */
        fieldMatchMode?: string;
        /** @description Adds tagSummary/tagCount (tag counts over the matching records) and, with tags, keeps records carrying a tag of the summary page. true/false/1/0. */
        summarizeTags?: string;
        /** @description Tags per tagSummary page, 1 to 1000; default 20. */
        tagCount?: string;
        /** @description 1-based tagSummary page; default 1. */
        tagPage?: string;
        /** @description Workouts with an exercise of any of these names (case-insensitive). Comma-separated. */
        exerciseNames?: string;
        /** @description Workouts whose data.workout.exercise holds any of these DIDs. Comma-separated. */
        exerciseDIDs?: string;
        /** @description Recipes with an ingredient whose name contains any of these (case-insensitive). Comma-separated. */
        ingredientNames?: string;
        /** @description Exercises whose equipment names contain these (case-insensitive). Comma-separated. */
        equipmentRequired?: string;
        /** @description AND (default): every item; OR: any (exercises without equipment kept). */
        equipmentMatchMode?: string;
        /** @description Exercises of any of these types (warmup, main, cooldown or as stored). Comma-separated. */
        exerciseType?: string;
        /** @description Recipes whose data.recipe.cuisine contains any of these (case-insensitive). Comma-separated. */
        cuisine?: string;
        /** @description YYYY-MM-DD (UTC day) or unix seconds (the UTC day they fall in): workoutSchedule/mealPlan records of that day; other types kept. */
        scheduledOn?: string;
        /** @description true: records with data.post.audioItems or data.basic.audioItems; false: records with neither. true/false/1/0. */
        hasAudio?: string;
        /** @description Records of this Arweave block height; bad: records without one. */
        inArweaveBlock?: string;
        /** @description Records with a data category whose name contains this (case-insensitive). */
        template?: string;
        /** @description Records holding a string under data that starts with this DID (or DID prefix, did:…). */
        didTxRef?: string;
        /** @description data.basic.url or data.basic.webUrl equals this. */
        url?: string;
        /** @description With recordType=modelProvider: providers whose data.modelProvider.supported_models contains these (case-insensitive). Comma-separated. */
        model?: string;
        /** @description OR (default): any model; AND: every one. */
        modelMatchMode?: string;
        /** @description OR (default): any exerciseType; AND: every one. */
        exerciseTypeMatchMode?: string;
        /** @description OR (default): any cuisine; AND: every one. */
        cuisineMatchMode?: string;
        /** @description false: no oip.signature (nor oip.sigScheme) in the records listed; default true. true/false/1/0. */
        includeSigs?: string;
        /** @description false: no oip.creator.publicKey in the records listed; default true. true/false/1/0. */
        includePubKeys?: string;
        /** @description false: leaves out deletion records (recordType deleteMessage, delete, deleteTemplate); default true (kept). true/false/1/0. */
        includeDeleteMessages?: string;
      };
      header?: never;
      path: {
        /** @example did:gun:647f79c2a338:post_1 */
        did: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The record */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": {
           *         "basic": {
           *           "name": "Morning run",
           *           "date": 1730505600,
           *           "dateReadable": "Sat 02 Nov 2024"
           *         }
           *       },
           *       "oip": {
           *         "recordType": "post",
           *         "did": "did:gun:647f79c2a338:post_1730505600",
           *         "storage": "gun",
           *         "indexedAt": "2026-11-02T10:00:00.000Z"
           *       }
           *     }
           */
          'application/json': {
            /** @description The record's fields by category (`basic` and the record type's own); drefs resolved as asked */
            data?: {
              [key: string]: unknown;
            };
            /** @description The record's OIP block: identity, type, creator, signature */
            oip?: {
              ver?: string;
              /** @example post */
              recordType?: string;
              /** @example did:gun:647f79c2a338:post_1730505600 */
              did?: string;
              didTx?: string;
              /** @example gun */
              storage?: string;
              /** @description When this node indexed the record (ISO time) */
              indexedAt?: string;
              /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
              creator?: {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            };
          } & {
            [key: string]: unknown;
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such record the caller may read (API_ERR_RECORD_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  register: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "ada@example.org",
         *       "password": "correct horse battery staple"
         *     }
         */
        'application/json': {
          /** @description An email address */
          email: unknown;
          password: unknown;
        };
      };
    };
    responses: {
      /** @description Registered */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "message": "User registered successfully",
           *       "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJl",
           *       "publicKey": "03a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
           *       "mnemonic": "abandon ability able about above absent absorb abstract absurd abuse access accident"
           *     }
           */
          'application/json': {
            /** @enum {boolean} */
            success: true;
            message: string;
            /** @description A JWT (HS256, legacy claims, 45 days) */
            token: string;
            /** @description The account's publisher public key */
            publicKey: string;
            mnemonic: string | null;
          };
        };
      };
      /** @description Refused: the legacy body for the accounts codes (ACCOUNTS_ERR_INVALID_EMAIL, ACCOUNTS_ERR_INVALID_PASSWORD, ACCOUNTS_ERR_DUPLICATE_EMAIL, ACCOUNTS_ERR_BAD_CREDENTIALS), the house body otherwise */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description This api issues no tokens (API_ERR_TOKENS_DISABLED) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "ada@example.org",
         *       "password": "correct horse battery staple"
         *     }
         */
        'application/json': {
          /** @description An email address */
          email: unknown;
          password: unknown;
        };
      };
    };
    responses: {
      /** @description Logged in */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "message": "Login successful",
           *       "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJl",
           *       "publicKey": "03a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
           *     }
           */
          'application/json': {
            /** @enum {boolean} */
            success: true;
            message: string;
            /** @description A JWT (HS256, legacy claims, 45 days) */
            token: string;
            /** @description The account's publisher public key */
            publicKey: string;
          };
        };
      };
      /** @description Refused: the legacy body for the accounts codes (ACCOUNTS_ERR_INVALID_EMAIL, ACCOUNTS_ERR_INVALID_PASSWORD, ACCOUNTS_ERR_DUPLICATE_EMAIL, ACCOUNTS_ERR_BAD_CREDENTIALS), the house body otherwise */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description This api issues no tokens (API_ERR_TOKENS_DISABLED) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getMnemonic: {
    parameters: {
      query?: {
        password?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The account's mnemonic */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            mnemonic: string;
            message: string;
          };
        };
      };
      /** @description No password given (legacy body: API_ERR_FIELDS_REQUIRED), or an invalid request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description No token (API_ERR_TOKEN_REQUIRED), or a wrong password (legacy body: ACCOUNTS_ERR_BAD_CREDENTIALS) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The account holds no mnemonic (legacy body: API_ERR_NO_MNEMONIC, ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  revealMnemonic: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "password": "correct horse battery staple"
         *     }
         */
        'application/json': {
          password?: unknown;
        };
      };
    };
    responses: {
      /** @description The account's mnemonic */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            mnemonic: string;
            message: string;
          };
        };
      };
      /** @description No password given (legacy body: API_ERR_FIELDS_REQUIRED), or an invalid request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description No token (API_ERR_TOKEN_REQUIRED), or a wrong password (legacy body: ACCOUNTS_ERR_BAD_CREDENTIALS) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The account holds no mnemonic (legacy body: API_ERR_NO_MNEMONIC, ACCOUNTS_ERR_LEGACY_SECRETS_LOCKED) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  importWallet: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "ada@example.org",
         *       "password": "correct horse battery staple",
         *       "mnemonic": "abandon ability able about above absent absorb abstract absurd abuse access accident"
         *     }
         */
        'application/json': {
          email?: unknown;
          password?: unknown;
          /** @description A BIP-39 phrase */
          mnemonic?: unknown;
        };
      };
    };
    responses: {
      /** @description Imported */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "message": "Login successful",
           *       "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJl",
           *       "publicKey": "03a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
           *     }
           */
          'application/json': {
            /** @enum {boolean} */
            success: true;
            message: string;
            /** @description A JWT (HS256, legacy claims, 45 days) */
            token: string;
            /** @description The account's publisher public key */
            publicKey: string;
          };
        };
      };
      /** @description A field missing or refused (legacy body: API_ERR_FIELDS_REQUIRED, ACCOUNTS_ERR_INVALID_MNEMONIC, ACCOUNTS_ERR_INVALID_EMAIL, ACCOUNTS_ERR_INVALID_PASSWORD, ACCOUNTS_ERR_DUPLICATE_EMAIL) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description Another account here holds that key (legacy body: ACCOUNTS_ERR_KEY_TAKEN) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description This api issues no tokens (API_ERR_TOKENS_DISABLED) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  changePassword: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "oldPassword": "correct horse battery staple",
         *       "newPassword": "a longer, newer passphrase"
         *     }
         */
        'application/json': {
          oldPassword?: unknown;
          newPassword?: unknown;
        };
      };
    };
    responses: {
      /** @description Changed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "message": "Login successful",
           *       "token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VySWQiOiJ1MSJ9.c2lnbmF0dXJl",
           *       "publicKey": "03a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
           *     }
           */
          'application/json': {
            /** @enum {boolean} */
            success: true;
            message: string;
            /** @description A JWT (HS256, legacy claims, 45 days) */
            token: string;
            /** @description The account's publisher public key */
            publicKey: string;
          };
        };
      };
      /** @description A field missing or the new password refused (legacy body: API_ERR_FIELDS_REQUIRED, ACCOUNTS_ERR_INVALID_PASSWORD) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description No token (API_ERR_TOKEN_REQUIRED), or the old password is wrong (legacy body: ACCOUNTS_ERR_BAD_CREDENTIALS) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description This api issues no tokens (API_ERR_TOKENS_DISABLED) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  listUsers: {
    parameters: {
      query?: {
        page?: number;
        limit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of accounts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            users: {
              userId: string;
              email: string;
              subscriptionStatus: 'active' | 'inactive';
              paymentStatus: 'Active' | 'Inactive';
              /** @description ISO time */
              createdAt: string;
            }[];
            total: number;
            page: number;
            limit: number;
            totalPages: number;
          };
        };
      };
      /** @description Invalid page or limit (API_VALIDATION, API_ERR_INVALID_QUERY) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  updateUserStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "userId": "u_1",
         *       "field": "subscriptionStatus"
         *     }
         */
        'application/json': {
          userId: string;
          /** @description subscriptionStatus or paymentStatus */
          field: unknown;
        };
      };
    };
    responses: {
      /** @description Toggled */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            message: string;
            user: {
              userId: string;
              email: string;
              subscriptionStatus: 'active' | 'inactive';
              paymentStatus: 'Active' | 'Inactive';
              /** @description ISO time */
              createdAt: string;
            };
          };
        };
      };
      /** @description Not a status field (legacy body: API_ERR_INVALID_FIELD), or an invalid request */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such account (legacy body: ACCOUNTS_ERR_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                /** @enum {boolean} */
                success: false;
                /** @description The legacy node's text */
                error: string;
                code: string;
              }
            | {
                error: {
                  /**
                   * @description Stable code, also in the x-error-code header
                   * @example API_VALIDATION
                   */
                  code: string;
                  message: string;
                  /** @description Field problems and the like, when the error has them */
                  details?: unknown;
                };
                requestId: string;
              };
        };
      };
    };
  };
  generateCalendarToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The new calendar token */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            /** @description Read-only: GET /api/records of the allowed record types */
            calendarJWT: string;
            /** @description The token's SHA-256 (hex), its id */
            tokenHash: string;
            /** @example calendar-read-only */
            scope: string;
            /**
             * @example [
             *       "workoutSchedule",
             *       "mealPlan"
             *     ]
             */
            allowedRecordTypes: string[];
            /** @description Seconds */
            expiresIn: number;
            /** @description Epoch ms */
            createdAt: number;
            message: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description This api issues no tokens (API_ERR_TOKENS_DISABLED) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  revokeCalendarToken: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            message: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  newRecord: {
    parameters: {
      query: {
        recordType: string;
        storage?: string;
        blockchain?: string;
        localId?: string;
        /** @description A JSON object, used when the body has none */
        accessControl?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The record's fields by category: `basic` and the record type's own (legacy's body); storage, localId and accessControl may come here too */
    requestBody: {
      content: {
        /**
         * @example {
         *       "basic": {
         *         "name": "Morning run",
         *         "description": "5 km",
         *         "language": "en",
         *         "date": 1730505600
         *       }
         *     }
         */
        'application/json': {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description Published and indexed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "recordToIndex": {
           *         "data": {
           *           "basic": {
           *             "name": "Morning run"
           *           }
           *         },
           *         "oip": {
           *           "did": "did:gun:647f79c2a338:post_1730505600",
           *           "recordType": "post"
           *         }
           *       },
           *       "storage": "gun",
           *       "did": "did:gun:647f79c2a338:post_1730505600",
           *       "soul": "647f79c2a338:post_1730505600",
           *       "encrypted": false
           *     }
           */
          'application/json': {
            /** @description The record as it was indexed here */
            recordToIndex: {
              /** @description The record's fields by category (`basic` and the record type's own); drefs resolved as asked */
              data?: {
                [key: string]: unknown;
              };
              /** @description The record's OIP block: identity, type, creator, signature */
              oip?: {
                ver?: string;
                /** @example post */
                recordType?: string;
                /** @example did:gun:647f79c2a338:post_1730505600 */
                did?: string;
                didTx?: string;
                /** @example gun */
                storage?: string;
                /** @description When this node indexed the record (ISO time) */
                indexedAt?: string;
                /** @description creatorHandle, didAddress, publicKey (unless includePubKeys=false) */
                creator?: {
                  [key: string]: unknown;
                };
              } & {
                [key: string]: unknown;
              };
            } & {
              [key: string]: unknown;
            };
            /** @example gun */
            storage: string;
            did: string;
            soul: string;
            /** @description True when the record went to GUN encrypted (private, shared, organization) */
            encrypted: boolean;
          };
        };
      };
      /** @description Invalid record or parameter (API_ERR_INVALID_RECORD with details, API_ERR_INVALID_QUERY, API_ERR_STORAGE_NOT_SUPPORTED, API_VALIDATION) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Invalid token, or no publisher key for it here (API_ERR_TOKEN_INVALID, API_ERR_PUBLISHER_KEY_MISSING, API_ERR_PUBLISHER_KEY_LOCKED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The store refused the record (API_ERR_RECORD_REFUSED); nothing was published */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The relay did not take the record (API_ERR_RELAY_UNAVAILABLE); nothing was published */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description A service the route needs is unavailable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  deleteRecord: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "delete": {
         *         "did": "did:gun:647f79c2a338:post_1730505600"
         *       }
         *     }
         */
        'application/json':
          | {
              delete: {
                did: string;
              };
            }
          | {
              did: string;
            };
      };
    };
    responses: {
      /** @description Deleted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            /** @example Record deleted successfully */
            message: string;
            did: string;
            deletedCount: number;
            blockchainDeletion: boolean;
            gunRegistryDeletion: boolean;
            propagationNote: string;
          };
        };
      };
      /** @description Invalid request (API_VALIDATION, API_INVALID_JSON or a route code) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Invalid token, or not the creator nor an admin (API_ERR_TOKEN_INVALID, API_ERR_NOT_OWNER, API_ERR_PUBLISHER_KEY_LOCKED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such record (API_ERR_RECORD_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The relay did not take the deletion (API_ERR_RELAY_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description A service the route needs is unavailable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  indexRecord: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /**
           * @description The record's fields by category: `basic` and the record type's own (legacy's body); storage, localId and accessControl may come here too
           * @example {
           *       "basic": {
           *         "name": "Morning run",
           *         "description": "5 km",
           *         "language": "en",
           *         "date": 1730505600
           *       }
           *     }
           */
          data: {
            [key: string]: unknown;
          };
          oip: {
            did: string;
            recordType: string;
          } & {
            [key: string]: unknown;
          };
        } & {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description Indexed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {boolean} */
            success: true;
            /** @description Legacy's name for the DID */
            recordId: string;
            did: string;
          };
        };
      };
      /** @description Invalid record (API_ERR_INVALID_RECORD, API_VALIDATION) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired, out of scope or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_TOKEN_SCOPE, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The store refused the record (API_ERR_RECORD_REFUSED) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description A service the route needs is unavailable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  createMediaRecord: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @description From POST /api/media/upload */
          mediaId: string;
          recordType: 'image' | 'video' | 'audio';
          basicInfo?: {
            name?: string;
            description?: string;
            language?: string;
            nsfw?: boolean;
            tagItems?: string[];
          };
          accessControl?: {
            access_level?: 'public' | 'private';
          };
          width?: number;
          height?: number;
          duration?: number;
        };
      };
    };
    responses: {
      /** @description Published and indexed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "success": true,
           *       "did": "did:gun:647f79c2a338:media_4f1c",
           *       "recordType": "image",
           *       "mediaId": "4f1c2e0b9d6a8c7e5f3b1a2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e",
           *       "storage": "gun",
           *       "encrypted": false,
           *       "message": "Image record created successfully"
           *     }
           */
          'application/json': {
            /** @enum {boolean} */
            success: true;
            did: string;
            recordType: 'image' | 'video' | 'audio';
            mediaId: string;
            /** @enum {string} */
            storage: 'gun';
            encrypted: boolean;
            message: string;
          };
        };
      };
      /** @description Invalid request or record (API_VALIDATION, API_ERR_INVALID_RECORD) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Invalid token, not the owner of the file, or no publisher key (API_ERR_TOKEN_INVALID, API_ERR_MEDIA_FORBIDDEN, API_ERR_PUBLISHER_KEY_MISSING) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such media file (API_ERR_MEDIA_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The store refused the record (API_ERR_RECORD_REFUSED) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Too many requests from this caller (API_ERR_RATE_LIMITED) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The media service or the relay failed (API_ERR_UPSTREAM_UNAVAILABLE, API_ERR_RELAY_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description A service the route needs is unavailable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The media service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "error": {
           *         "code": "API_ERR_TOKEN_REQUIRED",
           *         "message": "Authentication token required"
           *       },
           *       "requestId": "req-1"
           *     }
           */
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  uploadMedia: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          file: Blob;
          access_level?: 'public' | 'private';
        };
      };
    };
    responses: {
      /** @description Stored */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            success: true;
            mediaId: string;
            httpUrl: string;
            size: number;
            mime: string;
            originalName: string | null;
            access_level: 'public' | 'private';
            /** @description The uploader's publisher public key */
            owner: string;
            /** @description True when this node held the file already */
            duplicate: boolean;
            /** @description Always '' (no torrents here) */
            magnetURI: string;
            /** @description Always '' */
            infoHash: string;
            torrentAvailable: boolean;
            message: string;
          } & {
            [key: string]: unknown;
          };
        };
      };
      /** @description Not a form with one file in the field "file" */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description No bearer token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The token is invalid or expired, or carries no publisher key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The file is larger than the node takes */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The file could not be stored */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The disk is full */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
    };
  };
  setupWebMedia: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          mediaId: string;
          filename: string;
        };
      };
    };
    responses: {
      /** @description Set up */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            success: true;
            webUrl: string;
            filename: string;
            message: string;
          };
        };
      };
      /** @description Invalid mediaId or filename */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description No bearer token */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The token is invalid, or the caller does not own the file */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description Media file not found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description A different file is already published under this name */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The web directory is full */
      507: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
    };
  };
  getMedia: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The file's SHA-256 (hex), from the upload */
        mediaId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description The requested range */
      206: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description Not modified */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not a mediaId */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The token is invalid or expired (checked by the api: API_ERR_TOKEN_INVALID) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such file the caller may read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description Precondition failed */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description Range not satisfiable */
      416: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getMediaInfo: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The file's SHA-256 (hex), from the upload */
        mediaId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The manifest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description Not a mediaId */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The token is invalid or expired (checked by the api: API_ERR_TOKEN_INVALID) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such file the caller may read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getWebMedia: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        project: string;
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description The requested range */
      206: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description Not modified */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Not a web media path (MEDIA_ERR_WEB_NAME_INVALID) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description No such file (MEDIA_ERR_NOT_FOUND) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Precondition failed */
      412: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description Range not satisfiable */
      416: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  relayGet: {
    parameters: {
      query: {
        /** @description The soul to read */
        soul: string;
        /** @description Keys per page (the paged form) */
        limit?: number;
        /** @description The key the page starts after */
        after?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The node */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            success: true;
            /** @description The node */
            data: unknown;
            next?: string | null;
          };
        };
      };
      /** @description No soul, or an invalid one */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description No such soul */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description A write: the relay is read-only through this port (API_ERR_RELAY_READ_ONLY) */
      405: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  relayList: {
    parameters: {
      query: {
        /** @description The first 12 hex of the publisher key’s SHA-256 */
        publisherHash: string;
        /** @description Only this record type */
        recordType?: string;
        /** @description At most this many */
        limit?: number;
        /** @description Skip this many */
        offset?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The records */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @constant */
            success: true;
            records: unknown[];
          };
        };
      };
      /** @description No publisherHash, or an invalid one */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  relayMediaManifest: {
    parameters: {
      query?: {
        /** @description The file's id */
        mediaId?: string;
        /** @description The same, legacy name */
        id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The manifest */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description No mediaId */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description No such manifest */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: string;
          };
        };
      };
      /** @description The upstream service is unavailable (API_ERR_UPSTREAM_UNAVAILABLE) */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The upstream service did not answer in time (API_ERR_UPSTREAM_TIMEOUT) */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The text exposition format */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': string;
        };
      };
    };
  };
  getMemoryHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
    };
  };
  getLegacyMemoryHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
    };
  };
  getLegacyMemoryTracker: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
    };
  };
  getQueueDashboard: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The dashboard page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description A browser without a live session: Location is the login page */
      303: {
        headers: {
          Location?: string;
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No bearer token (API_ERR_TOKEN_REQUIRED) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
      /** @description The token is invalid, expired or not an admin’s (API_ERR_TOKEN_INVALID, API_ERR_ADMIN_REQUIRED) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            error: {
              /**
               * @description Stable code, also in the x-error-code header
               * @example API_VALIDATION
               */
              code: string;
              message: string;
              /** @description Field problems and the like, when the error has them */
              details?: unknown;
            };
            requestId: string;
          };
        };
      };
    };
  };
}
