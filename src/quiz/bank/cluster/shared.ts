import { encodeLabInput } from "../../../sim/core/permalink";
import type { Step, Trace } from "../../../sim/core/trace";
import { kubeProxyPaste, runKubeScenario, type JourneyInput } from "../../../sim/kube/index";
import { loadCluster } from "./cluster-yaml";
import type { PacketUnit } from "../../../sim/net/packet-unit";
import { shuffle } from "../draw";
import type { AnswerOf, Choice, LabLink, MisconceptionAnswer, QuestionKind, Why } from "../../engine/types";

/**
 * What the in-cluster templates share: options with their rubric in a seeded order, the lessons' labs,
 * and journeys run the way the paste-your-own lab runs them (so a link reopens the very trace).
 */

export const LESSONS = {
  endpointSlices: "services-and-endpointslices",
  kubeProxy: "services-and-kube-proxy",
  waysIn: "ways-in-from-outside",
} as const;

export const lessonPage = (slug: string): string => `/lessons/${slug}/`;

/** An option with why it is right or wrong for this variant and the step that shows it. */
export interface Candidate {
  readonly id: string;
  readonly text: string;
  readonly correct: boolean;
  readonly why: string;
  readonly step: string | null;
}

/**
 * Options in a seeded order, the rubric by option id, and the ids of the right ones.
 * @throws Error when two options share an id or a text (a template bug the bank's tests catch)
 */
export function arrange(candidates: readonly Candidate[], random: () => number): { options: Choice[]; rubric: Record<string, Why>; correct: string[] } {
  const ids = new Set(candidates.map((c) => c.id));
  const texts = new Set(candidates.map((c) => c.text));
  if (ids.size !== candidates.length) throw new Error(`duplicate option ids: ${candidates.map((c) => c.id).join(", ")}`);
  if (texts.size !== candidates.length) throw new Error(`duplicate option texts: ${candidates.map((c) => c.text).join(" | ")}`);
  const order = shuffle(random, candidates);
  return {
    options: order.map((c) => ({ id: c.id, text: c.text })),
    rubric: Object.fromEntries(order.map((c) => [c.id, { why: c.why, step: c.step }])),
    correct: order.filter((c) => c.correct).map((c) => c.id),
  };
}

/** The wrong model's answer, kept only when it differs from the key. */
export function misconceptionIf<K extends QuestionKind>(id: string, answer: AnswerOf[K] | null, key: AnswerOf[K]): MisconceptionAnswer<K>[] {
  if (answer === null || JSON.stringify(answer) === JSON.stringify(key)) return [];
  return [{ misconception: id, answer }];
}

/** @throws Error when the trace has no such step (a template bug) */
export function stepOf(trace: Trace<PacketUnit>, id: string): Step & { in: PacketUnit | null; out: PacketUnit | null } {
  const step = trace.steps.find((s) => s.id === id);
  if (!step) throw new Error(`trace ${trace.scenario} has no step "${id}"; it has ${trace.steps.map((s) => s.id).join(", ")}`);
  return step;
}

/** The step where kube-proxy's rules met the packet first. */
export function entryStep(trace: Trace<PacketUnit>): Step & { in: PacketUnit | null; out: PacketUnit | null } {
  const step = trace.steps.find((s) => s.stage === "entry-node");
  if (!step) throw new Error(`trace ${trace.scenario} has no entry-node step`);
  return step;
}

export const hostPort = (ip: string, port: number): string => `${ip}:${port}`;
export const srcOf = (p: PacketUnit): string => hostPort(p.src, p.srcPort);
export const dstOf = (p: PacketUnit): string => hostPort(p.dst, p.dstPort);

/** The row a decision table holds for a sub-step's reference. */
export function rowOf(trace: Trace, ref: { table: string; row: number | null } | undefined): string | null {
  if (!ref || ref.row === null) return null;
  return trace.tables.find((t) => t.id === ref.table)?.rows[ref.row] ?? null;
}

/** The rows of a decision table by id. @throws Error when the trace has no such table */
export function tableRows(trace: Trace, id: string): readonly string[] {
  const table = trace.tables.find((t) => t.id === id);
  if (!table) throw new Error(`trace ${trace.scenario} has no table "${id}"`);
  return table.rows;
}

