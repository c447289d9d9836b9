/**
 * Route-origin validation exactly as RFC 6811 §2 defines it:
 * - a VRP *covers* a route when the VRP's prefix contains the route's prefix (same family, VRP no longer);
 * - it *matches* when it covers, the route's length ≤ the VRP's maxLength, and the route's origin AS
 *   equals the VRP's ASN — never for AS0 (RFC 6483 §4, RFC 7607) and never for the origin NONE;
 * - Valid: some VRP matches. Invalid: some VRP covers, none matches. NotFound: no VRP covers.
 * A route's origin AS is the right-most AS of its final AS_SEQUENCE; a final AS_SET gives NONE.
 *
 * The table is indexed by family and prefix length, so a lookup reads at most one bucket per distinct
 * VRP length (≤ 33 for IPv4, ≤ 129 for IPv6, far fewer in practice) whatever the table's size.
 */
import { InputError } from "../net/errors";
import type { IpPrefix } from "./prefix";
import { compareVrps, type Vrp } from "./vrp";

export type RovState = "Valid" | "Invalid" | "NotFound";
export const ROV_STATES: readonly RovState[] = ["Valid", "Invalid", "NotFound"];

export interface RovResult {
  readonly state: RovState;
  /** Every VRP that covers the route's prefix, in a stable order. */
  readonly covering: readonly Vrp[];
  /** The covering VRPs that also match (length within maxLength, same origin, not AS0). */
  readonly matching: readonly Vrp[];
}

/**
 * Wrong models of ROV a learner may hold, runnable so a question can read the answer each gives:
 * - `maxlength-ignored`: a VRP matches any more-specific with its ASN, as if maxLength were not there.
 */
export type RovModel = "rfc6811" | "maxlength-ignored";

export interface VrpIndex {
  readonly size: number;
  /** RFC 6811 §2 for one route. `origin` null is the distinguished origin NONE. */
  validate(prefix: IpPrefix, origin: number | null, model?: RovModel): RovResult;
  /** Every VRP, in a stable order. */
  readonly vrps: readonly Vrp[];
}

const EMPTY: readonly Vrp[] = [];

/**
 * Builds the index: one Map per family and prefix length, keyed by the prefix's network bits shifted
 * down (a /24 is a 24-bit number). Small integer keys stay V8 small integers, and a BigInt key's hash
 * reads its lowest 64 bits, which after the shift are the prefix's own bits. VRP order never changes
 * a result: both lists come back sorted.
 *
 * @example vrpIndex([makeVrp("10.0.0.0/16", 24, 65000)]).validate(parsePrefix("10.0.1.0/24"), 65000).state // "Valid"
 */
export function vrpIndex(vrps: Iterable<Vrp>): VrpIndex {
  const v4: (Map<number, Vrp[]> | undefined)[] = [];
  const v6: (Map<bigint, Vrp[]> | undefined)[] = [];
  const all: Vrp[] = [];
  for (const vrp of vrps) {
    all.push(vrp);
    const { prefix } = vrp;
    if (prefix.family === 4) {
      const map = (v4[prefix.length] ??= new Map());
      const key = prefix.length === 0 ? 0 : prefix.network >>> (32 - prefix.length);
      const bucket = map.get(key);
      if (bucket) bucket.push(vrp);
      else map.set(key, [vrp]);
    } else {
      const map = (v6[prefix.length] ??= new Map());
      const key = prefix.network >> BigInt(128 - prefix.length);
      const bucket = map.get(key);
      if (bucket) bucket.push(vrp);
      else map.set(key, [vrp]);
    }
  }
  const lengths4 = v4.flatMap((map, length) => (map ? [length] : []));
  const lengths6 = v6.flatMap((map, length) => (map ? [length] : []));
  let stable: Vrp[] | null = null;

  function covering(prefix: IpPrefix): Vrp[] {
    const found: Vrp[] = [];
    if (prefix.family === 4) {
      for (const length of lengths4) {
        if (length > prefix.length) break;
        const bucket = v4[length]!.get(length === 0 ? 0 : prefix.network >>> (32 - length));
        if (bucket) for (const vrp of bucket) found.push(vrp);
      }
    } else {
      for (const length of lengths6) {
        if (length > prefix.length) break;
        const bucket = v6[length]!.get(prefix.network >> BigInt(128 - length));
        if (bucket) for (const vrp of bucket) found.push(vrp);
      }
    }
    return found;
  }

  return {
    size: all.length,
    get vrps() {
      stable ??= [...all].sort(compareVrps);
      return stable;
    },
    validate(prefix, origin, model = "rfc6811") {
      const cover = covering(prefix);
      if (cover.length === 0) return { state: "NotFound", covering: EMPTY, matching: EMPTY };
      const match = cover.filter(
        (vrp) => vrp.asn !== 0 && origin !== null && vrp.asn === origin && (model === "maxlength-ignored" || prefix.length <= vrp.maxLength),
      );
      if (cover.length > 1) cover.sort(compareVrps);
      if (match.length > 1) match.sort(compareVrps);
      return { state: match.length > 0 ? "Valid" : "Invalid", covering: cover, matching: match };
    },
  };
}

