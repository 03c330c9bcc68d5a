// diagnostics_channel events, so apps can log or meter the store without the store logging.
import { channel } from 'node:diagnostics_channel';

/** Published after every bulkUpsert that reached the backend. */
export interface BulkDiagnostic {
  backend: 'sqlite' | 'elasticsearch';
  /** Records in the call. */
  items: number;
  ok: number;
  failed: number;
  /** Failed items by error code. */
  failures: Record<string, number>;
  durationMs: number;
}

/** Channel name for {@link BulkDiagnostic} messages. */
export const BULK_CHANNEL = 'oip:record-store:bulk';

const bulkChannel = channel(BULK_CHANNEL);

export function publishBulk(
  backend: BulkDiagnostic['backend'],
  results: ReadonlyArray<{ ok: boolean; error?: { code: string } }>,
  startedAt: number,
): void {
  if (!bulkChannel.hasSubscribers) return;
  const failures: Record<string, number> = {};
  let ok = 0;
  for (const r of results) {
    if (r.ok) ok += 1;
    else {
      const code = r.error?.code ?? 'UNKNOWN';
      failures[code] = (failures[code] ?? 0) + 1;
    }
  }
  const message: BulkDiagnostic = {
    backend,
    items: results.length,
    ok,
    failed: results.length - ok,
    failures,
    durationMs: performance.now() - startedAt,
  };
  bulkChannel.publish(message);
}
