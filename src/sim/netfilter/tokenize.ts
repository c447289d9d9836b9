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
  // Tokens are cut out of the line whole (a quoted part and each escape end one piece): a large
  // dump has millions of characters, too many to copy one at a time.
  const args: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    let token = "";
    let from = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c === 32 || c === 9) break;
      if (c !== 34) {
        i++;
        continue;
      }
      // A quoted part: up to the closing quote, a backslash taking the next character as it is.
      token += text.slice(from, i);
      from = ++i;
      for (;;) {
        if (i >= n) throw new RulesetError(line, text, "unterminated quoted string");
        c = text.charCodeAt(i);
        if (c === 34) break;
        if (c === 92) {
          token += text.slice(from, i);
          from = ++i;
          if (i >= n) throw new RulesetError(line, text, "unterminated quoted string");
        }
        i++;
      }
      token += text.slice(from, i);
      from = ++i;
    }
    args.push(token + text.slice(from, i));
  }
  return args;
}
