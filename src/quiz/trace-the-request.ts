import { computeTrace, getScenario, hopsOf, scenarioDefaults, type ParamSpec, type Trace } from "../sim/index";
import { seededRandom } from "../sim/random";
import { decoysFor } from "./trace-decoys";
import { anycastWhy, endingClause, hopRole, requestEnd, tlsWhy } from "./trace-explain";
import { gradeTraceKey, optionNames, type OffPathOption, type TraceAnswer, type TraceGradeResult, type TraceKey } from "./trace-grader";

export { gradeTraceKey, keyAnswer, type HopAnswer, type KeyHop, type TraceAnswer, type TraceGradeResult, type TraceKey } from "./trace-grader";

/**
 * Question 1: trace a request from the browser to wherever it is answered, naming every hop in order
 * and marking where TLS terminates and where an anycast routing decision is made. The key is the
 * computed trace; the other options are the devices of the same variant's full path that this request
 * does not reach, and decoys named as specifically as the real devices (`trace-decoys.ts`).
 */
export const QUESTION_ID = "trace-the-request";
export const SCENARIO_ID = "cloudflare-gke";

export interface DeviceOption {
  readonly id: string;
  readonly name: string;
}

/** One setting of the variant, for the chips above the question. */
export interface SettingChip {
  readonly key: string;
  /** The setting's name, as the scenario labels it ("User's city"). */
  readonly label: string;
  readonly value: string;
  /** The value, as the scenario labels it ("Tokyo"). */
  readonly valueLabel: string;
}

export interface TraceQuestion {
  readonly id: string;
  readonly seed: number;
  /** The parameters this variant sets; the rest are the scenario's defaults. */
  readonly params: Readonly<Record<string, string>>;
  readonly prompt: string;
  /** The settings that shape the answer, as chips. */
  readonly settings: readonly SettingChip[];
  /** Devices to choose from: this variant's path, the rest of its full path, and decoys, in a seeded order. */
  readonly options: readonly DeviceOption[];
}

/** A question with everything a page needs to show and grade it without the simulator. */
export interface QuestionView extends TraceQuestion {
  readonly key: TraceKey;
  /** The whole-journey lab's parameters for this variant, and its defaults (links leave defaults out). */
  readonly lab: { readonly params: Readonly<Record<string, string>>; readonly defaults: Readonly<Record<string, string>> };
}

/** A scenario parameter's spec; the question names settings exactly as the scenario labels them. */
function spec(key: string): ParamSpec {
  const found = getScenario(SCENARIO_ID).params.find((p) => p.key === key);
  if (!found) throw new Error(`${SCENARIO_ID} has no parameter "${key}"`);
  return found;
}
const valuesOf = (key: string) => spec(key).values.map((v) => v.value);
const labelOf = (key: string, value: string) => spec(key).values.find((v) => v.value === value)?.label ?? value;

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/**
 * What may change besides the city, the proxy and the region, one at a time and mostly not at all:
 * each twist moves where the request ends or which Pod it reaches, so the answer has to be known, not
 * recited. Cache twists need Cloudflare's proxy.
 */
const TWISTS: readonly { readonly weight: number; readonly proxied?: true; readonly params: Readonly<Record<string, string>> }[] = [
  { weight: 10, params: {} },
  { weight: 2, proxied: true, params: { "cache-rule": "cache-everything", cache: "hit" } },
  { weight: 1, proxied: true, params: { "cache-rule": "cache-everything", cache: "expired" } },
  { weight: 2, params: { "pod-health": "target-unhealthy" } },
  { weight: 2, params: { "pod-health": "all-unhealthy" } },
  { weight: 2, params: { host: "api.example.com" } },
];

/** The settings a variant may change, in the order the chips show them. */
const VARIED = ["city", "cloudflare", "region", "host", "cache-rule", "cache", "pod-health"] as const;

/**
 * Seed 0 is the canonical question (Paris, Cloudflare on, us-central1); other seeds vary it. The city,
 * proxy and region are drawn first, as they always were, so a seed keeps those across releases.
 */
