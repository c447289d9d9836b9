import { InputError } from "../net/errors";
import { compileRe2 } from "./gfe-re2";
import { parseIpRange } from "./gfe-ip";
import type { HttpRequest } from "./gfe-request";

/**
 * The subset of Cloud Armor's rules language (CEL, github.com/google/cel-spec) this model reads:
 *
 * - attributes `origin.ip`, `origin.region_code`, `request.path`, `request.query`, `request.method`,
 *   `request.scheme` (strings) and `request.headers['name']` (a header's value; names written in lower
 *   case, as the map holds them);
 * - `inIpRange(origin.ip, '203.0.113.0/24')`; on strings `.matches('RE2')` (an unanchored search, as
 *   CEL defines it), `.contains()`, `.startsWith()`, `.endsWith()`, `.lower()`, `.upper()`;
 * - `==` and `!=` on strings and booleans; `&&`, `||`, `!`, parentheses, `true`, `false`, string
 *   literals in single or double quotes.
 *
 * Evaluation follows CEL's error rules: a missing header is an error (`no such key`), not "";
 * `&&` and `||` absorb an error when the other side decides (false && error = false, true || error =
 * true); a rule whose expression ends in an error does not match.
 *
 * Not modelled: `origin.asn`, `origin.user_ip`, TLS fingerprints, `evaluatePreconfiguredWaf()` and
 * the other preconfigured WAF rules, reCAPTCHA tokens, `has()`, `size()`, `int()`, arithmetic and
 * ordering operators.
 */

export type CelExpr =
  | { readonly kind: "or" | "and"; readonly left: CelExpr; readonly right: CelExpr }
  | { readonly kind: "not"; readonly operand: CelExpr }
  | { readonly kind: "eq" | "ne"; readonly left: CelExpr; readonly right: CelExpr }
  | { readonly kind: "literal"; readonly value: string | boolean }
  | { readonly kind: "attribute"; readonly name: string }
  | { readonly kind: "header"; readonly name: string }
  | { readonly kind: "inIpRange"; readonly address: CelExpr; readonly range: string }
  | { readonly kind: "method"; readonly name: StringMethod; readonly target: CelExpr; readonly arg: CelExpr | null };

type StringMethod = "matches" | "contains" | "startsWith" | "endsWith" | "lower" | "upper";
const METHODS: Readonly<Record<StringMethod, { args: 0 | 1; returns: "string" | "bool" }>> = {
  matches: { args: 1, returns: "bool" }, contains: { args: 1, returns: "bool" }, startsWith: { args: 1, returns: "bool" },
  endsWith: { args: 1, returns: "bool" }, lower: { args: 0, returns: "string" }, upper: { args: 0, returns: "string" },
};
const ATTRIBUTES = ["origin.ip", "origin.region_code", "request.path", "request.query", "request.method", "request.scheme"] as const;

type Token = { kind: "op" | "ident" | "string" | "end"; text: string; at: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "&&" || two === "||" || two === "==" || two === "!=") {
      tokens.push({ kind: "op", text: two, at: i });
      i += 2;
      continue;
    }
    if ("!()[].,".includes(c)) {
      tokens.push({ kind: "op", text: c, at: i });
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = "";
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === "\\") {
          const n = src[++j];
          value += n === "n" ? "\n" : n === "t" ? "\t" : (n ?? "");
        } else value += src[j];
      }
      if (j >= src.length) throw new InputError(src, `at character ${i + 1}: unterminated string`);
      tokens.push({ kind: "string", text: value, at: i });
      i = j + 1;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
    if (ident) {
      tokens.push({ kind: "ident", text: ident[0], at: i });
      i += ident[0].length;
      continue;
    }
    throw new InputError(src, `at character ${i + 1}: unexpected "${c}"${c === "&" || c === "|" ? ` (CEL writes ${c}${c})` : c === "=" ? " (CEL compares with ==)" : ""}`);
  }
  tokens.push({ kind: "end", text: "", at: src.length });
  return tokens;
}

type Typed = { expr: CelExpr; type: "string" | "bool" };

/**
 * Parses and type-checks an expression.
 *
 * @throws InputError naming the character and what was expected
 * @example parseCel("origin.region_code == 'FR' && !inIpRange(origin.ip, '192.0.2.0/24')")
 */
