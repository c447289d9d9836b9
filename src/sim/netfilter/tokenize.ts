import { InputError } from "../net/errors";

/** An InputError that also says which line of an iptables-save dump it is about. */
export class RulesetError extends InputError {
  readonly line: number;
  constructor(line: number, text: string, reason: string) {
    super(text, `line ${line}: ${reason}`);
    this.name = "RulesetError";
    this.line = line;
  }
}

/**
 * Splits a rule line into arguments the way iptables-restore does (add_param_to_argv in
 * iptables/xshared.c): whitespace separates, double quotes group and are removed, and inside quotes
 * a backslash escapes the next character. An unterminated quote is an error, as it is for
 * iptables-restore ("Unterminated quoted string").
 */
export function tokenizeRuleLine(text: string, line: number): string[] {
  const args: string[] = [];
  let current = "";
  let inToken = false;
  let quoted = false;
  let escaped = false;
  for (const ch of text) {
    if (quoted) {
      if (escaped) {
        current += ch;
        escaped = false;
      } else if (ch === "\\") {
        escaped = true;
      } else if (ch === '"') {
        quoted = false;
      } else {
        current += ch;
      }
      continue;
    }
    if (ch === '"') {
      quoted = true;
      inToken = true;
    } else if (ch === " " || ch === "\t") {
      if (inToken) args.push(current);
      current = "";
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (quoted) throw new RulesetError(line, text, "unterminated quoted string");
  if (inToken) args.push(current);
  return args;
}
