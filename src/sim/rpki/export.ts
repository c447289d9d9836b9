/**
 * Reads the VRP exports relying-party software writes:
 * - JSON `{"roas":[{"asn": 64496 | "AS64496", "prefix": "192.0.2.0/24", "maxLength": 24, "ta": "ripe"}]}`
 *   (Routinator `--format json`, rpki-client's json output; other members such as "metadata", "aspas",
 *   "expires" or "source" are ignored);
 * - CSV with the header `ASN,IP Prefix,Max Length,Trust Anchor` (Routinator's csv, with "AS64496"; its
 *   csvcompat quotes every field; rpki-client adds an Expires column, ignored).
 * Every bad entry is reported with its line (and, for JSON, its index in "roas") and what is wrong;
 * a prefix written with host bits set is read as its canonical prefix with a warning, as rtrlib does.
 */
import { InputError } from "../net/errors";
import { formatPrefix } from "./prefix";
import { readVrp, VrpFieldError, type Vrp } from "./vrp";

export interface ExportProblem {
  /** 1-based line in the file. */
  readonly line: number;
  /** For JSON: the entry's index in "roas". */
  readonly entry?: number;
  readonly message: string;
}

export interface VrpExport {
  readonly format: "json" | "csv";
  readonly vrps: readonly Vrp[];
  /** Entries read with a correction (host bits cleared), each naming its line. */
  readonly warnings: readonly ExportProblem[];
}

/** An export with bad entries: every one of them, by line. */
export class VrpExportError extends InputError {
  readonly problems: readonly ExportProblem[];
  constructor(source: string, problems: readonly ExportProblem[]) {
    const shown = problems.slice(0, 8).map(describeProblem);
    const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : "";
    super(source, `${problems.length} bad ${problems.length === 1 ? "entry" : "entries"}: ${shown.join("; ")}${more}`);
    this.name = "VrpExportError";
    this.problems = problems;
  }
}

/** "line 4 (roas[2]): maxLength 33 is longer than 32 …" */
export function describeProblem(problem: ExportProblem): string {
  return `line ${problem.line}${problem.entry === undefined ? "" : ` (roas[${problem.entry}])`}: ${problem.message}`;
}

/**
 * Reads a JSON or CSV VRP export (the first non-blank character decides: "{" is JSON).
 *
 * @example parseVrpExport('{"roas":[{"asn":"AS64496","prefix":"192.0.2.0/24","maxLength":24,"ta":"ripe"}]}').vrps.length // 1
 * @throws VrpExportError listing every bad entry by line; InputError when the file is neither format
 */
export function parseVrpExport(text: string, source = "VRP export"): VrpExport {
  return text.trimStart().startsWith("{") ? parseJsonExport(text, source) : parseCsvExport(text, source);
}

function hostBitsWarning(line: number, written: string, vrp: Vrp, entry?: number): ExportProblem {
  return { line, ...(entry === undefined ? {} : { entry }), message: `${written} has host bits set; read as ${formatPrefix(vrp.prefix)}` };
}

function reason(error: unknown): string {
  if (error instanceof VrpFieldError) return error.description;
  if (error instanceof InputError) return error.message;
  throw error;
}

const CSV_COLUMNS = ["asn", "ip prefix", "max length", "trust anchor"];

function splitCsv(line: string): string[] {
  // The exports never put commas inside a field; csvcompat quotes every field, which we strip.
  const fields = line.split(",");
  return line.includes('"') ? fields.map((f) => f.trim().replace(/^"(.*)"$/, "$1").trim()) : fields.map((f) => f.trim());
}