/** One route against a list of VRPs (builds the index each call; keep an index for many routes). */
export function validateRoute(vrps: Iterable<Vrp>, prefix: IpPrefix, origin: number | null, model?: RovModel): RovResult {
  return vrpIndex(vrps).validate(prefix, origin, model);
}

/** An AS_PATH: segments in order, each an AS_SEQUENCE (ordered) or an AS_SET (unordered). */
export type AsPathSegment = { readonly type: "sequence" | "set"; readonly asns: readonly number[] };

/**
 * Reads an AS_PATH as routers print it: "3356 174 64500", an AS_SET in braces "3356 {64500,64501}".
 *
 * @example parseAsPath("3356 {64500,64501}") // [{ type: "sequence", asns: [3356] }, { type: "set", asns: [64500, 64501] }]
 * @throws InputError for anything but ASNs, spaces and braces
 */
export function parseAsPath(text: string): AsPathSegment[] {
  const segments: AsPathSegment[] = [];
  const tokens = text.trim().match(/\{[^}]*\}|[^\s{}]+|[{}]/g) ?? [];
  for (const token of tokens) {
    if (token.startsWith("{")) {
      if (!token.endsWith("}")) throw new InputError(text, "an AS_SET opens with { and closes with }");
      const asns = token.slice(1, -1).split(/[\s,]+/).filter(Boolean).map(asnOf(text));
      if (asns.length === 0) throw new InputError(text, "an AS_SET lists at least one ASN");
      segments.push({ type: "set", asns });
    } else if (token === "}") throw new InputError(text, "a } without its {");
    else {
      const asn = asnOf(text)(token);
      const last = segments[segments.length - 1];
      if (last?.type === "sequence") segments[segments.length - 1] = { type: "sequence", asns: [...last.asns, asn] };
      else segments.push({ type: "sequence", asns: [asn] });
    }
  }
  return segments;
}

function asnOf(path: string): (token: string) => number {
  return (token) => {
    const digits = /^as/i.test(token) ? token.slice(2) : token;
    if (!/^(0|[1-9][0-9]*)$/.test(digits) || Number(digits) > 4294967295) throw new InputError(path, `"${token}" in the AS path is not an ASN`);
    return Number(digits);
  };
}

/**
 * The route's origin AS per RFC 6811 §2: the right-most AS of the final segment when it is an
 * AS_SEQUENCE; NONE (null) when it is an AS_SET. An empty path (a route the speaker originates itself)
 * takes the speaker's own AS, `localAs`. (Confederation segments, which RFC 6811 also maps to the
 * speaker's own AS, are not modelled.)
 *
 * @example routeOrigin(parseAsPath("3356 174 64500")) // 64500
 * @example routeOrigin(parseAsPath("3356 {64500,64501}")) // null
 */
export function routeOrigin(path: readonly AsPathSegment[], localAs: number | null = null): number | null {
  const last = path[path.length - 1];
  if (!last) return localAs;
  return last.type === "set" ? null : last.asns[last.asns.length - 1]!;
}

/**
 * Why one covering VRP does or does not match the route, in a phrase.
 *
 * @example whyVrp(makeVrp("10.0.0.0/16", 24, 65000), parsePrefix("10.0.0.0/25"), 65000) // "/25 is longer than maxLength 24"
 */
export function whyVrp(vrp: Vrp, prefix: IpPrefix, origin: number | null): string {
  const reasons: string[] = [];
  if (vrp.asn === 0) reasons.push("AS0: no origin may announce this (RFC 7607)");
  else if (origin === null) reasons.push("the route's origin is NONE (its path ends in an AS_SET)");
  else if (vrp.asn !== origin) reasons.push(`origin AS${origin} is not AS${vrp.asn}`);
  if (prefix.length > vrp.maxLength) reasons.push(`/${prefix.length} is longer than maxLength ${vrp.maxLength}`);
  return reasons.length === 0 ? "matches" : reasons.join("; ");
}
