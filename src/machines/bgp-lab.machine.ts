import { assign, setup } from "xstate";
// Straight from their modules, not a barrel: the lesson page loads this machine up front.
import { anycastOutcomes, explainDecision, type AnycastOutcome } from "../sim/bgp/anycast";
import { ANYCAST_SITES, CLOUDFLARE_ASN, CLOUDFLARE_PREFIX, DEFAULT_ANNOUNCEMENTS, DEFAULT_TOPOLOGY, GOOGLE_ASN, GOOGLE_PREFIX, USER_ROUTERS } from "../sim/bgp/default-topology";
import { simulate, type BgpNetwork } from "../sim/bgp/engine";
import { parseAddress, parsePrefix, prefixCovers } from "../sim/bgp/prefix";
import { compileTopology } from "../sim/bgp/topology";
import type { Decision, FibLookup, ForwardingPath, RouterName } from "../sim/bgp/types";
import type { SiteId } from "../sim/geo";
import { attempt } from "../sim/net/errors";

/**
 * The BGP lab: pick a router of the simulated internet and a prefix, then step through its
 * decision process rule by rule (which rule removed which route) and on into the FIB's
 * longest-prefix match; beside it, the anycast map — each user city, the site BGP takes it to and
 * the nearest site — with a toggle per site to withdraw or restore its announcement.
 */

export type LabPrefix = "cloudflare" | "google";

export const LAB_PREFIXES: Record<LabPrefix, { prefix: string; asn: number; name: string; address: string }> = {
  cloudflare: { prefix: CLOUDFLARE_PREFIX, asn: CLOUDFLARE_ASN, name: "Cloudflare", address: "104.18.32.7" },
  google: { prefix: GOOGLE_PREFIX, asn: GOOGLE_ASN, name: "Google", address: "34.98.10.5" },
};

export interface BgpLabContext {
  readonly prefix: LabPrefix;
  readonly router: RouterName;
  /** Sites whose announcement is withdrawn, per prefix. */
  readonly withdrawn: Readonly<Record<LabPrefix, readonly SiteId[]>>;
  /** 0: the candidates; 1…k: after each rule of the decision; k+1…k+n: each FIB entry checked. */
  readonly step: number;
  readonly addressText: string;
  readonly addressError: string | null;
  /** What was wrong with the settings a link carried (`<lab>.router=…`), one sentence each. */
  readonly linkProblems: readonly string[];
}

export type BgpLabEvent =
  | { type: "SELECT_ROUTER"; router: RouterName }
  | { type: "SELECT_PREFIX"; prefix: LabPrefix }
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "STEP_RESET" }
  | { type: "STEP_END" }
  | { type: "TOGGLE_SITE"; site: SiteId }
  | { type: "SET_ADDRESS"; text: string }
  /** Settings from the page's URL, keys without the lab's prefix: router, prefix, withdrawn, step. */
  | { type: "LINK"; values: Readonly<Record<string, string>>; labId: string };

export interface BgpLabInput {
  readonly router?: RouterName;
  readonly prefix?: LabPrefix;
  readonly withdrawn?: readonly SiteId[];
}

const COMPILED = compileTopology(DEFAULT_TOPOLOGY);
/** Routers a learner can pick: every router but the route server (it forwards no packets). */
export const LAB_ROUTERS: readonly RouterName[] = COMPILED.routers.filter((r) => !r.isRouteServer).map((r) => r.name);
export const AS_NAMES: ReadonlyMap<number, string> = new Map(DEFAULT_TOPOLOGY.ases.map((a) => [a.asn, a.name]));

const cache = new Map<string, BgpNetwork>();
/** The converged internet with these sites withdrawn (memoised: a learner toggles back and forth). */
export function labNetwork(withdrawn: BgpLabContext["withdrawn"]): BgpNetwork {
  const key = `${withdrawn.cloudflare.join(",")}|${withdrawn.google.join(",")}`;
  let net = cache.get(key);
  if (!net) {
    const cities = (p: LabPrefix) => ANYCAST_SITES.filter((s) => !withdrawn[p].includes(s));
    net = simulate(COMPILED, DEFAULT_ANNOUNCEMENTS.map((a) => {
      const which: LabPrefix = a.asn === CLOUDFLARE_ASN ? "cloudflare" : "google";
      return { ...a, cities: cities(which) };
    }).filter((a) => a.cities.length > 0));
    cache.set(key, net);
  }
  return net;
}

export interface BgpLabView {
  readonly prefix: string;
  readonly address: string;
  readonly decision: Decision;
  readonly explanation: string;
  readonly fib: FibLookup | null;
  readonly path: ForwardingPath | null;
  /** Steps in all: the decision's comparisons, then one per FIB entry. */
  readonly totalSteps: number;
  readonly anycast: readonly AnycastOutcome[];
}

/** Everything the island shows, computed from the context (pure; the network is memoised). */
export function bgpLabView(c: BgpLabContext): BgpLabView {
  const p = LAB_PREFIXES[c.prefix];
  const net = labNetwork(c.withdrawn);
  const decision = net.decision(c.router, p.prefix);
  const address = c.addressError === null && c.addressText.trim() !== "" ? c.addressText.trim() : p.address;
  const fib = net.fibLookup(c.router, address);
  const path = net.forward(c.router, address);
  const inPrefix = prefixCovers(parsePrefix(p.prefix), parseAddress(p.address));
  return {
    prefix: p.prefix, address, decision, explanation: explainDecision(decision), fib, path,
    totalSteps: decision.steps.length + fib.checks.length,
    anycast: inPrefix ? anycastOutcomes(net, p.prefix, p.address, USER_ROUTERS) : [],
  };
}

