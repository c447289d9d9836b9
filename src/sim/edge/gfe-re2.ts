import { InputError } from "../net/errors";

/**
 * A subset of RE2 (github.com/google/re2/wiki/Syntax), the regular-expression engine URL maps
 * (`regexMatch`) and Cloud Armor (`matches()`) use, checked and then run on JavaScript's engine.
 *
 * Supported: literals and escapes (`\.`, `\/`, `\d \D \w \W \s \S \b \B`), `.`, bracket classes
 * (`[a-z0-9_-]`, `[^/]`), groups `( )`, `(?: )` and `(?P<name> )`, alternation `|`, the quantifiers
 * `* + ? {n} {n,} {n,m}` with or without a lazy `?`, the anchors `^ $ \A \z`, and a leading `(?i)`.
 * On this subset RE2 and JavaScript agree on what matches.
 *
 * Refused with the reason, as RE2 refuses them: backreferences (`\1`) and lookaround (`(?=`, `(?!`,
 * `(?<=`, `(?<!`) — RE2 guarantees linear time, so it has neither — and repetition counts above
 * 1000. Refused because this model leaves them out (RE2 has them): POSIX classes (`[[:alpha:]]`),
 * Unicode classes (`\pL`), flags other than a leading `(?i)`, and `\C`, `\Q…\E`.
 */
export interface Re2 {
  readonly source: string;
  /** Whether the pattern matches all of `text` (URL maps' `regexMatch`: the whole path must satisfy it). */
  full(text: string): boolean;
  /** Whether the pattern matches anywhere in `text` (CEL's `matches()`, an unanchored RE2 search). */
  search(text: string): boolean;
}

const MAX_REPEAT = 1000;

function fail(pattern: string, at: number, reason: string): never {
  throw new InputError(pattern, `at character ${at + 1}: ${reason}`);
}

/**
 * Checks `pattern` against the subset and compiles it.
 *
 * @throws InputError naming the character and the reason
 * @example compileRe2("/api/v[0-9]+/.*").full("/api/v2/users") // true
 */
export function compileRe2(pattern: string): Re2 {
  let body = pattern;
  let flags = "";
  if (body.startsWith("(?i)")) {
    flags = "i";
    body = body.slice(4);
  }
  const offset = pattern.length - body.length;
  let out = "";
  let depth = 0;
  let i = 0;
  let atomStart = true; // nothing to repeat yet
  while (i < body.length) {
    const c = body[i]!;
    const at = i + offset;
    if (c === "\\") {
      const n = body[i + 1];
      if (n === undefined) fail(pattern, at, "trailing backslash");
      if (/[1-9]/.test(n)) fail(pattern, at, "RE2 has no backreferences (\\1…\\9): it guarantees linear-time matching");
      if (n === "p" || n === "P") fail(pattern, at, "Unicode classes (\\p…) are not modelled here");
      if (n === "Q" || n === "C") fail(pattern, at, `\\${n} is not modelled here`);
      if (n === "A") out += "^";
      else if (n === "z") out += "$";
      else if (n === "Z") fail(pattern, at, "RE2 has no \\Z; use \\z or $");
      else out += `\\${n}`;
      i += 2;
      atomStart = false;
      continue;
    }
    if (c === "[") {
      let j = i + 1;
      if (body[j] === "^") j++;
      if (body[j] === "]") j++;
      for (; j < body.length && body[j] !== "]"; j++) {
        if (body[j] === "\\") j++;
        else if (body[j] === "[" && body[j + 1] === ":") fail(pattern, j + offset, "POSIX classes ([[:alpha:]]) are not modelled here");
      }
      if (j >= body.length) fail(pattern, at, "missing closing ]");
      out += body.slice(i, j + 1);
      i = j + 1;
      atomStart = false;
      continue;
    }
    if (c === "(") {
      if (body[i + 1] === "?") {
        const rest = body.slice(i + 2);
        if (/^(=|!|<=|<!)/.test(rest)) fail(pattern, at, "RE2 has no lookaround ((?=, (?!, (?<=, (?<!)");
        if (rest.startsWith(":")) {
          out += "(?:";
          i += 3;
        } else if (rest.startsWith("P<")) {
          const end = rest.indexOf(">");
          const name = end < 0 ? "" : rest.slice(2, end);
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) fail(pattern, at, "bad named group (?P<name>…)");
          out += `(?<${name}>`;
          i += 2 + end + 1;
        } else if (rest.startsWith(">")) {
          fail(pattern, at, "RE2 has no atomic groups (?>…)");
        } else {
          fail(pattern, at, "flags other than a leading (?i) are not modelled here");
        }
      } else {
        out += "(";
        i++;
      }
      depth++;
      atomStart = true;
      continue;
    }
    if (c === ")") {
      if (depth === 0) fail(pattern, at, "unexpected )");
      depth--;
      out += ")";
      i++;
      atomStart = false;
      continue;
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") {
      let q = c;
      let j = i + 1;
      if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(body.slice(i));
        if (!m) {
          // RE2, like Perl, reads a { that does not start a repetition as a literal.
          out += "\\{";
          i++;
          atomStart = false;
          continue;
        }
        const min = Number(m[1]);
        const max = m[3] === undefined ? (m[2] ? Infinity : min) : m[3] === "" ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) fail(pattern, at, `bad repetition operator: RE2 allows counts up to ${MAX_REPEAT}`);
        if (max < min) fail(pattern, at, "bad repetition operator: the maximum is below the minimum");
        q = m[0];
        j = i + m[0].length;
      }
      if (atomStart) fail(pattern, at, `missing argument to repetition operator ${q}`);
      if (body[j] === "+") fail(pattern, at, "RE2 has no possessive quantifiers");
      if (body[j] === "?") {
        q += "?";
        j++;
      }
      if (/^[*+?{]/.test(body.slice(j)) && !/^\{(?!\d)/.test(body.slice(j))) fail(pattern, j + offset, "bad repetition operator: a quantifier cannot follow another");
      out += q;
      i = j;
      atomStart = false;
      continue;
    }
    if (c === "|") {
      out += "|";
      i++;
      atomStart = true;
      continue;
    }
    if (c === "^" || c === "$") {
      out += c;
      i++;
      atomStart = true;
      continue;
    }
    out += c === "/" ? "\\/" : c;
    i++;
    atomStart = false;
  }
  if (depth > 0) fail(pattern, pattern.length - 1, "missing closing )");
  let full: RegExp;
  let search: RegExp;
  try {
    full = new RegExp(`^(?:${out})$`, flags);
    search = new RegExp(out, flags);
  } catch (error) {
    fail(pattern, 0, error instanceof Error ? error.message : "not a valid expression");
  }
  return { source: pattern, full: (text) => full.test(text), search: (text) => search.test(text) };
}
