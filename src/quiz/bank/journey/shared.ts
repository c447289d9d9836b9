import {
  computeTrace, getScenario, hopById, scenarioDefaults, site,
  type Hop, type Packet, type SiteId, type Trace, type TraceEvent, type TraceEventType,
} from "../../../sim/index";
import { GFE_URL_MAP } from "../../../sim/edge/gfe";
import type { HttpLayer, Ipv4Layer, TcpLayer } from "../../../sim/net/packet";
import type { Exhibit, LabLink, MisconceptionAnswer, QuestionKind, AnswerOf } from "../../engine/types";

/**
 * What the journey templates share: the flagship scenario and its lesson, reading facts off a trace
 * (hops, events, the headers a packet carries), the settings chips, links into the lesson's labs, and
 * the wrong models' answers. The seeded draws (`pick`, `shuffle`, `orderRandom`, …) are in `../draw`.
 */

export const SCENARIO_ID = "cloudflare-gke";
export const LESSON = "life-of-a-packet";
export const LESSON_PAGE = "/lessons/life-of-a-packet/";

/** The user cities the flagship knows, in the order its parameter lists them. */
export const CITIES = ["paris", "tokyo", "sao-paulo", "new-york"] as const;
export const REGION_NAMES = ["us-central1", "europe-west1", "asia-northeast1"] as const;

export type Params = Readonly<Record<string, string>>;

/** The flagship's trace for a variant's settings (defaults for the rest), optionally under a wrong model. */
export function journeyTrace(params: Params, seed: number, model: string | null = null): Trace {
  return computeTrace(SCENARIO_ID, params, seed, model);
}

/** The hop with this id; a template that asks about it needs it, so its absence is a bug. */
export function hop(trace: Trace, id: string): Hop {
  const found = hopById(trace, id);
  if (!found) throw new Error(`the trace (${JSON.stringify(trace.params)}) has no hop ${id}; it has ${trace.hops.map((h) => h.id).join(", ")}`);
  return found;
}

/** The first event of a type at a hop, or undefined. */
export function eventOf<T extends TraceEventType>(h: Hop, type: T): Extract<TraceEvent, { type: T }> | undefined {
  return h.events.find((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
}

/** Like `eventOf`, for an event the template relies on. */
export function requireEvent<T extends TraceEventType>(h: Hop, type: T): Extract<TraceEvent, { type: T }> {
  const found = eventOf(h, type);
  if (!found) throw new Error(`hop ${h.id} has no ${type} event`);
  return found;
}

/** The IPv4 headers of a packet, outermost first (a tunnelled packet has two). */
export function ipv4Layers(p: Packet | null): Ipv4Layer[] {
  return (p?.layers ?? []).filter((l): l is Ipv4Layer => l.kind === "ipv4");
}

/** The innermost IPv4 header: the one the endpoints wrote, under any tunnel. */
export function innerIpv4(p: Packet | null): Ipv4Layer {
  const found = ipv4Layers(p).at(-1);
  if (!found) throw new Error("the packet has no IPv4 header");
  return found;
}

/** The innermost TCP header. */
export function innerTcp(p: Packet | null): TcpLayer {
  const found = (p?.layers ?? []).filter((l): l is TcpLayer => l.kind === "tcp").at(-1);
  if (!found) throw new Error("the packet has no TCP header");
  return found;
}

/** The HTTP message a packet carries, if any. */
export function http(p: Packet | null): HttpLayer | undefined {
  return p?.layers.find((l): l is HttpLayer => l.kind === "http");
}

/** A site's name as people write it ("São Paulo", "Council Bluffs, Iowa"). */
export const siteName = (id: SiteId): string => site(id).name;

/** Thousands separated, as prose writes distances ("9,760 km"). */
export const km = (n: number): string => `${Math.round(n).toLocaleString("en-US")} km`;

/** A parameter's label and the label of one of its values, as the scenario words them. */
export function paramLabel(key: string, value: string): { label: string; value: string } {
  const spec = getScenario(SCENARIO_ID).params.find((p) => p.key === key);
  if (!spec) throw new Error(`${SCENARIO_ID} has no parameter "${key}"`);
  return { label: spec.label, value: spec.values.find((v) => v.value === value)?.label ?? value };
}

/**
 * The settings that shape a variant, as chips, in the order given. The host is shown as typed: its
 * value labels ("api.example.com (no URL-map rule)") would give answers away.
 */
export function settingsExhibit(params: Params, keys: readonly string[]): Exhibit {
  return {
    kind: "settings",
    chips: keys.map((key) => {
      const value = params[key] ?? scenarioDefaults(getScenario(SCENARIO_ID))[key];
      if (value === undefined) throw new Error(`no value for ${key}`);
      const l = paramLabel(key, value);
      return { key, label: l.label, value: key === "host" ? value : l.value };
    }),
  };
}

/** The lesson's labs that follow the page's shared settings (`?scenario.<key>=value`); the others keep their own (`?<lab>.<key>=value`). */
const SHARED_LABS = new Set(["journey", "leg-1", "leg-2", "leg-3", "leg-4", "leg-5"]);

/** A link to a lab of the lesson opened on the variant's settings (defaults left out, as the labs write their links). */
export function journeyLab(labId: string, params: Params): LabLink {
  const defaults = scenarioDefaults(getScenario(SCENARIO_ID));
  const prefix = SHARED_LABS.has(labId) ? "scenario" : labId;
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (defaults[key] !== value) query[`${prefix}.${key}`] = value;
  }
  return { page: LESSON_PAGE, lab: labId, query };
}

/**
 * The answers the named wrong models give, each computed by `answerUnder` from the scenario run
 * under that model; a model whose answer is the key's (by `same`), or that cannot answer this
 * variant (null), is left out.
 */
export function misconceptionAnswers<K extends QuestionKind>(
  models: readonly string[],
  answerUnder: (model: string) => AnswerOf[K] | null,
  key: AnswerOf[K],
  same: (a: AnswerOf[K], b: AnswerOf[K]) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b),
): MisconceptionAnswer<K>[] {
  const out: MisconceptionAnswer<K>[] = [];
  for (const model of models) {
    const answer = answerUnder(model);
    if (answer !== null && !same(answer, key)) out.push({ misconception: model, answer });
  }
  return out;
}

