// `oip dlq list|show|replay|discard`: the operator's view of the dead-letter queue.
import type { DeadLetterEntry, DeadLetterService } from '../dlq/dead-letter-service.js';

export const USAGE = `usage:
  oip dlq list [--code CODE] [--limit N] [--offset N] [--json]
  oip dlq show <did> [--json]
  oip dlq replay <did> | --all [--code CODE] [--limit N]
  oip dlq discard <did>`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

function parse(argv: string[]): { args: string[]; flags: Record<string, string> } {
  const args: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (v !== undefined) flags[k] = v;
      else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') && k !== 'json' && k !== 'all') flags[k] = argv[++i]!;
      else flags[k] = 'true';
    } else args.push(a);
  }
  return { args, flags };
}

const int = (v: string | undefined, d: number): number => {
  const n = v === undefined ? d : Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got "${v}"`);
  return n;
};

function line(e: DeadLetterEntry): string {
  return [new Date(e.lastFailedAt).toISOString(), e.code, `attempts=${e.attempts}`, e.did, e.message.slice(0, 120)].join('  ');
}

/** Runs one command; returns the process exit code (0 ok, 1 not found / nothing done, 2 usage). */
export async function runCli(argv: string[], dlq: DeadLetterService, io: CliIo): Promise<number> {
  const { args, flags } = parse(argv);
  const [group, cmd, did] = args;
  if (group !== 'dlq' || !cmd) {
    io.err(USAGE);
    return 2;
  }
  const json = flags.json === 'true';
  switch (cmd) {
    case 'list': {
      const entries = await dlq.list({ offset: int(flags.offset, 0), limit: int(flags.limit, 50), ...(flags.code ? { code: flags.code } : {}) });
      if (json) io.out(JSON.stringify(entries));
      else {
        io.out(`${await dlq.count()} dead letters; showing ${entries.length}`);
        for (const e of entries) io.out(line(e));
      }
      return 0;
    }
    case 'show': {
      if (!did) break;
      const e = await dlq.show(did);
      if (!e) {
        io.err(`no dead letter for ${did}`);
        return 1;
      }
      io.out(json ? JSON.stringify(e) : JSON.stringify(e, null, 2));
      return 0;
    }
    case 'replay': {
      if (flags.all === 'true') {
        const results = await dlq.replayMany({ limit: int(flags.limit, 1000), ...(flags.code ? { code: flags.code } : {}) });
        const ok = results.filter((r) => r.replayed).length;
        io.out(`replayed ${ok} of ${results.length}`);
        return 0;
      }
      if (!did) break;
      const r = await dlq.replay(did);
      if (!r.replayed) {
        io.err(`not replayed: ${r.reason} (${did})`);
        return 1;
      }
      io.out(`replayed ${did} as job ${r.jobId}`);
      return 0;
    }
    case 'discard': {
      if (!did) break;
      if (!(await dlq.discard(did))) {
        io.err(`no dead letter for ${did}`);
        return 1;
      }
      io.out(`discarded ${did}`);
      return 0;
    }
  }
  io.err(USAGE);
  return 2;
}
