/**
 * The argument reader every `npm run sim` command shares: flags (`--flag value` or `--flag=value`, each
 * once unless repeatable), positional arguments and `--json`. A flag the command does not take, or a
 * flag without its value, is an InputError naming it (exit 2).
 */
import { InputError } from "../src/sim/net/errors";

/** Flags and positional arguments of one command; each flag may be given once unless repeatable. */
export interface Args {
  readonly positional: string[];
  readonly flags: Map<string, string[]>;
  readonly json: boolean;
}

export function parseArgs(argv: readonly string[], valued: readonly string[], repeatable: readonly string[] = []): Args {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg.startsWith("--")) {
      const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
      if (!valued.includes(name)) throw new InputError(arg, `unknown option; this command takes ${[...valued, "--json"].join(", ")}`);
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith("--"))) throw new InputError(name, `${name} needs a value`);
      const list = flags.get(name) ?? [];
      if (list.length && !repeatable.includes(name)) throw new InputError(name, `${name} is given twice`);
      flags.set(name, [...list, value]);
    } else positional.push(arg);
  }
  return { positional, flags, json };
}

export function one(args: Args, name: string): string | undefined {
  return args.flags.get(name)?.[0];
}

export function print(args: Args, json: unknown, text: () => string): void {
  console.log(args.json ? JSON.stringify(json, null, 2) : text());
}

