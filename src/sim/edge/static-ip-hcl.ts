/**
 * A small reader for the part of HCL (Terraform's configuration language) that declares addresses:
 * blocks with labels (`resource "google_compute_global_address" "ingress_ip" { … }`), attributes
 * (`name = "my-ip"`), nested blocks (`lifecycle { … }`) and comments (`#`, `//`, `/* … *\/`).
 * Attribute values are read as a literal when they are one (a string without interpolation, a
 * number, true/false/null) and kept as source text otherwise (`var.name`, `"${local.env}-ip"`,
 * `upper("x")`): a linter cannot know what those evaluate to, and says so.
 *
 * Not read: heredocs (refused with a message). A value that spans lines is kept as text when its
 * brackets balance. Errors name the line, as `terraform validate` does.
 */

export type HclValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" }
  /** Anything that needs evaluating: a reference, a template with `${…}`, a function call, a list or object. */
  | { readonly kind: "expression"; readonly text: string };

export interface HclAttribute {
  readonly name: string;
  readonly value: HclValue;
  readonly line: number;
}

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  /** Line of the block's first token, and of each label. */
  readonly line: number;
  readonly attributes: readonly HclAttribute[];
  readonly blocks: readonly HclBlock[];
}

export class HclError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = "HclError";
  }
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class Scanner {
  pos = 0;
  line = 1;
  constructor(readonly text: string) {}

  /** Skips spaces and comments; stops at a newline when `newlines` is false (attributes end at one). */
  skip(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === " " || c === "\t" || c === "\r") this.pos++;
      else if (c === "\n" && newlines) {
        this.pos++;
        this.line++;
      } else if (c === "#" || (c === "/" && this.text[this.pos + 1] === "/")) {
        while (this.pos < this.text.length && this.text[this.pos] !== "\n") this.pos++;
      } else if (c === "/" && this.text[this.pos + 1] === "*") {
        const start = this.line;
        const end = this.text.indexOf("*/", this.pos + 2);
        if (end < 0) throw new HclError(start, "a /* comment is never closed with */");
        for (let i = this.pos; i < end; i++) if (this.text[i] === "\n") this.line++;
        this.pos = end + 2;
      } else return;
    }
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  done(): boolean {
    return this.pos >= this.text.length;
  }

  ident(): string | null {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.text);
    if (!m) return null;
    this.pos += m[0].length;
    return m[0];
  }

  /** A quoted string; `template` is true when it holds `${…}` or `%{…}` (it then needs evaluating). */
  string(): { value: string; template: boolean; raw: string } {
    const startLine = this.line;
    const start = this.pos;
    this.pos++; // the opening quote
    let value = "";
    let template = false;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === "\n") throw new HclError(startLine, "a string is not closed: a quote is missing before the end of the line");
      if (c === '"') {
        this.pos++;
        return { value, template, raw: this.text.slice(start, this.pos) };
      }
      if (c === "\\") {
        const next = this.text[this.pos + 1];
        const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", '"': '"', "\\": "\\" };
        if (next === undefined || !(next in escapes)) throw new HclError(this.line, `unknown escape \\${next ?? ""} in a string`);
        value += escapes[next];
        this.pos += 2;
        continue;
      }
      if ((c === "$" || c === "%") && this.text[this.pos + 1] === c && this.text[this.pos + 2] === "{") {
        // "$${" and "%%{" are HCL's escapes for a literal "${" and "%{".
        value += `${c}{`;
        this.pos += 3;
        continue;
      }
      if ((c === "$" || c === "%") && this.text[this.pos + 1] === "{") template = true;
      value += c;
      this.pos++;
    }
  }
}

/** An attribute's value: a literal, or the expression's text up to the end of the line (brackets may span lines). */
function readValue(s: Scanner): HclValue {
  s.skip(false);
  const startLine = s.line;
  const c = s.peek();
  if (c === undefined || c === "\n") throw new HclError(startLine, "an attribute needs a value after =");
  if (c === "<" && s.text.startsWith("<<", s.pos)) throw new HclError(startLine, "heredoc strings (<<EOF) are not supported here; use a quoted string");
  const start = s.pos;
  if (c === '"') {
    const str = s.string();
    if (endsHere(s)) return str.template ? { kind: "expression", text: str.raw } : { kind: "string", value: str.value };
    return { kind: "expression", text: restOfExpression(s, start) };
  }
  NUMBER.lastIndex = s.pos;
  const num = NUMBER.exec(s.text);
  if (num) {
    s.pos += num[0].length;
    if (endsHere(s)) return { kind: "number", value: Number(num[0]) };
    return { kind: "expression", text: restOfExpression(s, start) };
  }
  const word = s.ident();
  if (word !== null && endsHere(s)) {
    if (word === "true" || word === "false") return { kind: "bool", value: word === "true" };
    if (word === "null") return { kind: "null" };
  }
  s.pos = start;
  return { kind: "expression", text: restOfExpression(s, start) };
}

