// The closing report of `migrate media`: per kind of entry (media files, web files, anything else
// found in the legacy MEDIA_DIR), how many were read, written, already here, skipped (by reason)
// and failed (by reason), with a few example names per reason. Bounded: reasons are a fixed set
// (plus one per errno code), and each keeps at most EXAMPLES names.

/** Why an entry was not migrated; a stable code each. */
export const SkipReasons = {
  'hash-mismatch': "the file's sha256 is not its media id",
  'size-mismatch': "the file's size is not the manifest's fileSize",
  'manifest-missing': 'no manifest.json beside the file (this node serves no media without one)',
  'manifest-invalid':
    'manifest.json is not a JSON object naming this media id (or is a link, over 64 KiB, or has a non-string userPublicKey)',
  'original-missing': 'no original file in the media directory',
  'not-a-regular-file': 'not a regular file (or directory) where one belongs',
  symlink: 'a symbolic link (never followed)',
  'not-media': 'not a media directory (its name is not a 64-hex media id)',
  'legacy-temp-dir': "legacy's upload temp directory",
  'webtorrent-state': "legacy's WebTorrent seeding state (this node does not seed)",
  'web-project-invalid': 'not a project name this node serves ([A-Za-z0-9][A-Za-z0-9._-]*)',
  'web-name-invalid':
    'not a file name this node serves (a separator, control character or leading dot, or over 255 bytes)',
  'web-unknown-bytes': "the file's bytes are no media this node holds",
  'web-name-taken': "this node's web directory holds other bytes under that name",
} as const;
export type SkipReason = keyof typeof SkipReasons;

export type Section = 'media' | 'web' | 'other';
const SECTION_TITLES: Record<Section, string> = {
  media: 'media files',
  web: 'web files',
  other: 'other entries',
};

/** Example names kept per reason. */
export const EXAMPLES = 5;

interface ReasonTally {
  count: number;
  examples: string[];
}

interface SectionTally {
  read: number;
  written: number;
  unchanged: number;
  bytesRead: number;
  bytesWritten: number;
  skipped: Map<string, ReasonTally>;
  failed: Map<string, ReasonTally>;
}

export interface SectionReport {
  read: number;
  written: number;
  unchanged: number;
  bytesRead: number;
  bytesWritten: number;
  skipped: Record<string, ReasonTally>;
  failed: Record<string, ReasonTally>;
}

const tally = (m: Map<string, ReasonTally>, reason: string, name: string): void => {
  let t = m.get(reason);
  if (t === undefined) {
    t = { count: 0, examples: [] };
    m.set(reason, t);
  }
  t.count++;
  if (t.examples.length < EXAMPLES) t.examples.push(name);
};

const total = (m: Map<string, ReasonTally>): number => [...m.values()].reduce((n, t) => n + t.count, 0);

export class MigrationReport {
  readonly #sections = new Map<Section, SectionTally>();

  #section(s: Section): SectionTally {
    let t = this.#sections.get(s);
    if (t === undefined) {
      t = { read: 0, written: 0, unchanged: 0, bytesRead: 0, bytesWritten: 0, skipped: new Map(), failed: new Map() };
      this.#sections.set(s, t);
    }
    return t;
  }

  read(s: Section, bytes = 0): void {
    const t = this.#section(s);
    t.read++;
    t.bytesRead += bytes;
  }

  bytesRead(s: Section, bytes: number): void {
    this.#section(s).bytesRead += bytes;
  }

  written(s: Section, bytes = 0): void {
    const t = this.#section(s);
    t.written++;
    t.bytesWritten += bytes;
  }

  unchanged(s: Section): void {
    this.#section(s).unchanged++;
  }

  skipped(s: Section, reason: SkipReason, name: string): void {
    tally(this.#section(s).skipped, reason, name);
  }

  /** A failure: `reason` is an errno code (EACCES, ENOSPC, …) or a message's first words. */
  failed(s: Section, reason: string, name: string): void {
    tally(this.#section(s).failed, reason, name);
  }

  get failures(): number {
    return [...this.#sections.values()].reduce((n, t) => n + total(t.failed), 0);
  }

  toJSON(): Partial<Record<Section, SectionReport>> {
    const out: Partial<Record<Section, SectionReport>> = {};
    for (const [s, t] of this.#sections) {
      out[s] = {
        read: t.read,
        written: t.written,
        unchanged: t.unchanged,
        bytesRead: t.bytesRead,
        bytesWritten: t.bytesWritten,
        skipped: Object.fromEntries(t.skipped),
        failed: Object.fromEntries(t.failed),
      };
    }
    return out;
  }

  /** The report as lines for a terminal; `dryRun` words "written" as "to write". */
  lines(dryRun: boolean): string[] {
    const out: string[] = [];
    for (const s of ['media', 'web', 'other'] as const) {
      const t = this.#sections.get(s);
      if (t === undefined) continue;
      const head =
        s === 'other'
          ? `${SECTION_TITLES[s]}: skipped ${total(t.skipped)}, failed ${total(t.failed)}`
          : `${SECTION_TITLES[s]}: read ${t.read}, ${dryRun ? 'to write' : 'written'} ${t.written}, already here ${t.unchanged}, skipped ${total(t.skipped)}, failed ${total(t.failed)} (${mib(t.bytesRead)} read, ${mib(t.bytesWritten)} ${dryRun ? 'to write' : 'written'})`;
      out.push(head);
      for (const [reason, r] of t.skipped)
        out.push(`  skipped ${reason} ${r.count}: ${SkipReasons[reason as SkipReason]} (${r.examples.join(', ')})`);
      for (const [reason, r] of t.failed) out.push(`  failed ${reason} ${r.count} (${r.examples.join(', ')})`);
    }
    if (out.length === 0) out.push('nothing found to migrate');
    return out;
  }
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
