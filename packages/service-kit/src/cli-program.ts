// The command-line programs of every CLI of ours, on commander: each command and sub-command has
// --help (its description, options and an example); an unknown option, a missing value, a missing
// or stray argument, an unknown command, and a UsageError thrown by an action are usage errors:
// one line saying what is wrong, the command's usage line, exit code 2. Nothing calls
// process.exit here: run() resolves to the exit code.
import { Command, CommanderError } from 'commander';
import { UsageError, USAGE_EXIT_CODE } from './cli.js';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** What an action does: its exit code (0 ok, 1 not found / refused / failed, 2 usage). */
export type CliAction<A extends unknown[]> = (...args: A) => Promise<number> | number;

export interface CliProgram {
  /** The root command: add sub-commands with `program.command(...)`; they inherit its settings. */
  readonly program: Command;
  /** Wraps an action so its exit code becomes run()'s answer. */
  action<A extends unknown[]>(fn: CliAction<A>): (...args: A) => Promise<void>;
  /** Runs one command line (the arguments after the program name); resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

/** commander writes whole blocks ending in a newline; our io takes lines. */
function linesTo(write: (line: string) => void): (text: string) => void {
  return (text) => {
    for (const line of text.replace(/\n$/u, '').split('\n')) write(line);
  };
}

/** The deepest (sub-)command `argv` names: its usage goes with an error. */
function commandOf(program: Command, argv: readonly string[]): Command {
  let cmd = program;
  for (const token of argv) {
    if (token === '--') break;
    if (token.startsWith('-')) continue;
    const next = cmd.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (next === undefined) break;
    cmd = next;
  }
  return cmd;
}

function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Adds an "Example:" section to a command's --help.
 * @param lines whole command lines, as an operator types them
 */
export function withExample(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}

/**
 * A program named `name` (what the operator types, e.g. `oip`), writing through `io`. Every
 * sub-command made with `program.command()` copies its settings (output, exit override, no
 * excess arguments), so the rules hold at every depth.
 */
export function createCli(name: string, description: string, io: CliIo): CliProgram {
  const program = new Command(name)
    .description(description)
    .allowExcessArguments(false)
    .configureOutput({
      writeOut: linesTo(io.out),
      writeErr: linesTo(io.err),
      // run() writes the error itself, with the failing command's usage.
      outputError: () => {},
    })
    .exitOverride();
  let code = 0;
  const usageFailure = (argv: readonly string[], message: string): number => {
    const cmd = commandOf(program, argv);
    const path = pathOf(cmd);
    io.err(`${name}: ${message.replace(/^error: /u, '').split('\n')[0]}`);
    io.err(`usage: ${path} ${cmd.usage()}`);
    io.err(`(${path} --help says more)`);
    return USAGE_EXIT_CODE;
  };
  return {
    program,
    action:
      <A extends unknown[]>(fn: CliAction<A>) =>
      async (...args: A) => {
        code = await fn(...args);
      },
    async run(argv) {
      code = 0;
      try {
        await program.parseAsync([...argv], { from: 'user' });
        return code;
      } catch (err) {
        if (err instanceof CommanderError) {
          if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
          // A group run without its sub-command: commander printed the group's help to stderr.
          if (err.code === 'commander.help') return USAGE_EXIT_CODE;
          return usageFailure(argv, err.message);
        }
        if (err instanceof UsageError) return usageFailure(argv, err.message);
        throw err;
      }
    },
  };
}
