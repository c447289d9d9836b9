import lz from "lz-string";
import { InputError } from "../net/errors";

/**
 * A lab's inputs in a URL — pasted YAML included — so a link reopens them exactly. The text is
 * versioned ("1.") and compressed (lz-string's URI-safe alphabet, so no percent-escaping inflates it).
 * A link written by an older release keeps its version prefix and is read by the decoder of that
 * version; a new format gets a new prefix rather than changing what "1." means.
 */
const VERSION = "1";
// lz-string is CommonJS: its named exports are read from the default export (Node cannot see them statically).
const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } = lz;

/** @example encodeLabInput({ yaml: "kind: Service…" }) // "1.N4Ig…" */
export function encodeLabInput(input: unknown): string {
  return `${VERSION}.${compressToEncodedURIComponent(JSON.stringify(input))}`;
}

/**
 * @throws InputError when the text is not a link this release can read (cut short, edited by hand,
 *   or from a newer release) — the lab shows the message and opens with its defaults.
 */
export function decodeLabInput(text: string): unknown {
  const dot = text.indexOf(".");
  const version = dot > 0 ? text.slice(0, dot) : "";
  if (version !== VERSION) {
    throw new InputError(text.slice(0, 12), `this link's lab state has format "${version || "none"}"; this page reads format ${VERSION}`);
  }
  const json = decompressFromEncodedURIComponent(text.slice(dot + 1));
  if (!json) throw new InputError(text.slice(0, 12), "this link's lab state is cut short or damaged");
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new InputError(text.slice(0, 12), "this link's lab state is cut short or damaged");
  }
}
