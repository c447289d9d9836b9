import { computeTrace, getScenario, hopsOf, type ParamSpec, type Trace } from "../sim/index";
import { seededRandom } from "../sim/random";
import { longestCommonSubsequence, setAgreement, type Departure, type GradeResult, type PartResult } from "./grade";

/**
 * Question 1: trace a request from the browser to the Pod, naming every hop in order and marking
 * where TLS terminates and where an anycast routing decision is made. The key is the computed trace.
 */
export const QUESTION_ID = "trace-the-request";
export const SCENARIO_ID = "cloudflare-gke";

export interface HopAnswer {
  readonly device: string;
  readonly tls: boolean;
  readonly anycast: boolean;
}
export interface TraceAnswer {
  readonly hops: readonly HopAnswer[];
}

export interface DeviceOption {
  readonly id: string;
  readonly name: string;
}

export interface TraceQuestion {
  readonly id: string;
  readonly seed: number;
  readonly params: Readonly<Record<string, string>>;
  readonly prompt: string;
  /** Devices to choose from: the ones on either path plus plausible wrong ones, in a seeded order. */
  readonly options: readonly DeviceOption[];
}

/**
 * Devices people often put on this path that are not on it, each with why. These are distractors,
 * not answer keys: whether a device is on the path is always read from the trace.
 */
export const DISTRACTORS: Readonly<Record<string, { name: string; why: string }>> = {
  glb: {
    name: "Global load balancer box (us-central1)",
    why: "There is no separate load-balancer box: the URL map, backend service and NEG you configure are evaluated inside the GFE at the edge.",
  },
  "kube-proxy": {
    name: "kube-proxy rules on the node (DNAT to a Pod)",
    why: "With a container-native NEG the GFE already addresses the Pod IP; the node's Service rules (kube-proxy or its eBPF replacement) are never consulted.",
  },
  nodeport: {
    name: "NodePort on a node",
    why: "NodePort is the older instance-group path (GFE → node → DNAT → Pod). A NEG sends straight to the Pod.",
  },
  "cloud-nat": {
    name: "Cloud NAT gateway",
    why: "Cloud NAT only translates connections that Pods and VMs open towards the internet; it is never on an inbound request's path.",
  },
};

/** A scenario parameter's spec; the question names cities and regions exactly as the scenario labels them. */
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

/** Seed 0 is the canonical question (Paris, Cloudflare on, us-central1); other seeds vary it. */
export function questionParams(seed: number): Record<string, string> {
  if (seed === 0) return { city: "paris", cloudflare: "on", region: "us-central1" };
  const random = seededRandom(seed);
  return {
    city: pick(random, valuesOf("city")),
    cloudflare: pick(random, ["on", "off"]),
    region: pick(random, valuesOf("region")),
  };
}

/** The question for a seed: its prompt, its parameters, and the devices to choose from. */
export function makeQuestion(seed: number): TraceQuestion {
  const params = questionParams(seed);
  const devices = new Map<string, string>();
  // The question's own trace names the devices; the other Cloudflare setting adds the ones it lacks.
  const other = params.cloudflare === "on" ? "off" : "on";
  for (const cloudflare of [params.cloudflare!, other]) {
    for (const hop of computeTrace(SCENARIO_ID, { ...params, cloudflare }).hops) {
      if (!devices.has(hop.device.id)) devices.set(hop.device.id, hop.device.name);
    }
  }
  for (const [id, d] of Object.entries(DISTRACTORS)) devices.set(id, d.name);
  const random = seededRandom(seed ^ 0x9e3779b9);
  const options = [...devices].map(([id, name]) => ({ id, name, order: random() })).sort((a, b) => a.order - b.order);
  const city = labelOf("city", params.city!);
  const front =
    params.cloudflare === "on"
      ? "The site is behind Cloudflare's proxy (orange cloud), with no Cache Rule, so Cloudflare does not cache the page."
      : "Cloudflare is not used: DNS points straight at the load balancer's Google address.";
  return {
    id: QUESTION_ID,
    seed,
    params,
    prompt:
      `A user in ${city} loads https://www.example.com/. ${front} The GKE cluster runs in ${labelOf("region", params.region!)} ` +
      "behind an Ingress with container-native load balancing. List, in order, every device the request passes through " +
      "from the browser to the Pod, and mark each hop where TLS terminates and each hop where an anycast routing decision sends the packet.",
    options: options.map(({ id, name }) => ({ id, name })),
  };
}