export function parseCel(src: string): CelExpr {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const fail = (t: Token, why: string): never => {
    throw new InputError(src, `at character ${t.at + 1}: ${why}`);
  };
  const expect = (text: string) => {
    const t = peek();
    if (t.kind !== "op" || t.text !== text) fail(t, `expected "${text}"${t.kind === "end" ? " before the end" : `, found "${t.text}"`}`);
    pos++;
  };
  const bool = (t: Typed, at: Token, what: string) => {
    if (t.type !== "bool") fail(at, `${what} needs a true/false expression, not a string`);
    return t.expr;
  };

  function or(): Typed {
    let left = and();
    while (peek().kind === "op" && peek().text === "||") {
      const at = peek();
      pos++;
      const right = and();
      left = { type: "bool", expr: { kind: "or", left: bool(left, at, "||"), right: bool(right, at, "||") } };
    }
    return left;
  }
  function and(): Typed {
    let left = unary();
    while (peek().kind === "op" && peek().text === "&&") {
      const at = peek();
      pos++;
      const right = unary();
      left = { type: "bool", expr: { kind: "and", left: bool(left, at, "&&"), right: bool(right, at, "&&") } };
    }
    return left;
  }
  function unary(): Typed {
    if (peek().kind === "op" && peek().text === "!") {
      const at = peek();
      pos++;
      return { type: "bool", expr: { kind: "not", operand: bool(unary(), at, "!") } };
    }
    return comparison();
  }
  function comparison(): Typed {
    const left = member();
    const t = peek();
    if (t.kind === "op" && (t.text === "==" || t.text === "!=")) {
      pos++;
      const right = member();
      if (left.type !== right.type) fail(t, `${t.text} compares a ${left.type} with a ${right.type}`);
      return { type: "bool", expr: { kind: t.text === "==" ? "eq" : "ne", left: left.expr, right: right.expr } };
    }
    return left;
  }
  function member(): Typed {
    let cur = primary();
    while (peek().kind === "op" && peek().text === ".") {
      pos++;
      const name = peek();
      if (name.kind !== "ident") fail(name, "expected a method name after .");
      pos++;
      if (!(name.text in METHODS)) fail(name, `unknown method .${name.text}(); this model knows ${Object.keys(METHODS).map((m) => `.${m}()`).join(", ")}`);
      const spec = METHODS[name.text as StringMethod];
      if (cur.type !== "string") fail(name, `.${name.text}() applies to a string`);
      expect("(");
      let arg: CelExpr | null = null;
      if (spec.args === 1) {
        const a = or();
        if (a.type !== "string") fail(name, `.${name.text}() takes a string`);
        if (name.text === "matches" && a.expr.kind === "literal") {
          try {
            compileRe2(String(a.expr.value));
          } catch (error) {
            if (error instanceof InputError) fail(name, `.matches() regular expression: ${error.reason}`);
            throw error;
          }
        }
        arg = a.expr;
      }
      expect(")");
      cur = { type: spec.returns, expr: { kind: "method", name: name.text as StringMethod, target: cur.expr, arg } };
    }
    return cur;
  }
  function primary(): Typed {
    const t = peek();
    if (t.kind === "string") {
      pos++;
      return { type: "string", expr: { kind: "literal", value: t.text } };
    }
    if (t.kind === "op" && t.text === "(") {
      pos++;
      const inner = or();
      expect(")");
      return inner;
    }
    if (t.kind !== "ident") fail(t, t.kind === "end" ? "the expression ends too soon" : `unexpected "${t.text}"`);
    pos++;
    if (t.text === "true" || t.text === "false") return { type: "bool", expr: { kind: "literal", value: t.text === "true" } };
    if (t.text === "inIpRange") {
      expect("(");
      const address = or();
      if (address.type !== "string") fail(t, "inIpRange() takes an address string first");
      expect(",");
      const range = peek();
      if (range.kind !== "string") fail(range, "inIpRange() takes the range as a quoted string, e.g. '192.0.2.0/24'");
      pos++;
      try {
        parseIpRange(range.text);
      } catch (error) {
        if (error instanceof InputError) fail(range, `inIpRange(): ${error.message}`);
        throw error;
      }
      expect(")");
      return { type: "bool", expr: { kind: "inIpRange", address: address.expr, range: range.text } };
    }
    if (t.text !== "origin" && t.text !== "request") fail(t, `unknown name "${t.text}"; expressions start from origin or request`);
    expect(".");
    const field = peek();
    if (field.kind !== "ident") fail(field, "expected an attribute name");
    pos++;
    const name = `${t.text}.${field.text}`;
    if (name === "request.headers") {
      expect("[");
      const key = peek();
      if (key.kind !== "string") fail(key, "request.headers takes a quoted header name, e.g. request.headers['user-agent']");
      if (key.text !== key.text.toLowerCase()) fail(key, `write header names in lower case: request.headers['${key.text.toLowerCase()}']`);
      pos++;
      expect("]");
      return { type: "string", expr: { kind: "header", name: key.text } };
    }
    if (!(ATTRIBUTES as readonly string[]).includes(name)) fail(field, `unknown attribute ${name}; this model knows ${ATTRIBUTES.join(", ")}, request.headers['…']`);
    return { type: "string", expr: { kind: "attribute", name } };
  }

  const result = or();
  if (peek().kind !== "end") fail(peek(), `unexpected "${peek().text}"`);
  if (result.type !== "bool") throw new InputError(src, "a rule's expression must be true or false, not a string");
  return result.expr;
}

