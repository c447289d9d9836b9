/**
 * Hijacks on the BGP model (src/sim/bgp/), with route-origin validation plugged into its import
 * policy. An attacker AS (a documentation ASN, RFC 5398) buys transit in one city and announces a
 * route towards the victim's address; every router of the simulated internet then forwards a packet
 * for that address hop by hop through its FIB, and we count who ends up at the attacker.
 *
 * Kinds (the victim's prefix P, the address A inside it, the /24 S inside P holding A):
 * - `address-only`: the attacker configures A on a server's interface and announces nothing. No
 *   router learns anything, so nothing changes: an address on a NIC attracts no traffic.
 * - `exact-prefix`: the attacker originates P. ROV: Invalid (origin ≠ the ROA's ASN).
 * - `sub-prefix`: the attacker originates S. Invalid; where it is kept, longest-prefix match sends A's
 *   traffic to it whatever the /16's attributes — depref-invalid cannot help, there is no competitor.
 * - `forged-origin`: the attacker announces P with path "attacker victim". The origin is the
 *   victim's ASN, so ROV says Valid; only path length limits its reach. ROV cannot stop this.
 * - `forged-sub-prefix`: S with path "attacker victim". Valid when the ROA's maxLength reaches /24
 *   (a loose ROA), Invalid under a minimal ROA (maxLength = P's length): why RFC 9319 recommends
 *   minimal ROAs.
 *
 * Simplifications: one router per AS per city, the relationships of src/sim/bgp/default-topology.ts;
 * the victim's prefix is the only thing announced besides the attacker's route; the attacker's
 * upstream filters nothing but by ROV (real providers may also filter customers by IRR or prefix lists).
 */
import { simulate, type BgpNetwork } from "../bgp/engine";
import {
  CLOUDFLARE_ASN,
  CLOUDFLARE_PREFIX,
  DEFAULT_TOPOLOGY,
  GOOGLE_ASN,
  GOOGLE_PREFIX,
  USER_ROUTERS,
} from "../bgp/default-topology";
import type { Announcement, Asn, AsSpec, ForwardingPath, RovMode, RouterName, SessionSpec, Topology } from "../bgp/types";
import type { SiteId } from "../geo";
import { formatAsn } from "./asn";
import { formatPrefix, parsePrefix } from "./prefix";
import { vrpIndex, type RovModel, type RovResult, type RovState, type VrpIndex } from "./rov";
import { makeVrp, type Vrp } from "./vrp";

export const HIJACK_KINDS = ["none", "address-only", "exact-prefix", "sub-prefix", "forged-origin", "forged-sub-prefix"] as const;
export type HijackKind = (typeof HIJACK_KINDS)[number];

export const HIJACK_LABELS: Record<HijackKind, string> = {
  none: "No hijack",
  "address-only": "Victim's address configured on the attacker's server, nothing announced",
  "exact-prefix": "Exact-prefix hijack (attacker's own origin)",
  "sub-prefix": "Sub-prefix hijack (a /24 inside, attacker's own origin)",
  "forged-origin": "Forged origin (exact prefix, victim's ASN prepended)",
  "forged-sub-prefix": "Forged-origin sub-prefix (the loose-maxLength case)",
};

/** The victim's ROA: none, minimal (maxLength = prefix length, RFC 9319) or loose (maxLength 24). */
export type RoaPolicy = "none" | "minimal" | "loose";
export const ROA_POLICIES: readonly RoaPolicy[] = ["minimal", "loose", "none"];

/**
 * Wrong models, runnable: `rov-checks-path` (ROV also catches a forged origin), `depref-stops-hijack`
 * (lowering preference works like dropping), `maxlength-ignored` (a VRP matches any more-specific).
 */
export type HijackModel = "real" | "rov-checks-path" | "depref-stops-hijack" | "maxlength-ignored";