/** Whether nothing but spaces or a comment follows on this line (the attribute's value ended). */
function endsHere(s: Scanner): boolean {
  const save = s.pos;
  s.skip(false);
  const c = s.peek();
  const ends = c === undefined || c === "\n" || c === "}";
  if (!ends) s.pos = save;
  return ends;
}

/** Consumes an expression to the end of its line, letting (), [] and {} carry it over newlines. */
function restOfExpression(s: Scanner, start: number): string {
  const open: { char: string; line: number }[] = [];
  const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  for (;;) {
    const c = s.peek();
    if (c === undefined) {
      const last = open.at(-1);
      if (last) throw new HclError(last.line, `"${last.char}" opened here is never closed`);
      break;
    }
    if (c === '"') {
      s.string();
      continue;
    }
    if (c === "#" || (c === "/" && (s.text[s.pos + 1] === "/" || s.text[s.pos + 1] === "*"))) {
      s.skip(false);
      continue;
    }
    if (c === "\n") {
      if (open.length === 0) break;
      s.pos++;
      s.line++;
      continue;
    }
    if (c in pairs) open.push({ char: c, line: s.line });
    else if (c === ")" || c === "]" || c === "}") {
      const last = open.pop();
      if (!last) {
        if (c === "}") break; // the enclosing block's closing brace
        throw new HclError(s.line, `"${c}" closes nothing`);
      }
      if (pairs[last.char] !== c) throw new HclError(last.line, `"${last.char}" opened here is closed by "${c}" on line ${s.line}`);
    }
    s.pos++;
  }
  return s.text.slice(start, s.pos).trim();
}

/** A block's body up to its closing brace (the opening one already read). */
function readBody(s: Scanner, openLine: number, where: string): { attributes: HclAttribute[]; blocks: HclBlock[] } {
  const attributes: HclAttribute[] = [];
  const blocks: HclBlock[] = [];
  for (;;) {
    s.skip(true);
    const c = s.peek();
    if (c === undefined) throw new HclError(openLine, `${where} opens "{" here and never closes it`);
    if (c === "}") {
      s.pos++;
      return { attributes, blocks };
    }
    const item = readItem(s, false);
    if ("value" in item) {
      const earlier = attributes.find((a) => a.name === item.name);
      if (earlier) throw new HclError(item.line, `attribute "${item.name}" is set twice in ${where} (first on line ${earlier.line})`);
      attributes.push(item);
    } else blocks.push(item);
  }
}

/** An attribute (`name = value`) or a block (`type "label"… {`). */
function readItem(s: Scanner, topLevel: boolean): HclAttribute | HclBlock {
  const line = s.line;
  const name = s.ident();
  if (name === null) {
    const shown = s.text.slice(s.pos).split("\n")[0]!.slice(0, 20);
    throw new HclError(line, `expected ${topLevel ? "a block such as resource \"TYPE\" \"NAME\" {" : "an attribute (name = value) or a block"}, found "${shown}"`);
  }
  s.skip(false);
  if (s.peek() === "=" && s.text[s.pos + 1] !== "=") {
    if (topLevel) throw new HclError(line, `"${name} = …" at the top level: attributes belong inside a block`);
    s.pos++;
    const value = readValue(s);
    s.skip(false);
    const after = s.peek();
    if (after !== undefined && after !== "\n" && after !== "}") throw new HclError(s.line, `unexpected "${after}" after the value of ${name}; put one attribute per line`);
    return { name, value, line };
  }
  const labels: string[] = [];
  for (;;) {
    s.skip(false);
    const c = s.peek();
    if (c === '"') {
      const label = s.string();
      if (label.template) throw new HclError(s.line, "a block label cannot contain ${…}");
      labels.push(label.value);
    } else if (c === "{") {
      s.pos++;
      const where = labels.length ? `${name} "${labels.join('" "')}"` : `the ${name} block`;
      return { type: name, labels, line, ...readBody(s, line, where) };
    } else {
      const ident = s.ident();
      if (ident !== null) labels.push(ident);
      else throw new HclError(line, `"${name}" needs "=" (an attribute) or "{" (a block) after it`);
    }
  }
}

/**
 * Parses a configuration file's blocks.
 *
 * @example parseHcl('resource "google_compute_global_address" "ip" {\n  name = "web-ip"\n}')[0].attributes[0].value // { kind: "string", value: "web-ip" }
 * @throws HclError with the line and what is wrong
 */
export function parseHcl(text: string): HclBlock[] {
  const s = new Scanner(text);
  const blocks: HclBlock[] = [];
  for (;;) {
    s.skip(true);
    if (s.done()) return blocks;
    if (s.peek() === "}") throw new HclError(s.line, '"}" closes nothing');
    const item = readItem(s, true);
    if ("value" in item) throw new HclError(item.line, "attributes belong inside a block");
    blocks.push(item);
  }
}
