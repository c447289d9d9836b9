/**
 * Field paths and validation messages in the API server's own words.
 *
 * Mirrors k8s.io/apimachinery/pkg/util/validation/field: a path prints as `spec.ports[0].port` (child
 * names joined by dots, list indexes and map keys in brackets) and an error as
 * `<path>: <Type>: <value>: <detail>`, where the value is printed the way Go's `%v`/`%q` print it
 * (numbers bare, strings quoted). Keeping the exact wording lets a learner paste a message into a
 * search engine and land on the same Kubernetes issue a real `kubectl apply` would have led to.
 */

/** One step in a path: a field name, a list index, or a map key (`labels[app]`). */
export type Segment = string | number | { readonly key: string };

export type FieldPath = readonly Segment[];

/** `spec.ports[0].port`, `metadata.labels[kubernetes.io/service-name]` — as field.Path.String() prints. */
export function formatPath(path: FieldPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "object") out += `[${segment.key}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/** The YAML keys a path walks through, for finding the node it names (map keys are YAML keys too). */
export function yamlKeys(path: FieldPath): (string | number)[] {
  return path.map((segment) => (typeof segment === "object" ? segment.key : segment));
}

/** A value as Go's `%v` prints it inside field errors: `%q` for strings, bare numbers and booleans. */
export type BadValue = string | number | boolean | null | GoLiteral;

/** A value Go prints with `%#v` (e.g. `[]string{"a", "b"}`), given already formatted. */
export interface GoLiteral {
  readonly goSyntax: string;
}

export function goStringSlice(values: readonly string[]): GoLiteral {
  return { goSyntax: `[]string{${values.map(goQuote).join(", ")}}` };
}

/** Go's strconv.Quote for the printable ASCII learners type; other characters as \u escapes. */
export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

function formatValue(value: BadValue): string {
  if (value === null) return "null";
  if (typeof value === "string") return goQuote(value);
  if (typeof value === "object") return value.goSyntax;
  return String(value);
}

/** field.Required: `Required value` (+ `: detail`). */
export function requiredMessage(detail = ""): string {
  return detail === "" ? "Required value" : `Required value: ${detail}`;
}

/** field.Forbidden: `Forbidden: detail`. */
export function forbiddenMessage(detail: string): string {
  return `Forbidden: ${detail}`;
}

/** field.Invalid: `Invalid value: <value>: detail`. */
export function invalidMessage(value: BadValue, detail: string): string {
  return `Invalid value: ${formatValue(value)}: ${detail}`;
}

/** field.Duplicate: `Duplicate value: <value>`. */
export function duplicateMessage(value: BadValue): string {
  return `Duplicate value: ${formatValue(value)}`;
}

/** field.NotSupported: `Unsupported value: <value>: supported values: "a", "b"`. */
export function notSupportedMessage(value: BadValue, supported: readonly string[]): string {
  const list = supported.map(goQuote).join(", ");
  return `Unsupported value: ${formatValue(value)}${list === "" ? "" : `: supported values: ${list}`}`;
}

/** validation.InclusiveRangeError. */
export function inclusiveRange(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}