export function questionParams(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", cloudflare: "on", region: "us-central1" };
  const random = seededRandom(seed);
  const base = {
    city: pick(random, valuesOf("city")),
    cloudflare: pick(random, ["on", "off"]),
    region: pick(random, valuesOf("region")),
  };
  const twists = TWISTS.filter((t) => !t.proxied || base.cloudflare === "on");
  let draw = random() * twists.reduce((sum, t) => sum + t.weight, 0);
  const twist = twists.find((t) => (draw -= t.weight) < 0) ?? twists[0]!;
  return { ...base, ...twist.params };
}

/** The variant's settings as chips; the cache's only while Cloudflare proxies the site. */
function settingsOf(params: Readonly<Record<string, string>>): SettingChip[] {
  const resolved = { ...scenarioDefaults(getScenario(SCENARIO_ID)), ...params };
  return VARIED.filter((key) => resolved.cloudflare === "on" || !key.startsWith("cache")).map((key) => ({
    key, label: spec(key).label, value: resolved[key]!, valueLabel: labelOf(key, resolved[key]!),
  }));
}

function promptOf(params: Readonly<Record<string, string>>): string {
  const p = { ...scenarioDefaults(getScenario(SCENARIO_ID)), ...params };
  const cacheable = p["cache-rule"] === "cache-everything";
  const front =
    p.cloudflare === "on"
      ? cacheable
        ? `The site is behind Cloudflare's proxy (orange cloud), and a Cache Rule makes the page eligible for caching; the Cloudflare site the user reaches ${
            p.cache === "hit" ? "holds a fresh copy of it" : p.cache === "expired" ? "holds a copy whose time to live has run out" : "holds no copy of it"
          }.`
        : "The site is behind Cloudflare's proxy (orange cloud), with no Cache Rule, so Cloudflare does not cache the page."
      : "Cloudflare is not used: DNS points straight at the load balancer's Google address.";
  const health =
    p["pod-health"] === "all-unhealthy"
      ? " Health checks currently fail for every Pod behind the NEG."
      : p["pod-health"] === "target-unhealthy"
        ? " Health checks currently fail for the Pod at 10.4.1.5; the others pass."
        : "";
  return (
    `A user in ${labelOf("city", p.city!)} loads https://${p.host}/. ${front} The GKE cluster runs in ${labelOf("region", p.region!)} ` +
    `behind an Ingress with container-native load balancing, whose only host rule is for www.example.com.${health} ` +
    "List, in order, every device the request passes through, from the browser to the last device it reaches, and mark each hop " +
    "where TLS terminates and each hop where an anycast routing decision sends the packet."
  );
}

/**
 * The same variant along its whole path: Cloudflare proxying, nothing cached, every Pod healthy, a
 * routed host. Its devices are offered in every variant, so a shorter path cannot be guessed from a
 * shorter list.
 */
function fullPath(params: Readonly<Record<string, string>>): Trace {
  return computeTrace(SCENARIO_ID, { ...params, cloudflare: "on", "cache-rule": "none", cache: "miss", "pod-health": "all-healthy", host: "www.example.com" });
}

/** Why a device of the full path is not on this variant's path, and the step that shows it. */
function notReached(trace: Trace, full: Trace, device: string): Omit<OffPathOption, "name"> {
  const request = hopsOf(trace, "request");
  const fullIds = hopsOf(full, "request").map((h) => h.device.id);
  const end = requestEnd(trace);
  if (fullIds.indexOf(device) > fullIds.indexOf(end.hop.device.id)) {
    return {
      why: `Not on this path: the request stops at ${end.hop.device.name}, where ${endingClause(end)}.`,
      step: end.hop.id, stepName: end.hop.device.name,
    };
  }
  const browser = request[0]!;
  const dns = browser.events.find((e) => e.type === "dns-resolve");
  const direct = dns?.type === "dns-resolve" ? `DNS answers ${dns.answer}, the load balancer's own address,` : "the client connects to the load balancer's own address,";
  return {
    why: `Not on this path: Cloudflare does not proxy this request — ${direct} so the packets go straight to Google.`,
    step: browser.id, stepName: browser.device.name,
  };
}