/** "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/**
 * The Ingress behind the load balancer, as `kubectl get ingress -o yaml` prints its spec: the one
 * host rule the URL map is built from. Read from the GFE's URL map (`edge/gfe.ts`), whose backend
 * service is named after the Service (`k8s1-<cluster uid>-<namespace>-<service>-<port>-<hash>`).
 */
export function ingressExhibit(): Exhibit {
  const parts = GFE_URL_MAP.backendService.split("-");
  if (parts.length !== 6) throw new Error(`unexpected backend service name ${GFE_URL_MAP.backendService}`);
  const [, , namespace, service, port] = parts;
  return {
    kind: "output",
    command: `kubectl get ingress ${service} -n ${namespace} -o yaml`,
    text: [
      "apiVersion: networking.k8s.io/v1",
      "kind: Ingress",
      "metadata:",
      `  name: ${service}`,
      `  namespace: ${namespace}`,
      "spec:",
      "  rules:",
      `  - host: ${GFE_URL_MAP.host}`,
      "    http:",
      "      paths:",
      `      - path: ${GFE_URL_MAP.pathPrefix}`,
      "        pathType: Prefix",
      "        backend:",
      "          service:",
      `            name: ${service}`,
      "            port:",
      `              number: ${port}`,
    ].join("\n"),
  };
}

/** Small counts in words, as prose writes them ("two routers"); larger ones in digits. */
export function countWord(n: number): string {
  return ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"][n] ?? String(n);
}

/**
 * Why a router's anycast route won, in BGP's own order — local preference, AS-path length, origin and
 * MED, eBGP over iBGP, then the IGP cost to the exit — read from the `anycast-route` event: the rule
 * the BGP model says decided, and the ranked candidates.
 */
export function anycastReason(e: Extract<TraceEvent, { type: "anycast-route" }>, router: string): string {
  const best = e.candidates.find((c) => c.site === e.chosen);
  if (!best) throw new Error(`the anycast event's chosen site ${e.chosen} is not among its candidates`);
  const others = e.candidates.filter((c) => c !== best);
  const sites = e.sites?.length ?? new Set(e.candidates.map((c) => c.site)).size;
  const intro = `${router} holds ${e.candidates.length} ${e.candidates.length === 1 ? "route" : "routes"} to ${e.prefix} (AS${e.originAs}), which ${sites} sites announce.`;
  const lowerPref = others.filter((c) => (c.localPref ?? 0) < (best.localPref ?? 0));
  if (e.rule === "local-pref" || (others.length > 0 && lowerPref.length === others.length)) {
    const top = Math.max(...others.map((c) => c.localPref ?? 0));
    return `${intro} The route to ${siteName(best.site)} was learned from a ${best.learnedFrom ?? "neighbour"} and has local preference ${best.localPref}; ` +
      `every other one${others[0]?.learnedFrom ? `, learned from a ${others[0].learnedFrom}` : ""}, has at most ${top}. Local preference is compared first, so ${siteName(best.site)} wins before anything else is looked at.`;
  }
  if (e.rule === "as-path-length") {
    return `${intro} Several tie on local preference ${best.localPref}; the route to ${siteName(best.site)} has the shortest AS path (${best.asPathLength}), which decides.`;
  }
  if (e.rule === "ebgp-over-ibgp") {
    return `${intro} They tie on local preference (${best.localPref ?? "—"}), AS-path length (${best.asPathLength ?? "—"}), origin and MED; the one learned over ${router}'s own eBGP session beats the ${others.length} learned over iBGP from the AS's other routers, so the packet leaves at the nearest exit: ${siteName(best.site)}.`;
  }
  const next = [...others].sort((a, b) => (a.igpCost ?? a.distanceKm) - (b.igpCost ?? b.distanceKm))[0];
  return `${intro} They tie on every attribute before it, so the lowest internal (IGP) cost to the exit wins: ` +
    `${siteName(best.site)} at ${km(best.igpCost ?? best.distanceKm)}${next ? `, ahead of ${siteName(next.site)} at ${km(next.igpCost ?? next.distanceKm)}` : ""}.`;
}
