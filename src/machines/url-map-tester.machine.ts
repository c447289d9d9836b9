import { assign, setup } from "xstate";
// Straight from their modules, not a barrel: the lesson page loads this machine up front.
import { pickBackend, type BackendChoice, type EndpointHealth } from "../sim/edge/backend-service";
import { decodeSecurityPolicy, evaluateSecurityPolicy, requestSeries, type ArmorVerdict, type SecurityPolicy } from "../sim/edge/cloud-armor";
import { EXAMPLE_POLICY, EXAMPLE_POLICY_YAML, EXAMPLE_URL_MAP, EXAMPLE_URL_MAP_YAML, exampleBackendService } from "../sim/edge/gfe-examples";
import { parseAddress } from "../sim/edge/gfe-ip";
import { parseHttpRequest, type HttpRequest } from "../sim/edge/gfe-request";
import type { LocatedProblem } from "../sim/edge/gfe-yaml";
import { decodeUrlMap, isGkeDefaultBackend, matchUrlMap, type UrlMap, type UrlMapDecision } from "../sim/edge/url-map";
import type { SiteId } from "../sim/geo";
import { InputError } from "../sim/net/errors";

/**
 * The URL-map tester: paste a URL map and a Cloud Armor policy, send a request, and follow the GFE's
 * decision — host rule, path matcher, rule, the security policy's rules in priority order, then the
 * backend and the endpoint given each Pod's health.
 *
 * Every field keeps its own text and error; a YAML problem keeps its line. A bad edit never loses
 * the last good result: it stays on screen, marked stale, until the input is valid again. The YAML
 * reader (and its parser) is sent in only when a learner first edits a YAML field
 * (`READERS_LOADED`); until then that edit waits (`pending`), and the example's result — computed
 * from the example objects — shows at once.
 */

export type TextField = "urlMap" | "url" | "host" | "method" | "headers" | "policy" | "sourceIp" | "region" | "rate" | "seed";
export type Field = TextField | "readers";

/** The YAML readers, from `src/sim/edge/gfe-yaml.ts`, loaded on demand. */
export interface GfeReaders {
  readUrlMapYaml(text: string): UrlMap;
  readSecurityPolicyYaml(text: string): SecurityPolicy;
}

export type BackendKind = "neg" | "instance-group";
export const BACKEND_KINDS: readonly BackendKind[] = ["neg", "instance-group"];
export const ENDPOINT_HEALTHS: readonly EndpointHealth[] = ["HEALTHY", "UNHEALTHY", "DRAINING", "UNKNOWN"];
/** The GFEs a learner can send the request through. */
export const URL_MAP_TESTER_GFES: readonly { readonly id: SiteId; readonly label: string }[] = [
  { id: "paris", label: "Paris" }, { id: "new-york", label: "New York" }, { id: "tokyo", label: "Tokyo" }, { id: "sao-paulo", label: "São Paulo" },
];

/** Controls a link's value can be refused at (the text fields explain their own values). */
export type LinkField = "urlMap" | "policy" | "kind" | "gfe" | "health" | "step";


export interface TesterStep {
  readonly stage: "url-map" | "cloud-armor" | "backend";
  readonly label: string;
  /** match, no-match, outranked, chosen, skipped, full, info, preview */
  readonly verdict: string;
  readonly why: string;
}

export interface TesterResult {
  readonly decision: UrlMapDecision;
  /** null when the target has no security policy (GKE's default backend, a redirect). */
  readonly armor: {
    readonly policy: string;
    readonly last: ArmorVerdict;
    readonly requests: number;
    readonly allowed: number;
    /** Requests per deciding rule label and status. */
    readonly byRule: readonly { readonly label: string; readonly status: number | null; readonly count: number }[];
  } | null;
  readonly backend: BackendChoice | null;
  /** What the client gets, and from whom. */
  readonly status: string;
  readonly answeredBy: string;
  readonly steps: readonly TesterStep[];
}

export interface UrlMapTesterContext {
  readonly texts: Readonly<Record<TextField, string>>;
  readonly backendKind: BackendKind;
  readonly health: readonly EndpointHealth[];
  readonly gfe: SiteId;
  readonly seed: number;
  readonly urlMap: UrlMap;
  readonly policy: SecurityPolicy;
  readonly readers: GfeReaders | null;
  /** A YAML field was edited and waits for the readers. */
  readonly pending: boolean;
  readonly errors: Readonly<Partial<Record<Field, string>>>;
  /** A link's values the lab could not use, at their controls, until the learner changes that control. */
  readonly linkErrors: Readonly<Partial<Record<LinkField, string>>>;
  /** What the lab started with (the props): a link leaves out what equals it. */
  readonly origin: { readonly texts: Readonly<Record<TextField, string>>; readonly backendKind: BackendKind };
  readonly yamlProblems: Readonly<Partial<Record<"urlMap" | "policy", readonly LocatedProblem[]>>>;
  readonly result: TesterResult | null;
  /** The result shown belongs to an earlier input (a field is invalid or waiting). */
  readonly stale: boolean;
  readonly cursor: number;
}