/**
 * Traces recently computed, by scenario, input, seed and model. A journey is a pure function of those,
 * and a variant asks for the same ones again when it is rebuilt (the practice page, the bank's
 * determinism check), so the last few are kept rather than recomputed (each costs a manifest load,
 * rule generation and several netfilter walks).
 */
const recent = new Map<string, Trace<PacketUnit>>();
const RECENT_LIMIT = 64;
function remembered(key: string, compute: () => Trace<PacketUnit>): Trace<PacketUnit> {
  const hit = recent.get(key);
  if (hit) {
    recent.delete(key);
    recent.set(key, hit);
    return hit;
  }
  const trace = compute();
  recent.set(key, trace);
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value!);
  return trace;
}

/** `runKubeScenario` with a full input, remembered. */
export function journey(id: string, input: JourneyInput, seed: number, model: string | null = null): Trace<PacketUnit> {
  return remembered(JSON.stringify([id, input, seed, model]), () => runKubeScenario(id, input, seed, model));
}

/** `runKubeScenario` on a named preset, remembered. */
export function presetJourney(id: string, preset: string, seed: number, model: string | null = null): Trace<PacketUnit> {
  return remembered(JSON.stringify([id, preset, seed, model]), () => runKubeScenario(id, preset, seed, model));
}

/** A packet the paste-your-own lab takes: a sender, a destination IP:PORT, a protocol. */
export interface PastePacket {
  readonly src: string;
  readonly dst: string;
  readonly protocol: "tcp" | "udp" | "sctp";
}

/**
 * The journey the paste-your-own lab computes for these manifests and this packet (a sender the
 * manifests list as a Pod enters at its node, any other at kube-proxy's node), under a wrong model
 * when one is named. The same input as `kubeProxyPaste`, so `pasteLab` reopens the same trace.
 */
export function pasteJourney(yaml: string, packet: PastePacket, seed: number, model: string | null = null): Trace<PacketUnit> {
  if (model === null) return remembered(JSON.stringify(["paste", yaml, packet, seed]), () => kubeProxyPaste(yaml, packet, seed).trace);
  const state = loadCluster(yaml);
  const known = state.pods.find((p) => p.podIPs.includes(packet.src));
  const input: JourneyInput = {
    yaml,
    from: known?.nodeName
      ? { kind: "pod", namespace: known.metadata.namespace, name: known.metadata.name, ip: packet.src, node: known.nodeName }
      : { kind: "external", ip: packet.src, name: "The sender" },
    to: packet.dst,
    protocol: packet.protocol,
    entryNode: known?.nodeName ?? state.nodeName,
    loadBalancer: "none",
    dnsName: null,
  };
  return journey("clusterip-from-pod", input, seed, model);
}

/** The paste-your-own lab (services-and-kube-proxy) opened on these manifests, this packet and seed. */
export function pasteLab(yaml: string, packet: PastePacket, seed: number): LabLink {
  return {
    page: lessonPage(LESSONS.kubeProxy),
    lab: "paste",
    query: { "paste.in": encodeLabInput({ yaml, src: packet.src, dst: packet.dst, protocol: packet.protocol, seed: String(seed) }) },
  };
}

/** `<lab>.seed` when the trace was computed at a seed other than 0 (the labs open at seed 0). */
const seedQuery = (lab: string, seed: number): Record<string, string> => (seed === 0 ? {} : { [`${lab}.seed`]: String(seed) });

/** An in-cluster step lab on a named preset, at the seed the variant's trace was computed with. */
export function presetLab(lesson: string, lab: string, preset: string, seed = 0): LabLink {
  return { page: lessonPage(lesson), lab, query: { [`${lab}.preset`]: preset, ...seedQuery(lab, seed) } };
}

/** An in-cluster step lab opened on a whole journey input, at the seed the variant's trace was computed with. */
export function inputLab(lesson: string, lab: string, input: JourneyInput, seed = 0): LabLink {
  return { page: lessonPage(lesson), lab, query: { [`${lab}.in`]: encodeLabInput(input), ...seedQuery(lab, seed) } };
}

/** "1 endpoint", "3 endpoints". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