/** The trace a question is graded against. */
export function questionTrace(question: Pick<TraceQuestion, "params" | "seed">): Trace {
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

const WEIGHTS = { order: 0.6, tls: 0.2, anycast: 0.2 };

function nameOf(trace: Trace, id: string): string {
  return trace.hops.find((h) => h.device.id === id)?.device.name ?? DISTRACTORS[id]?.name ?? id;
}

/**
 * Grades an answer against the trace. Pure: the same answer and trace always give the same result.
 *
 * @example gradeTraceAnswer(answerKey(trace), trace) // { type: "graded", score: 1, … }
 */
export function gradeTraceAnswer(answer: TraceAnswer, trace: Trace, knownDevices?: ReadonlySet<string>): GradeResult {
  if (answer.hops.length === 0) return { type: "incomplete", message: "Add the hops the request passes through, starting with the browser." };
  if (answer.hops.length < 2) return { type: "incomplete", message: "A request passes more than one device: keep adding hops." };
  const seen = new Set<string>();
  for (const hop of answer.hops) {
    if (knownDevices && !knownDevices.has(hop.device)) return { type: "invalid", message: `"${hop.device}" is not one of the devices on offer.` };
    if (seen.has(hop.device)) return { type: "invalid", message: `${nameOf(trace, hop.device)} appears twice; a request passes each device once on its way in.` };
    seen.add(hop.device);
  }

  const key = answerKey(trace);
  const request = hopsOf(trace, "request");
  const expectedIds = key.hops.map((h) => h.device);
  const givenIds = answer.hops.map((h) => h.device);
  const common = longestCommonSubsequence(expectedIds, givenIds);
  const orderNotes: string[] = [];
  const missing = expectedIds.filter((id) => !givenIds.includes(id));
  const extra = givenIds.filter((id) => !expectedIds.includes(id));
  if (missing.length) orderNotes.push(`Missing: ${missing.map((id) => nameOf(trace, id)).join(", ")}.`);
  if (extra.length) orderNotes.push(`Not on this path: ${extra.map((id) => nameOf(trace, id)).join(", ")}.`);
  if (!missing.length && !extra.length && common < expectedIds.length) orderNotes.push("The right devices, but not in the order the packet meets them.");

  const markPart = (id: "tls" | "anycast", label: string, eventName: { withArticle: string; bare: string }): PartResult => {
    const expected = new Set(key.hops.filter((h) => h[id]).map((h) => h.device));
    const given = new Set(answer.hops.filter((h) => h[id]).map((h) => h.device));
    const notes: string[] = [];
    for (const d of expected) if (!given.has(d)) notes.push(`${nameOf(trace, d)} has ${eventName.withArticle} you did not mark.`);
    for (const d of given) if (!expected.has(d)) notes.push(`No ${eventName.bare} at ${nameOf(trace, d)}.`);
    return { id, label, earned: setAgreement(expected, given), weight: WEIGHTS[id], notes };
  };

  const parts: PartResult[] = [
    { id: "order", label: "Hops in order", earned: common / Math.max(expectedIds.length, givenIds.length), weight: WEIGHTS.order, notes: orderNotes },
    markPart("tls", "TLS terminations", { withArticle: "a TLS termination", bare: "TLS termination" }),
    markPart("anycast", "Anycast decisions", { withArticle: "an anycast routing decision", bare: "anycast routing decision" }),
  ];
  const score = Math.round(parts.reduce((sum, p) => sum + p.earned * p.weight, 0) * 1000) / 1000;
  return { type: "graded", score, parts, firstDeparture: firstDeparture(answer, key, trace, request.map((h) => trace.hops.indexOf(h))) };
}

function firstDeparture(answer: TraceAnswer, key: TraceAnswer, trace: Trace, traceIndex: readonly number[]): Departure | null {
  const length = Math.max(answer.hops.length, key.hops.length);
  for (let i = 0; i < length; i++) {
    const given = answer.hops[i];
    const expected = key.hops[i];
    const at = `Hop ${i + 1}`;
    if (!expected) {
      return { position: i, traceHop: null, message: `${at}: the request ends at ${nameOf(trace, key.hops.at(-1)!.device)}; nothing comes after it.` };
    }
    const hopIndex = traceIndex[i] ?? null;
    const expectedName = nameOf(trace, expected.device);
    if (!given) return { position: i, traceHop: hopIndex, message: `${at}: the answer stops, but the trace goes on to ${expectedName}.` };
    if (given.device !== expected.device) {
      const distractor = DISTRACTORS[given.device];
      const later = key.hops.findIndex((h) => h.device === given.device);
      const why = distractor
        ? distractor.why
        : later < 0
          ? `${nameOf(trace, given.device)} is not on this path with these settings.`
          : `${nameOf(trace, given.device)} comes at hop ${later + 1}.`;
      return { position: i, traceHop: hopIndex, message: `${at}: the trace has ${expectedName} here, not ${nameOf(trace, given.device)}. ${why}` };
    }
    if (given.tls !== expected.tls) {
      return {
        position: i, traceHop: hopIndex,
        message: expected.tls ? `${at}: TLS terminates at ${expectedName}, which you did not mark.` : `${at}: ${expectedName} does not terminate TLS; it forwards what it cannot read.`,
      };
    }
    if (given.anycast !== expected.anycast) {
      return {
        position: i, traceHop: hopIndex,
        message: expected.anycast
          ? `${at}: ${expectedName} is where the anycast route chooses the nearest site; mark it.`
          : `${at}: ${expectedName} makes no anycast decision; the packet's destination was chosen before it arrived.`,
      };
    }
  }
  return null;
}