function checkAddress(text: string): string | null {
  if (text.trim() === "") return null;
  const parsed = attempt(() => parseAddress(text));
  return parsed.ok ? null : parsed.error.message;
}

/** The settings a link may carry, applied where valid; every problem named. */
function fromLink(c: BgpLabContext, values: Readonly<Record<string, string>>, labId: string): Partial<BgpLabContext> {
  const problems: string[] = [];
  let next: BgpLabContext = { ...c, linkProblems: [] };
  const show = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  for (const [key, raw] of Object.entries(values)) {
    const value = raw.trim();
    if (value === "") continue;
    if (key === "router") {
      if (LAB_ROUTERS.includes(value)) next = { ...next, router: value };
      else problems.push(`${labId}.router=${show(value)} is not a router of the simulated internet (ASN@city, e.g. 3356@madrid); showing ${next.router}.`);
    } else if (key === "prefix") {
      if (value in LAB_PREFIXES) next = { ...next, prefix: value as LabPrefix };
      else problems.push(`${labId}.prefix=${show(value)} is not cloudflare or google; showing ${next.prefix}.`);
    } else if (key === "withdrawn") {
      const sites = value.split(",").map((x) => x.trim());
      const bad = sites.filter((x) => !ANYCAST_SITES.includes(x as SiteId));
      if (bad.length) problems.push(`${labId}.withdrawn=${show(value)} names ${bad.length === 1 ? "a site" : "sites"} that announce nothing (${ANYCAST_SITES.join(", ")}); ignored.`);
      else next = { ...next, withdrawn: { ...next.withdrawn, [next.prefix]: [...new Set(sites as SiteId[])].sort() } };
    } else if (key === "step") {
      const total = bgpLabView(next).totalSteps;
      if (/^\d+$/.test(value) && Number(value) <= total) next = { ...next, step: Number(value) };
      else problems.push(`${labId}.step=${show(value)} is not a step from 0 to ${total}; starting at 0.`);
    } else {
      problems.push(`${labId}.${key.length > 30 ? `${key.slice(0, 30)}…` : key} is not a setting of this lab (it reads ${labId}.router, .prefix, .withdrawn and .step); ignored.`);
    }
  }
  return { router: next.router, prefix: next.prefix, withdrawn: next.withdrawn, step: next.step, linkProblems: problems };
}

const clampStep = (c: BgpLabContext, step: number) => Math.max(0, Math.min(step, bgpLabView(c).totalSteps));

export const bgpLabMachine = setup({
  types: { context: {} as BgpLabContext, events: {} as BgpLabEvent, input: {} as BgpLabInput },
  actions: {
    selectRouter: assign(({ event }) => (event.type === "SELECT_ROUTER" && LAB_ROUTERS.includes(event.router) ? { router: event.router, step: 0 } : {})),
    selectPrefix: assign(({ event }) => (event.type === "SELECT_PREFIX" && event.prefix in LAB_PREFIXES ? { prefix: event.prefix, step: 0, addressText: "", addressError: null } : {})),
    forward: assign(({ context }) => ({ step: clampStep(context, context.step + 1) })),
    back: assign(({ context }) => ({ step: Math.max(0, context.step - 1) })),
    reset: assign({ step: 0 }),
    end: assign(({ context }) => ({ step: bgpLabView(context).totalSteps })),
    toggleSite: assign(({ context, event }) => {
      if (event.type !== "TOGGLE_SITE" || !ANYCAST_SITES.includes(event.site)) return {};
      const list = context.withdrawn[context.prefix];
      const next = list.includes(event.site) ? list.filter((s) => s !== event.site) : [...list, event.site].sort();
      const withdrawn = { ...context.withdrawn, [context.prefix]: next };
      return { withdrawn, step: 0 };
    }),
    link: assign(({ context, event }) => (event.type === "LINK" ? fromLink(context, event.values, event.labId) : {})),
    setAddress: assign(({ context, event }) => {
      if (event.type !== "SET_ADDRESS") return {};
      const addressError = checkAddress(event.text);
      const next = { ...context, addressText: event.text, addressError };
      return { addressText: event.text, addressError, step: Math.min(context.step, bgpLabView(next).totalSteps) };
    }),
  },
}).createMachine({
  id: "bgp-lab",
  context: ({ input }) => ({
    prefix: input.prefix ?? "cloudflare",
    router: input.router && LAB_ROUTERS.includes(input.router) ? input.router : "3356@madrid",
    withdrawn: { cloudflare: (input.withdrawn ?? []).filter((s) => ANYCAST_SITES.includes(s)), google: [] },
    step: 0,
    addressText: "",
    addressError: null,
    linkProblems: [],
  }),
  on: {
    SELECT_ROUTER: { actions: "selectRouter" },
    SELECT_PREFIX: { actions: "selectPrefix" },
    STEP_FORWARD: { actions: "forward" },
    STEP_BACK: { actions: "back" },
    STEP_RESET: { actions: "reset" },
    STEP_END: { actions: "end" },
    TOGGLE_SITE: { actions: "toggleSite" },
    SET_ADDRESS: { actions: "setAddress" },
    LINK: { actions: "link" },
  },
});