export type UrlMapTesterEvent =
  | { type: "CHANGE"; field: TextField; text: string }
  | { type: "SET_BACKEND_KIND"; kind: BackendKind }
  | { type: "SET_HEALTH"; index: number; health: EndpointHealth }
  | { type: "SET_GFE"; gfe: SiteId }
  | { type: "SET_SEED"; seed: number }
  | { type: "READERS_LOADED"; readers: GfeReaders }
  | { type: "READERS_FAILED"; message: string }
  | { type: "STEP"; to: "next" | "previous" | "first" | "last" }
  | { type: "LOAD_STATE"; patch: UrlMapTesterLinkPatch };

export interface UrlMapTesterInput {
  readonly url?: string;
  readonly host?: string;
  readonly backendKind?: BackendKind;
  readonly sourceIp?: string;
  readonly rate?: string;
}

/** The window of requests the Cloud Armor panel simulates at the chosen rate. */
export const SERIES_SECONDS = 60;

function requestOf(texts: Readonly<Record<TextField, string>>, errors: Partial<Record<Field, string>>): HttpRequest | null {
  const check = (field: TextField, fields: Parameters<typeof parseHttpRequest>[0]) => {
    try {
      parseHttpRequest(fields);
    } catch (error) {
      if (error instanceof InputError) errors[field] = error.reason;
      else throw error;
    }
  };
  check("url", { url: texts.url, host: "h.example" });
  if (texts.host.trim() !== "") check("host", { url: "/", host: texts.host });
  check("method", { url: "/", host: "h.example", method: texts.method });
  check("headers", { url: "/", host: "h.example", headersText: texts.headers });
  if (errors.url || errors.host || errors.method || errors.headers) return null;
  try {
    return parseHttpRequest({ url: texts.url, host: texts.host, method: texts.method, headersText: texts.headers });
  } catch (error) {
    if (error instanceof InputError) {
      errors.host = error.reason;
      return null;
    }
    throw error;
  }
}

function armorStep(v: ArmorVerdict): TesterStep[] {
  return v.evaluated.map((e) => ({
    stage: "cloud-armor" as const,
    label: e.label,
    verdict: !e.matched ? "no-match" : e.preview ? "preview" : "match",
    why: e.matched ? `${e.why}${e.preview ? " — preview: logged, not enforced; evaluation goes on" : `: ${v.rule.priority === e.priority ? v.outcome : "matched"}`}` : e.why,
  }));
}

/** The whole decision for valid inputs. */
export function runTester(c: Pick<UrlMapTesterContext, "urlMap" | "policy" | "backendKind" | "health" | "gfe" | "seed">, request: HttpRequest, client: { ip: string; region: string; rate: number }): TesterResult {
  const decision = matchUrlMap(c.urlMap, request, { seed: c.seed });
  const steps: TesterStep[] = decision.steps.map((s) => ({ stage: "url-map", label: s.label, verdict: s.verdict, why: s.why }));
  const t = decision.target;
  if (t.kind === "redirect") {
    return { decision, armor: null, backend: null, status: `${t.status} redirect`, answeredBy: `the GFE itself (${t.description}); no backend is involved`, steps };
  }
  if (isGkeDefaultBackend(t)) {
    return {
      decision, armor: null, backend: null, status: "404 Not Found", steps,
      answeredBy: `${t.name}: GKE's default backend, the kube-system/default-http-backend Pods (reached through their own NEG), answering "default backend - 404". The web Service's security policy is not attached here, so Cloud Armor does not run.`,
    };
  }
  const series = requestSeries(c.seed, [{ ip: client.ip, regionCode: client.region, rate: client.rate, durationSec: SERIES_SECONDS }], request);
  const verdicts = evaluateSecurityPolicy(c.policy, series);
  const last = verdicts[verdicts.length - 1]!;
  const tally = new Map<string, { label: string; status: number | null; count: number }>();
  for (const v of verdicts) {
    const key = `${v.rule.label}|${v.status}`;
    const entry = tally.get(key) ?? { label: v.rule.label, status: v.status, count: 0 };
    entry.count++;
    tally.set(key, entry);
  }
  const armor = { policy: c.policy.name, last, requests: verdicts.length, allowed: verdicts.filter((v) => v.status === null).length, byRule: [...tally.values()] };
  steps.push(...armorStep(last));
  if (last.status !== null) {
    return { decision, armor, backend: null, status: `${last.status}`, answeredBy: `the GFE, on Cloud Armor's verdict (${last.rule.label}); the request never reaches a Pod`, steps };
  }
  const backend = pickBackend(exampleBackendService(c.backendKind, c.health, t.name), c.gfe, c.seed);
  steps.push(...backend.steps.map((s) => ({ stage: "backend" as const, label: s.label, verdict: s.verdict, why: s.why })));
  if (backend.failure) return { decision, armor, backend, status: "502 Bad Gateway", answeredBy: "the GFE itself (statusDetails: failed_to_pick_backend)", steps };
  return { decision, armor, backend, status: "200 OK", answeredBy: `${backend.pod!.pod} (${backend.pod!.ip}:${backend.pod!.port}) on ${backend.pod!.node}`, steps };
}

