// A shell in a tmux pane on a tmux server of its own (its own socket file, in the test's directory,
// so a developer's tmux is never touched and nothing is left in /tmp/tmux-*): commands are typed into it and keys sent as a person would (C-c reaches the
// foreground process group through the terminal), and everything the pane prints is appended to
// a file the test reads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** True when a `tmux` command runs here. */
export function tmuxInstalled(): boolean {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

export class TmuxSession {
  readonly #socket: string;
  readonly #log: string;
  readonly #env: Record<string, string>;

  private constructor(socket: string, log: string, env: Record<string, string>) {
    this.#socket = socket;
    this.#log = log;
    this.#env = env;
  }

  /** An interactive bash (no rc files) in a 200×50 pane, its output appended to `logFile`; `socket` is a file path. */
  static start(opts: { socket: string; logFile: string; cwd: string; env: Record<string, string> }): TmuxSession {
    const s = new TmuxSession(opts.socket, opts.logFile, opts.env);
    s.#tmux(['new-session', '-d', '-s', 'main', '-x', '200', '-y', '50', '-c', opts.cwd, 'bash --norc --noprofile -i']);
    s.#tmux(['pipe-pane', '-t', 'main', '-o', `cat >> '${opts.logFile}'`]);
    return s;
  }

  /** Runs a tmux command on this session's server (started with, and always given, the session's environment). */
  #tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.#socket, ...args], { env: this.#env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]} failed (${r.status}): ${r.stderr}`);
    return r.stdout;
  }

  /** Types `line` and Enter. */
  type(line: string): void {
    this.#tmux(['send-keys', '-t', 'main', '-l', line]);
    this.#tmux(['send-keys', '-t', 'main', 'Enter']);
  }

  /** Sends one key as tmux names it (`C-c`). */
  key(name: string): void {
    this.#tmux(['send-keys', '-t', 'main', name]);
  }

  /** The pid of the pane's shell. */
  shellPid(): number {
    return Number(this.#tmux(['display-message', '-p', '-t', 'main', '#{pane_pid}']).trim());
  }

  /** Everything the pane printed so far, escape sequences removed. */
  output(): string {
    let text = '';
    try {
      text = readFileSync(this.#log, 'utf8');
    } catch {
      return '';
    }
    return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
  }

  /** Ends the tmux server and everything still in its panes. */
  kill(): void {
    spawnSync('tmux', ['-S', this.#socket, 'kill-server'], { env: this.#env, stdio: 'ignore' });
  }
}
