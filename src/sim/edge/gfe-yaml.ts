import { LineCounter, parseDocument, type Document } from "yaml";
import { InputError } from "../net/errors";
import { formatFieldPath, type FieldPath, type FieldProblem } from "./gfe-fields";
import { CloudArmorError, decodeSecurityPolicy, type SecurityPolicy } from "./cloud-armor";
import { decodeUrlMap, UrlMapError, type UrlMap } from "./url-map";

/**
 * The YAML side of the GFE's inputs: what `gcloud compute url-maps export` and
 * `gcloud compute security-policies export` write, read into the models with every problem located
 * at its line. Kept apart from the models so a page that shows a computed example does not load the
 * YAML parser until a learner edits the text.
 */

export interface LocatedProblem {
  readonly line: number;
  readonly column: number;
  /** `pathMatchers[0].pathRules[1].paths[0]`, or "" for a YAML syntax error. */
  readonly field: string;
  readonly message: string;
}

/** Every located problem; the message lists them as `line N: field: message`. */
export class GfeYamlError extends InputError {
  readonly problems: readonly LocatedProblem[];
  constructor(what: string, problems: readonly LocatedProblem[]) {
    const text = problems.map(formatLocated).join("\n");
    super(what, text);
    this.message = text;
    this.problems = problems;
  }
}

export function formatLocated(p: LocatedProblem): string {
  return `line ${p.line}: ${p.field ? `${p.field}: ` : ""}${p.message}`;
}

function hasRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === "object" && node !== null && Array.isArray((node as { range?: unknown }).range);
}

/** The line of a field, or of its nearest ancestor that exists. */
function locate(doc: Document, lines: LineCounter, path: FieldPath): { line: number; column: number } {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (hasRange(node)) {
      const { line, col } = lines.linePos(node.range[0]);
      return { line, column: col };
    }
  }
  return { line: 1, column: 1 };
}

function parseYaml(what: string, text: string): { doc: Document; lines: LineCounter; value: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new GfeYamlError(what, doc.errors.map((e) => {
      const { line, col } = lines.linePos(e.pos[0]);
      return { line, column: col, field: "", message: e.message.split("\n")[0]! };
    }));
  }
  return { doc, lines, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

function located(doc: Document, lines: LineCounter, problems: readonly FieldProblem[]): LocatedProblem[] {
  return problems.map((p) => ({ ...locate(doc, lines, p.path), field: formatFieldPath(p.path), message: p.message })).sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * A URL map from YAML (or JSON, which is YAML).
 *
 * @throws GfeYamlError with each problem at its line
 */
export function readUrlMapYaml(text: string): UrlMap {
  const { doc, lines, value } = parseYaml("url map", text);
  try {
    return decodeUrlMap(value);
  } catch (error) {
    if (error instanceof UrlMapError) throw new GfeYamlError("url map", located(doc, lines, error.problems));
    throw error;
  }
}

/**
 * A Cloud Armor security policy from YAML (or JSON).
 *
 * @throws GfeYamlError with each problem at its line
 */
export function readSecurityPolicyYaml(text: string): SecurityPolicy {
  const { doc, lines, value } = parseYaml("security policy", text);
  try {
    return decodeSecurityPolicy(value);
  } catch (error) {
    if (error instanceof CloudArmorError) throw new GfeYamlError("security policy", located(doc, lines, error.problems));
    throw error;
  }
}