export interface Victim {
  readonly id: "google" | "cloudflare";
  readonly name: string;
  readonly asn: Asn;
  readonly prefix: string;
  /** The address users want (the flagship's load balancer for Google). */
  readonly address: string;
  readonly subPrefix: string;
}

export const VICTIMS: Record<Victim["id"], Victim> = {
  google: { id: "google", name: "Google", asn: GOOGLE_ASN, prefix: GOOGLE_PREFIX, address: "34.98.10.5", subPrefix: "34.98.10.0/24" },
  cloudflare: { id: "cloudflare", name: "Cloudflare", asn: CLOUDFLARE_ASN, prefix: CLOUDFLARE_PREFIX, address: "104.18.32.7", subPrefix: "104.18.32.0/24" },
};

export interface AttackerSite {
  readonly id: "frankfurt" | "singapore";
  readonly city: SiteId;
  /** The AS it buys transit from there. */
  readonly provider: Asn;
}

export const ATTACKER_ASN = 64511;
export const ATTACKER_SITES: Record<AttackerSite["id"], AttackerSite> = {
  frankfurt: { id: "frankfurt", city: "frankfurt", provider: 174 },
  singapore: { id: "singapore", city: "singapore", provider: 2914 },
};

export interface HijackInput {
  readonly kind: HijackKind;
  readonly victim?: Victim["id"];
  readonly roa?: RoaPolicy;
  readonly attacker?: AttackerSite["id"];
  /** ROV per AS; an AS not named does not validate. */
  readonly rov?: Readonly<Record<number, RovMode>>;
  readonly model?: HijackModel;
  /** Replaces the ROA the `roa` policy would give: the VRP set every validating AS receives. */
  readonly vrps?: readonly Vrp[];
}

/** Where one router's packets for the victim's address go. */
export interface RouterFate {
  readonly router: RouterName;
  readonly asn: Asn;
  readonly path: ForwardingPath;
  /** Delivered at the attacker. */
  readonly captured: boolean;
  /** The prefix its FIB matched for the address (the hijacker's /24 or the victim's prefix). */
  readonly matched: string | null;
}

export interface AsFate {
  readonly asn: Asn;
  readonly name: string;
  readonly kind: AsSpec["kind"];
  readonly rov: RovMode;
  readonly routers: readonly RouterFate[];
  /** Share of this AS's routers whose packets reach the attacker (0–1). */
  readonly captured: number;
}

export interface HijackOutcome {
  readonly input: Required<Omit<HijackInput, "rov" | "vrps">> & { readonly rov: Readonly<Record<number, RovMode>> };
  readonly victim: Victim;
  readonly attacker: { readonly asn: Asn; readonly router: RouterName; readonly site: AttackerSite };
  readonly vrps: readonly Vrp[];
  /** The attacker's announcement (null for none / address-only). */
  readonly announcement: Announcement | null;
  /** The AS_PATH the attacker's route carries as its provider receives it. */
  readonly hijackPath: readonly Asn[] | null;
  /** RFC 6811 state of the attacker's route (the same at every AS: one VRP set). */
  readonly hijackValidation: (RovResult & { readonly prefix: string; readonly origin: Asn | null }) | null;
  readonly network: BgpNetwork;
  readonly ases: readonly AsFate[];
  /** User cities (their access router) and whether their packets reach the attacker. */
  readonly cities: readonly { readonly city: SiteId; readonly router: RouterName; readonly captured: boolean; readonly fate: RouterFate }[];
  readonly share: {
    /** Mean over ASes (not the victim, attacker or route server) of the share of their routers captured. */
    readonly ases: number;
    /** Share of those routers captured. */
    readonly routers: number;
    /** Share of user cities captured. */
    readonly cities: number;
  };
}

/** A placeholder origin for the `rov-checks-path` model: it stands where the forged victim ASN stands. */
const FORGED_MARKER = 64509;

