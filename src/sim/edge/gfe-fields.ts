/**
 * Reading a decoded YAML/JSON value field by field, with every problem kept at its field path so a
 * lab can point at the line (`gfe-yaml.ts` turns a path into a line) and a command line can print it.
 * Shared by the URL map and the security policy readers.
 */

/** A field path: `pathMatchers[0].pathRules[1].paths[0]` is `["pathMatchers", 0, "pathRules", 1, "paths", 0]`. */
export type FieldPath = readonly (string | number)[];

export interface FieldProblem {
  readonly path: FieldPath;
  readonly message: string;
}

/** `pathMatchers[0].pathRules[1]`, as the API's error messages name fields. */
export function formatFieldPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) out += typeof segment === "number" ? `[${segment}]` : out === "" ? segment : `.${segment}`;
  return out;
}

export type Raw = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/** Collects problems while fields are read; each getter records a type problem and returns undefined. */
export class FieldReader {
  readonly problems: FieldProblem[] = [];

  problem(path: FieldPath, message: string): void {
    this.problems.push({ path, message });
  }

  record(value: unknown, path: FieldPath): Raw | undefined {
    if (value === undefined) return undefined;
    if (!isRecord(value)) {
      this.problem(path, "expected a mapping of fields");
      return undefined;
    }
    return value;
  }

  list(value: unknown, path: FieldPath): readonly unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.problem(path, "expected a list");
      return undefined;
    }
    return value;
  }

  string(value: unknown, path: FieldPath): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      this.problem(path, `expected a string, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  /** Integers may arrive as strings: the API's JSON writes int64 fields quoted. */
  integer(value: unknown, path: FieldPath, min: number, max: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isInteger(n)) {
      this.problem(path, `expected an integer, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (n < min || n > max) {
      this.problem(path, `must be from ${min} to ${max}, got ${n}`);
      return undefined;
    }
    return n;
  }

  number(value: unknown, path: FieldPath, min: number, max: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      this.problem(path, `expected a number, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (value < min || value > max) {
      this.problem(path, `must be from ${min} to ${max}, got ${value}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: FieldPath): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") {
      this.problem(path, `expected true or false, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  }

  /** Reports the fields of `raw` this model does not read, so nothing is silently ignored. */
  unknownFields(raw: Raw, path: FieldPath, known: readonly string[], ignored: readonly string[] = []): void {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key) && !ignored.includes(key)) this.problem([...path, key], `unknown field "${key}" (this model reads ${known.join(", ")})`);
    }
  }
}

/** The last segment of a resource URL: `…/global/backendServices/web` → `web`. */
export function resourceName(reference: string): string {
  const trimmed = reference.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}
