import type { EndpointHealth } from "../sim/edge/backend-service";
import type { SiteId } from "../sim/geo";
import { InputError } from "../sim/net/errors";
// Types only: the lab's option lists are handed in (`TesterOptions`), so this module shares no code with
// the tester's first load and the machine stays in the island's own chunk.
import type { BackendKind, LinkField, TextField, UrlMapTesterContext, UrlMapTesterLinkPatch } from "./url-map-tester.machine";

/** The tester's choices a link may name (`BACKEND_KINDS`, `ENDPOINT_HEALTHS`, `URL_MAP_TESTER_GFES`). */
export interface TesterOptions {
  readonly kinds: readonly BackendKind[];
  readonly healths: readonly EndpointHealth[];
  readonly gfes: readonly { readonly id: SiteId }[];
}

/**
 * The URL-map tester's permalinks: `?url-map-tester.host=example.com&url-map-tester.kind=instance-group
 * &url-map-tester.map=1.…#lab-url-map-tester`. Reading a link into the tester (`LOAD_STATE` takes the
 * patch `readUrlMapTesterLink` returns) and the values that reopen a state. A module of its own, so a
 * page opened without a link never loads it; the island fetches it when a link is read or the tester
 * first changes.
 */

/** The query keys under `<labId>.` for each text field; `map` and `policy` hold `encodeLabInput` text. */
export const URL_MAP_TESTER_TEXT_KEYS: Readonly<Record<Exclude<TextField, "urlMap" | "policy">, string>> = {
  url: "url", host: "host", method: "method", headers: "headers", sourceIp: "ip", region: "region", rate: "rate", seed: "seed",
};
export const URL_MAP_TESTER_YAML_KEYS = { urlMap: "map", policy: "policy" } as const;

/**
 * A link's values, each checked on its own. Text fields travel as typed: a bad one is explained at its
 * field as a typed one is. `decode` is `decodeLabInput` (the island loads it with the YAML reader); a
 * damaged URL map or policy becomes that field's message, and so does one it could not load (`null`).
 * Null when the query holds none of this lab's keys. Never throws.
 */
export function readUrlMapTesterLink(query: URLSearchParams, labId: string, decode: ((packed: string) => unknown) | null, options: TesterOptions): UrlMapTesterLinkPatch | null {
  const { kinds: BACKEND_KINDS, healths: ENDPOINT_HEALTHS, gfes: URL_MAP_TESTER_GFES } = options;
  const get = (key: string) => query.get(`${labId}.${key}`);
  if (![...query.keys()].some((k) => k.startsWith(`${labId}.`))) return null;
  const texts: Partial<Record<TextField, string>> = {};
  const linkErrors: Partial<Record<LinkField, string>> = {};
  for (const [field, key] of Object.entries(URL_MAP_TESTER_TEXT_KEYS) as [TextField, string][]) {
    const value = get(key);
    if (value !== null) texts[field] = value;
  }
  for (const [field, key] of Object.entries(URL_MAP_TESTER_YAML_KEYS) as ["urlMap" | "policy", string][]) {
    const packed = get(key);
    if (packed === null) continue;
    const what = field === "urlMap" ? "URL map" : "security policy";
    if (!decode) {
      linkErrors[field] = `This link's ${what} could not be read: the YAML reader did not load. The example is shown.`;
      continue;
    }
    try {
      const text = decode(packed);
      if (typeof text === "string") texts[field] = text;
      else linkErrors[field] = `This link's ${what} is not YAML text; the example is shown.`;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      linkErrors[field] = `This link's ${what} could not be read (${error.reason}); the example is shown.`;
    }
  }
  let backendKind: BackendKind | undefined;
  const kind = get("kind");
  if (kind !== null) {
    if ((BACKEND_KINDS as readonly string[]).includes(kind)) backendKind = kind as BackendKind;
    else linkErrors.kind = `This link's backend kind "${kind.slice(0, 40)}" is not one of ${BACKEND_KINDS.join(" or ")}; the tester keeps its own.`;
  }
  const gfeText = get("gfe");
  const gfe = gfeText === null ? undefined : URL_MAP_TESTER_GFES.find((g) => g.id === gfeText)?.id;
  if (gfeText !== null && !gfe) linkErrors.gfe = `This link's GFE "${gfeText.slice(0, 40)}" is not one of ${URL_MAP_TESTER_GFES.map((g) => g.id).join(", ")}; the tester keeps its own.`;
  let health: EndpointHealth[] | undefined;
  const healthText = get("health");
  if (healthText !== null) {
    const values = healthText.split(",").map((h) => h.trim().toUpperCase());
    if (values.length === 3 && values.every((h) => (ENDPOINT_HEALTHS as readonly string[]).includes(h))) health = values as EndpointHealth[];
    else linkErrors.health = `This link's Pod health "${healthText.slice(0, 60)}" is not three of ${ENDPOINT_HEALTHS.join(", ")}, comma-separated; the Pods keep their health.`;
  }
  return { texts, ...(backendKind ? { backendKind } : {}), ...(gfe ? { gfe } : {}), ...(health ? { health } : {}), step: get("step"), linkErrors };
}

/**
 * The link values that reopen what is on screen: texts as typed (a bad one is explained again at its
 * field), the YAML only when edited (encoded by `encode`, `encodeLabInput`). Values equal to the lab's
 * start are left out by `writeLabState`.
 */
export function urlMapTesterLinkParams(c: UrlMapTesterContext, encode: ((value: unknown) => string) | null): { params: Record<string, string>; defaults: Record<string, string>; step: number } {
  const params: Record<string, string> = {};
  const defaults: Record<string, string> = {};
  for (const [field, key] of Object.entries(URL_MAP_TESTER_TEXT_KEYS) as [TextField, string][]) {
    params[key] = c.texts[field];
    defaults[key] = c.origin.texts[field];
  }
  for (const [field, key] of Object.entries(URL_MAP_TESTER_YAML_KEYS) as ["urlMap" | "policy", string][]) {
    defaults[key] = "";
    params[key] = c.texts[field] !== c.origin.texts[field] && encode ? encode(c.texts[field]) : "";
  }
  Object.assign(params, { kind: c.backendKind, gfe: c.gfe, health: c.health.join(",") });
  Object.assign(defaults, { kind: c.origin.backendKind, gfe: "paris", health: "HEALTHY,HEALTHY,HEALTHY" });
  return { params, defaults, step: c.result ? c.cursor : 0 };
}