/** The victim's ROA under a policy, as the VRP a relying party would hand routers. */
export function roaVrps(victim: Victim, roa: RoaPolicy): Vrp[] {
  if (roa === "none") return [];
  const length = parsePrefix(victim.prefix).length;
  return [makeVrp(victim.prefix, roa === "loose" ? 24 : length, victim.asn, "simulated")];
}

function hijackAnnouncement(kind: HijackKind, victim: Victim, site: AttackerSite, forgedAsn: Asn): Announcement | null {
  const base = { asn: ATTACKER_ASN, cities: [site.city] };
  switch (kind) {
    case "none":
    case "address-only":
      return null;
    case "exact-prefix":
      return { ...base, prefix: victim.prefix };
    case "sub-prefix":
      return { ...base, prefix: victim.subPrefix };
    case "forged-origin":
      return { ...base, prefix: victim.prefix, pathSuffix: [forgedAsn] };
    case "forged-sub-prefix":
      return { ...base, prefix: victim.subPrefix, pathSuffix: [forgedAsn] };
  }
}

/** The default topology plus the attacker, a customer of its provider in one city. */
export function hijackTopology(site: AttackerSite): Topology {
  const attacker: AsSpec = { asn: ATTACKER_ASN, name: "Attacker", kind: "attacker", cities: [site.city], note: "Invented (RFC 5398 documentation ASN): buys transit and announces what it likes." };
  const session: SessionSpec = { kind: "transit", provider: site.provider, customer: ATTACKER_ASN, city: site.city };
  return { ...DEFAULT_TOPOLOGY, ases: [...DEFAULT_TOPOLOGY.ases, attacker], sessions: [...DEFAULT_TOPOLOGY.sessions, session] };
}

/** The validator the BGP engine calls at import: RFC 6811 over the scenario's VRPs (or a wrong model). */
export function originValidator(index: VrpIndex, model: HijackModel, attacker: Asn): (prefix: string, origin: Asn | null) => RovState {
  const rovModel: RovModel = model === "maxlength-ignored" ? "maxlength-ignored" : "rfc6811";
  return (prefix, origin) => {
    // The `rov-checks-path` belief: ROV sees through a forged origin to the AS that really announced it.
    const seen = model === "rov-checks-path" && origin === FORGED_MARKER ? attacker : origin;
    return index.validate(parsePrefix(prefix), seen, rovModel).state;
  };
}

/**
 * Runs one hijack on the simulated internet and follows every router's packets for the victim's address.
 *
 * @example runHijack({ kind: "sub-prefix" }).share.cities // share of user cities whose packets reach the attacker
 */