function evaluate(c: UrlMapTesterContext, edited: TextField | null): UrlMapTesterContext {
  const errors: Partial<Record<Field, string>> = {};
  const yamlProblems: Partial<Record<"urlMap" | "policy", readonly LocatedProblem[]>> = {};
  let { urlMap, policy, pending } = c;
  const yamlEdited = edited === "urlMap" || edited === "policy";
  if (yamlEdited && !c.readers) pending = true;
  if (c.readers) {
    pending = false;
    for (const field of ["urlMap", "policy"] as const) {
      try {
        if (field === "urlMap") urlMap = c.readers.readUrlMapYaml(c.texts.urlMap);
        else policy = c.readers.readSecurityPolicyYaml(c.texts.policy);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        const problems = (error as InputError & { problems?: readonly LocatedProblem[] }).problems;
        if (problems) yamlProblems[field] = problems;
        errors[field] = problems ? `${problems.length} problem${problems.length > 1 ? "s" : ""}: ${problems.map((p) => `line ${p.line}: ${p.field ? `${p.field}: ` : ""}${p.message}`).join("; ")}` : error.reason;
      }
    }
  }
  const request = requestOf(c.texts, errors);
  let ip = "";
  try {
    ip = parseAddress(c.texts.sourceIp).text;
  } catch (error) {
    if (error instanceof InputError) errors.sourceIp = error.reason;
    else throw error;
  }
  const region = c.texts.region.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(region)) errors.region = "a region code is two letters (ISO 3166-1), e.g. FR or US";
  const rate = Number(c.texts.rate.trim());
  if (c.texts.rate.trim() === "" || !Number.isFinite(rate) || rate <= 0 || rate > 50) errors.rate = "requests per second, above 0 and at most 50";
  let seed = c.seed;
  const seedText = c.texts.seed.trim();
  if (/^\d{1,10}$/.test(seedText) && Number(seedText) <= 0xffffffff) seed = Number(seedText);
  else errors.seed = "a whole number from 0 to 4294967295";
  const blocked = Object.keys(errors).length > 0 || pending;
  const next: UrlMapTesterContext = { ...c, urlMap, policy, pending, errors, yamlProblems, seed, stale: blocked && c.result !== null };
  if (blocked || request === null) return next;
  const result = runTester(next, request, { ip, region, rate });
  return { ...next, result, stale: false, cursor: Math.min(c.cursor, result.steps.length - 1) };
}

const FIELD_KEYS: readonly TextField[] = ["urlMap", "url", "host", "method", "headers", "policy", "sourceIp", "region", "rate", "seed"];

const dropLink = (c: UrlMapTesterContext, ...fields: LinkField[]): UrlMapTesterContext["linkErrors"] =>
  Object.fromEntries(Object.entries(c.linkErrors).filter(([k]) => !fields.includes(k as LinkField)));

/**
 * A permalink's values, checked (`readUrlMapTesterLink` in `url-map-tester-link.ts`, fetched only when
 * a link needs it): what applies, and a message for each control whose value could not be used.
 */
export interface UrlMapTesterLinkPatch {
  readonly texts: Readonly<Partial<Record<TextField, string>>>;
  readonly backendKind?: BackendKind;
  readonly gfe?: SiteId;
  readonly health?: readonly EndpointHealth[];
  /** The decision shown, 1-based, unchecked (its range depends on the result). */
  readonly step: string | null;
  readonly linkErrors: Readonly<Partial<Record<LinkField, string>>>;
}