/** Keys already read, by trace: grading the same trace again (a learner's next attempt, a benchmark) reuses its key. */
const keys = new WeakMap<Trace, TraceKey>();

/** Everything the grader needs, read off the trace (and the same variant's full path). */
export function traceKey(trace: Trace): TraceKey {
  let key = keys.get(trace);
  if (!key) keys.set(trace, (key = readKey(trace)));
  return key;
}

function readKey(trace: Trace): TraceKey {
  const full = fullPath(trace.params);
  const request = hopsOf(trace, "request");
  const onPath = new Set(request.map((h) => h.device.id));
  const byStep = new Map(request.map((h) => [h.id, h]));
  const offPath: Record<string, OffPathOption> = {};
  for (const hop of hopsOf(full, "request")) {
    if (!onPath.has(hop.device.id)) offPath[hop.device.id] = { name: hop.device.name, ...notReached(trace, full, hop.device.id) };
  }
  const end = requestEnd(trace).hop;
  for (const decoy of decoysFor(trace.params, full, trace)) {
    // A decoy points at the hop that shows what happens instead; where the request never gets that
    // far, at the hop where it stops.
    const at = byStep.get(decoy.step) ?? end;
    offPath[decoy.id] = { name: decoy.name, why: decoy.why, step: at.id, stepName: at.device.name };
  }
  return {
    hops: request.map((hop) => ({
      device: hop.device.id,
      name: hop.device.name,
      step: hop.id,
      tls: hop.events.some((e) => e.type === "tls-terminate"),
      anycast: hop.events.some((e) => e.type === "anycast-route"),
      role: hopRole(trace, hop),
      tlsWhy: tlsWhy(trace, hop),
      anycastWhy: anycastWhy(hop),
    })),
    offPath,
  };
}

/** The question for a seed: its prompt, its settings, and the devices to choose from. */
export function makeQuestion(seed: number): TraceQuestion {
  return questionOf(seed, questionTrace({ params: questionParams(seed) }));
}

function questionOf(seed: number, trace: Trace, key: TraceKey = traceKey(trace)): TraceQuestion {
  const params = questionParams(seed);
  const random = seededRandom(seed ^ 0x9e3779b9);
  const options = [...optionNames(key)]
    .map(([id, name]) => ({ id, name, order: random() }))
    .sort((a, b) => a.order - b.order)
    .map(({ id, name }) => ({ id, name }));
  return { id: QUESTION_ID, seed, params, prompt: promptOf(params), settings: settingsOf(params), options };
}

/** A question with its key and lab parameters: what a page shows, then grades with `gradeTraceKey`. */
export function questionView(seed: number): QuestionView {
  const params = questionParams(seed);
  const trace = questionTrace({ params });
  const key = traceKey(trace);
  const defaults = scenarioDefaults(getScenario(SCENARIO_ID));
  return { ...questionOf(seed, trace, key), key, lab: { params: { ...defaults, ...params }, defaults } };
}

/** The trace a question is graded against. */
export function questionTrace(question: Pick<TraceQuestion, "params">): Trace {
  return computeTrace(SCENARIO_ID, question.params);
}

/** The right answer, read off the trace: the request hops with their TLS and anycast marks. */
export function answerKey(trace: Trace): TraceAnswer {
  return {
    hops: hopsOf(trace, "request").map((hop) => ({
      device: hop.device.id,
      tls: hop.events.some((e) => e.type === "tls-terminate"),
      anycast: hop.events.some((e) => e.type === "anycast-route"),
    })),
  };
}

/**
 * Grades an answer against a trace: `gradeTraceKey` over the trace's key. `knownDevices`, when given,
 * narrows what counts as on offer.
 *
 * @example gradeTraceAnswer(answerKey(trace), trace) // { type: "graded", score: 1, … }
 */
export function gradeTraceAnswer(answer: TraceAnswer, trace: Trace, knownDevices?: ReadonlySet<string>): TraceGradeResult {
  if (knownDevices && answer.hops.some((h) => !knownDevices.has(h.device))) {
    return { type: "invalid", message: "The answer names a device that is not on offer; remove it and choose from the list." };
  }
  return gradeTraceKey(answer, traceKey(trace));
}