export function runHijack(input: HijackInput): HijackOutcome {
  const kind = input.kind;
  const victim = VICTIMS[input.victim ?? "google"];
  const site = ATTACKER_SITES[input.attacker ?? "frankfurt"];
  const roa = input.roa ?? "minimal";
  const model = input.model ?? "real";
  const rovInput = input.rov ?? {};
  // `depref-stops-hijack`: the belief that lowering preference protects like dropping.
  const rov: Record<number, RovMode> = Object.fromEntries(
    Object.entries(rovInput).map(([asn, mode]) => [asn, model === "depref-stops-hijack" && mode === "depref-invalid" ? "drop-invalid" : mode]),
  );
  const vrps = input.vrps ? [...input.vrps] : roaVrps(victim, roa);
  const index = vrpIndex(vrps);
  const forgedAsn = model === "rov-checks-path" ? FORGED_MARKER : victim.asn;
  const announcement = hijackAnnouncement(kind, victim, site, forgedAsn);
  const topology = hijackTopology(site);
  const network = simulate(topology, [{ prefix: victim.prefix, asn: victim.asn }, ...(announcement ? [announcement] : [])], {
    validator: originValidator(index, model, ATTACKER_ASN),
    rov,
    // The victim filters its own address space out of what neighbours send (RFC 7454 §6.1.3), as real networks
    // do; its routers deliver its addresses themselves (in a real network, over more-specific internal routes).
    ownPrefixes: { [victim.asn]: [victim.prefix] },
  });
  const attackerRouter = `${ATTACKER_ASN}@${site.city}`;
  const hijackPath = announcement ? [ATTACKER_ASN, ...(announcement.pathSuffix ?? [])].map((a) => (a === FORGED_MARKER ? victim.asn : a)) : null;
  const hijackValidation = announcement
    ? (() => {
        const origin = hijackPath![hijackPath!.length - 1]!;
        return { ...index.validate(parsePrefix(announcement.prefix), origin), prefix: formatPrefix(parsePrefix(announcement.prefix)), origin };
      })()
    : null;

  const fateOf = (router: RouterName, asn: Asn): RouterFate => {
    const path = network.forward(router, victim.address);
    const last = path.hops[path.hops.length - 1];
    return { router, asn, path, captured: path.deliveredAt === attackerRouter, matched: last?.lookup.match ?? null };
  };
  const counted = topology.ases.filter((a) => a.asn !== victim.asn && a.asn !== ATTACKER_ASN && a.kind !== "route-server");
  const ases: AsFate[] = counted.map((a) => {
    const routers = a.cities.map((city) => fateOf(`${a.asn}@${city}`, a.asn));
    return { asn: a.asn, name: a.name, kind: a.kind, rov: rov[a.asn] ?? a.rov ?? "off", routers, captured: routers.filter((r) => r.captured).length / routers.length };
  });
  const allRouters = ases.flatMap((a) => a.routers);
  const cities = (Object.entries(USER_ROUTERS) as [SiteId, string][]).map(([city, router]) => {
    const fate = allRouters.find((r) => r.router === router) ?? fateOf(router, Number(router.split("@")[0]));
    return { city, router, captured: fate.captured, fate };
  });
  return {
    input: { kind, victim: victim.id, roa, attacker: site.id, rov: rovInput, model },
    victim,
    attacker: { asn: ATTACKER_ASN, router: attackerRouter, site },
    vrps,
    announcement,
    hijackPath,
    hijackValidation,
    network,
    ases,
    cities,
    share: {
      ases: ases.reduce((sum, a) => sum + a.captured, 0) / ases.length,
      routers: allRouters.filter((r) => r.captured).length / allRouters.length,
      cities: cities.filter((c) => c.captured).length / cities.length,
    },
  };
}

/** The ASes a lab or question may toggle ROV at: transit and access networks of the default topology. */
export function rovCapableAses(): readonly AsSpec[] {
  return DEFAULT_TOPOLOGY.ases.filter((a) => a.kind === "tier1" || a.kind === "transit" || a.kind === "access");
}

/** "64511 15169" */
export function formatPath(path: readonly Asn[]): string {
  return path.join(" ");
}

/** A one-paragraph reading of an outcome: what the attacker announced, its RPKI state, who followed it. */
export function describeHijack(o: HijackOutcome): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  if (o.input.kind === "none") return `No hijack: every router's packets for ${o.victim.address} reach ${o.victim.name} (${formatAsn(o.victim.asn)}).`;
  if (o.input.kind === "address-only")
    return `The attacker configured ${o.victim.address} on a server but announced no route. Routers forward by the routes they hold, and none of them leads to the attacker: 0% of the simulated internet sends it anything. Pulling traffic takes a BGP announcement.`;
  const v = o.hijackValidation!;
  const captured = o.cities.filter((c) => c.captured).map((c) => c.city);
  return [
    `${formatAsn(o.attacker.asn)} announces ${v.prefix} with AS_PATH ${formatPath(o.hijackPath!)} (origin ${formatAsn(v.origin!)}); against the VRPs it is ${v.state}.`,
    `${pct(o.share.ases)} of the ASes (by router) and ${captured.length} of ${o.cities.length} user cities${captured.length ? ` (${captured.join(", ")})` : ""} send the victim's traffic to the attacker.`,
  ].join(" ");
}
