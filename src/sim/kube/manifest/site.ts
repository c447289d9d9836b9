/**
 * One API object inside a YAML document, with what is needed to point back at it: the file, the
 * document's node tree and line counter, and where the object sits (a `v1 List` nests objects under
 * `items[i]`). Readers here decode raw YAML values the way the API server's JSON decoder does and
 * record a problem, located at the offending node, when a value has the wrong type.
 */
import { isMap, isPair, isScalar, type Document, type LineCounter } from "yaml";
import type { SourceRef } from "../model";
import { formatPath, yamlKeys, type FieldPath } from "./field-path";

export interface ManifestProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export type RawMap = Readonly<Record<string, unknown>>;

function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === "object" && node !== null && Array.isArray((node as { range?: unknown }).range);
}

function jsonKind(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "array";
  return "object";
}

export class ObjectSite {
  /** Strict-decoding and type errors: the API server rejects the object before validating it. */
  readonly decodeProblems: ManifestProblem[] = [];
  /** Validation errors (ValidateService & co.), reported only when the object decoded cleanly. */
  readonly validationProblems: ManifestProblem[] = [];
  readonly warnings: ManifestProblem[] = [];

  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly base: readonly (string | number)[],
    readonly raw: RawMap,
  ) {}

  /** Where a path is in the file: the node it names, or its nearest ancestor that exists. */
  locate(path: FieldPath, atKey = false): SourceRef {
    const keys = [...this.base, ...yamlKeys(path)];
    if (atKey && keys.length > 0) {
      const parent = this.doc.getIn(keys.slice(0, -1), true);
      const last = keys[keys.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
        if (pair !== undefined && hasRange(pair.key)) return this.at(pair.key.range[0]);
      }
    }
    for (let length = keys.length; length >= 0; length--) {
      const node: unknown = length === 0 ? this.doc.contents : this.doc.getIn(keys.slice(0, length), true);
      if (hasRange(node)) return this.at(node.range[0]);
    }
    return { file: this.file, line: 1, column: 1 };
  }

  /** Where the object itself starts. */
  get source(): SourceRef {
    return this.locate([]);
  }

  private at(offset: number): SourceRef {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col };
  }

  private problemAt(path: FieldPath, message: string, display?: string, atKey = false): ManifestProblem {
    const where = this.locate(path, atKey);
    return { file: where.file, line: where.line, column: where.column, path: display ?? formatPath(path), message };
  }

  /** A validation error; `display` overrides the printed path where the API server prints another one. */
  invalid(path: FieldPath, message: string, display?: string): void {
    this.validationProblems.push(this.problemAt(path, message, display));
  }

  warn(path: FieldPath, message: string, display?: string): void {
    this.warnings.push(this.problemAt(path, message, display));
  }

  private typeError(path: FieldPath, value: unknown, goType: string): undefined {
    this.decodeProblems.push(this.problemAt(path, `json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`));
    return undefined;
  }

  /** The value at a path below the object, undefined when any step is missing. */
  get(path: FieldPath): unknown {
    let value: unknown = this.raw;
    for (const key of yamlKeys(path)) {
      if (typeof value !== "object" || value === null) return undefined;
      value = (value as Record<string | number, unknown>)[key];
    }
    return value;
  }

  string(path: FieldPath): string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    return typeof value === "string" ? value : this.typeError(path, value, "string");
  }

  integer(path: FieldPath, goType = "int32"): number | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "number" && Number.isInteger(value)) {
      if (goType === "int32" && (value < -(2 ** 31) || value >= 2 ** 31)) return this.typeError(path, value, goType);
      return value;
    }
    return this.typeError(path, value, goType);
  }

  boolean(path: FieldPath): boolean | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    return typeof value === "boolean" ? value : this.typeError(path, value, "bool");
  }

  /** intstr.IntOrString: a YAML number is an int, anything quoted a string (a named port). */
  intOrString(path: FieldPath): number | string | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" && Number.isInteger(value)) return value;
    return this.typeError(path, value, "intstr.IntOrString");
  }

  map(path: FieldPath, goType = "map[string]interface {}"): RawMap | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    if (typeof value === "object" && !Array.isArray(value)) return value as RawMap;
    return this.typeError(path, value, goType);
  }

  list(path: FieldPath, goType = "[]interface {}"): readonly unknown[] | undefined {
    const value = this.get(path);
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value : this.typeError(path, value, goType);
  }

  /** map[string]string: labels, selectors. */
  stringMap(path: FieldPath): Record<string, string> | undefined {
    const value = this.map(path, "map[string]string");
    if (value === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value)) {
      const text = this.string([...path, key]);
      if (text !== undefined) out[key] = text;
      else if (entry === null) out[key] = "";
    }
    return out;
  }

  stringList(path: FieldPath): string[] | undefined {
    const value = this.list(path, "[]string");
    if (value === undefined) return undefined;
    const out: string[] = [];
    value.forEach((_, index) => {
      const text = this.string([...path, index]);
      if (text !== undefined) out.push(text);
    });
    return out;
  }

  /**
   * Strict decoding (kubectl's default `--validate=strict`, fieldValidation=Strict): a field the type
   * does not have is an error, which catches the commonest typo class (`targetport`, `selctor`).
   */
  onlyFields(path: FieldPath, known: readonly string[]): void {
    const value = this.get(path);
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const full = formatPath([...path, key]);
      this.decodeProblems.push(this.problemAt([...path, key], `strict decoding error: unknown field ${JSON.stringify(full)}`, full, true));
    }
  }

  /** Problems to report: decode errors if any (validation never ran), else validation errors. */
  get problems(): readonly ManifestProblem[] {
    return this.decodeProblems.length > 0 ? this.decodeProblems : this.validationProblems;
  }
}