export function parseCsvExport(text: string, source = "VRP export"): VrpExport {
  const lines = text.split(/\r?\n/);
  const vrps: Vrp[] = [];
  const problems: ExportProblem[] = [];
  const warnings: ExportProblem[] = [];
  let header = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const fields = splitCsv(raw);
    if (!header) {
      const names = fields.map((f) => f.toLowerCase());
      if (!CSV_COLUMNS.every((c, k) => names[k] === c)) {
        throw new InputError(source, `line ${line}: expected the header "ASN,IP Prefix,Max Length,Trust Anchor" (Routinator's csv) or a JSON export starting with {`);
      }
      header = true;
      continue;
    }
    if (fields.length < 3) {
      problems.push({ line, message: `${fields.length} field${fields.length === 1 ? "" : "s"}; a row is ASN,IP Prefix,Max Length,Trust Anchor` });
      continue;
    }
    const [asn, prefix, maxLength, ta] = fields as [string, string, string, string | undefined];
    if (maxLength === "") {
      problems.push({ line, message: "Max Length is empty" });
      continue;
    }
    try {
      const read = readVrp(prefix, maxLength, asn, ta || undefined);
      vrps.push(read.vrp);
      if (read.hostBits) warnings.push(hostBitsWarning(line, read.hostBits, read.vrp));
    } catch (error) {
      problems.push({ line, message: reason(error) });
    }
  }
  if (!header) throw new InputError(source, 'empty: expected the header "ASN,IP Prefix,Max Length,Trust Anchor" or a JSON export');
  if (problems.length) throw new VrpExportError(source, problems);
  return { format: "csv", vrps, warnings };
}

/**
 * The line on which each element of the top-level "roas" array starts. JSON.parse keeps no
 * positions, so a small scanner walks the text once (strings and escapes honoured).
 */
function roaEntryLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let lastKey = "";
  let stringStart = 0;
  let roasDepth = -1; // the depth of the "roas" array once entered
  let pendingRoas = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') {
        inString = false;
        lastKey = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
      if (depth === roasDepth) lines.push(line); // a string element of "roas": an entry, if a bad one
    } else if (c === ":") pendingRoas = depth === 1 && lastKey === "roas";
    else if (c === "[" || c === "{") {
      if (c === "[" && pendingRoas) roasDepth = depth + 1;
      else if (depth === roasDepth) lines.push(line);
      pendingRoas = false;
      depth++;
    } else if (c === "]" || c === "}") {
      depth--;
      if (depth < roasDepth) roasDepth = -1;
    } else if (c === ",") pendingRoas = false;
    else if (depth === roasDepth && !/\s/.test(c)) {
      // A scalar element of "roas" (not an object): still an entry, on this line.
      if (text[i - 1] === undefined || /[\s,[]/.test(text[i - 1]!)) lines.push(line);
    }
  }
  return lines;
}

function jsonSyntaxLine(text: string, message: string): string {
  const at = /position (\d+)/.exec(message);
  if (!at) return message;
  const line = text.slice(0, Number(at[1])).split("\n").length;
  return `line ${line}: ${message.replace(/ in JSON at position \d+.*$/, "")}`;
}

export function parseJsonExport(text: string, source = "VRP export"): VrpExport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(source, `not valid JSON (${jsonSyntaxLine(text, (error as Error).message)})`);
  }
  const roas = (data as { roas?: unknown } | null)?.roas;
  if (typeof data !== "object" || data === null || Array.isArray(data) || !Array.isArray(roas)) {
    throw new InputError(source, 'a JSON export is an object with a "roas" array, as Routinator and rpki-client write it');
  }
  const lines = roaEntryLines(text);
  const vrps: Vrp[] = [];
  const problems: ExportProblem[] = [];
  const warnings: ExportProblem[] = [];
  roas.forEach((entry: unknown, index) => {
    const line = lines[index] ?? 1;
    const fail = (message: string) => problems.push({ line, entry: index, message });
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return fail("an entry is an object with asn, prefix, maxLength and ta");
    const { asn, prefix, maxLength, ta } = entry as Record<string, unknown>;
    if (typeof asn !== "number" && typeof asn !== "string") return fail('"asn" is missing; write 64496 or "AS64496"');
    if (typeof prefix !== "string") return fail('"prefix" is missing or not a string');
    if (typeof maxLength !== "number") return fail(maxLength === undefined ? '"maxLength" is missing' : '"maxLength" is not a number');
    if (ta !== undefined && typeof ta !== "string") return fail('"ta" is not a string');
    try {
      const read = readVrp(prefix, String(maxLength), asn, ta);
      vrps.push(read.vrp);
      if (read.hostBits) warnings.push(hostBitsWarning(line, read.hostBits, read.vrp, index));
    } catch (error) {
      fail(reason(error));
    }
    return undefined;
  });
  if (problems.length) throw new VrpExportError(source, problems);
  return { format: "json", vrps, warnings };
}