/** What the expression sees of one request. */
export interface CelContext {
  readonly ip: string;
  readonly regionCode: string;
  readonly request: HttpRequest;
  readonly scheme?: string;
}

/** A value, or CEL's error (which `&&` / `||` may absorb). */
export type CelValue = string | boolean | { readonly error: string };
const isError = (v: CelValue): v is { error: string } => typeof v === "object";

/** Evaluates an expression; an error result means "does not match". */
export function evaluateCel(expr: CelExpr, ctx: CelContext): CelValue {
  switch (expr.kind) {
    case "literal":
      return expr.value;
    case "attribute":
      switch (expr.name) {
        case "origin.ip": return ctx.ip;
        case "origin.region_code": return ctx.regionCode;
        case "request.path": return ctx.request.path;
        case "request.query": return ctx.request.query;
        case "request.method": return ctx.request.method;
        default: return ctx.scheme ?? "https";
      }
    case "header": {
      const values = expr.name === "host" ? [ctx.request.host] : ctx.request.headers[expr.name];
      return values === undefined ? { error: `no such key: '${expr.name}'` } : values.join(", ");
    }
    case "not": {
      const v = evaluateCel(expr.operand, ctx);
      return isError(v) ? v : !v;
    }
    case "and":
    case "or": {
      const l = evaluateCel(expr.left, ctx);
      const r = evaluateCel(expr.right, ctx);
      const decisive = expr.kind === "and" ? false : true;
      if (l === decisive || r === decisive) return decisive;
      if (isError(l)) return l;
      if (isError(r)) return r;
      return !decisive;
    }
    case "eq":
    case "ne": {
      const l = evaluateCel(expr.left, ctx);
      const r = evaluateCel(expr.right, ctx);
      if (isError(l)) return l;
      if (isError(r)) return r;
      return expr.kind === "eq" ? l === r : l !== r;
    }
    case "inIpRange": {
      const a = evaluateCel(expr.address, ctx);
      if (isError(a)) return a;
      try {
        return parseIpRange(expr.range).contains(String(a));
      } catch {
        return { error: `inIpRange: "${String(a)}" is not an address` };
      }
    }
    case "method": {
      const target = evaluateCel(expr.target, ctx);
      if (isError(target)) return target;
      const s = String(target);
      if (expr.name === "lower") return s.toLowerCase();
      if (expr.name === "upper") return s.toUpperCase();
      const arg = evaluateCel(expr.arg!, ctx);
      if (isError(arg)) return arg;
      const a = String(arg);
      if (expr.name === "contains") return s.includes(a);
      if (expr.name === "startsWith") return s.startsWith(a);
      if (expr.name === "endsWith") return s.endsWith(a);
      try {
        return compileRe2(a).search(s);
      } catch {
        return { error: `matches: bad expression ${a}` };
      }
    }
  }
}