/** The lab opened from a link: a bad value leaves its control as it was, with the reason beside it. Never throws. */
function loadState(c: UrlMapTesterContext, patch: UrlMapTesterLinkPatch): UrlMapTesterContext {
  const linkErrors: Partial<Record<LinkField, string>> = { ...patch.linkErrors };
  const texts = { ...c.texts };
  for (const field of FIELD_KEYS) {
    const value = patch.texts[field];
    if (typeof value === "string") texts[field] = value.slice(0, 20000);
  }
  // YAML from a link before the reader arrived waits for it, as a typed edit does (the island loads it first).
  const yaml = typeof patch.texts.urlMap === "string" || typeof patch.texts.policy === "string";
  let next = evaluate(
    { ...c, texts, backendKind: patch.backendKind ?? c.backendKind, gfe: patch.gfe ?? c.gfe, health: patch.health ?? c.health, cursor: 0 },
    yaml ? "urlMap" : null,
  );
  if (patch.step !== null) {
    const t = patch.step.trim();
    const n = Number(t);
    const total = next.result?.steps.length ?? 0;
    if (/^\d+$/.test(t) && n >= 1 && n <= total) next = { ...next, cursor: n - 1 };
    else linkErrors.step = `This link's decision "${patch.step.slice(0, 20)}" is not one of decisions 1 to ${total}; the list starts at decision 1.`;
  }
  return { ...next, linkErrors };
}

export const urlMapTesterMachine = setup({
  types: {
    context: {} as UrlMapTesterContext,
    events: {} as UrlMapTesterEvent,
    input: {} as UrlMapTesterInput,
  },
  actions: {
    change: assign(({ context, event }) => {
      if (event.type !== "CHANGE" || !FIELD_KEYS.includes(event.field)) return {};
      const linkErrors = event.field === "urlMap" || event.field === "policy" ? dropLink(context, event.field) : context.linkErrors;
      return evaluate({ ...context, linkErrors, texts: { ...context.texts, [event.field]: event.text } }, event.field);
    }),
    setOption: assign(({ context, event }) => {
      if (event.type === "SET_BACKEND_KIND") return evaluate({ ...context, backendKind: event.kind, linkErrors: dropLink(context, "kind") }, null);
      if (event.type === "SET_GFE") return evaluate({ ...context, gfe: event.gfe, linkErrors: dropLink(context, "gfe") }, null);
      if (event.type === "SET_SEED") return evaluate({ ...context, texts: { ...context.texts, seed: String(Math.max(0, Math.floor(event.seed))) } }, null);
      if (event.type === "SET_HEALTH" && event.index >= 0 && event.index < context.health.length) {
        return evaluate({ ...context, health: context.health.map((h, i) => (i === event.index ? event.health : h)), linkErrors: dropLink(context, "health") }, null);
      }
      return {};
    }),
    load: assign(({ context, event }) => (event.type === "LOAD_STATE" ? loadState(context, event.patch) : {})),
    loaded: assign(({ context, event }) => (event.type === "READERS_LOADED" ? evaluate({ ...context, readers: event.readers }, null) : {})),
    failed: assign(({ context, event }) => (event.type === "READERS_FAILED" ? { errors: { ...context.errors, readers: `The YAML reader could not be loaded (${event.message}); edit again to retry.` } } : {})),
    step: assign(({ context, event }) => {
      if (event.type !== "STEP" || !context.result) return {};
      const last = context.result.steps.length - 1;
      const to = { next: context.cursor + 1, previous: context.cursor - 1, first: 0, last }[event.to];
      return { cursor: Math.max(0, Math.min(last, to)), linkErrors: dropLink(context, "step") };
    }),
  },
}).createMachine({
  id: "urlMapTester",
  context: ({ input }) => {
    const texts: Record<TextField, string> = {
      urlMap: EXAMPLE_URL_MAP_YAML,
      url: input.url ?? "https://www.example.com/api/v1/orders?page=2",
      host: input.host ?? "",
      method: "GET",
      headers: "User-Agent: curl/8.5.0",
      policy: EXAMPLE_POLICY_YAML,
      sourceIp: input.sourceIp ?? "203.0.113.7",
      region: "FR",
      rate: input.rate ?? "1",
      seed: "0",
    };
    const base: UrlMapTesterContext = {
      texts, backendKind: input.backendKind ?? "neg", health: ["HEALTHY", "HEALTHY", "HEALTHY"], gfe: "paris", seed: 0,
      urlMap: decodeUrlMap(EXAMPLE_URL_MAP), policy: decodeSecurityPolicy(EXAMPLE_POLICY),
      readers: null, pending: false, errors: {}, linkErrors: {}, yamlProblems: {}, result: null, stale: false, cursor: 0,
      origin: { texts, backendKind: input.backendKind ?? "neg" },
    };
    return evaluate(base, null);
  },
  on: {
    CHANGE: { actions: "change" },
    SET_BACKEND_KIND: { actions: "setOption" },
    SET_HEALTH: { actions: "setOption" },
    SET_GFE: { actions: "setOption" },
    SET_SEED: { actions: "setOption" },
    READERS_LOADED: { actions: "loaded" },
    READERS_FAILED: { actions: "failed" },
    STEP: { actions: "step" },
    LOAD_STATE: { actions: "load" },
  },
});
