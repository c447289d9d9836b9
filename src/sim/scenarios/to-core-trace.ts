import { StepBuilder, type DecisionTable, type Outcome, type Stage, type SubStep, type Trace as CoreTrace, type Unit } from "../core/trace";
import { describeEvent } from "../describe";
import { GFE_DEFAULT_BACKEND, GFE_URL_MAP } from "../edge/gfe";
import type { HttpLayer, Layer, Packet, TlsLayer } from "../net/packet";
import { LEG_STAGES, type Hop, type Trace, type TraceEvent } from "../trace";

/**
 * The flagship's trace in the core's shape (`core/trace.ts`), so the step lab, answer keys and saved
 * progress can treat it like any other scenario: its legs are the stages, each hop a step with its
 * stable id, the packets units, the events `{ type, text }`; the decisions a learner would look up
 * in a table — a router's routes to an anycast prefix, a balancer's candidates, the URL map — become
 * decision tables with the row that decided; and the outcome says what the browser finally got and
 * which step produced it.
 */

/** A packet as the edge journey carries it: a stack of layers, outermost first (`net/packet.ts`). */
export interface LayeredPacketUnit extends Unit {
  readonly kind: "layered-packet";
  readonly layers: readonly Layer[];
}

const unit = (p: Packet | null): LayeredPacketUnit | null => (p ? { kind: "layered-packet", layers: p.layers } : null);

type Decision = { table: DecisionTable; sub: SubStep };

/** `show ip bgp` style: `*>` marks the best path, `*` the other valid ones. */
function ribDecision(id: string, e: Extract<TraceEvent, { type: "anycast-route" }>): Decision {
  const rows = e.candidates.map((c) =>
    `${c.site === e.chosen ? "*>" : "* "} ${e.prefix}  exit ${c.site}  LocPrf ${c.localPref ?? "-"}  AS-path length ${c.asPathLength ?? "-"}  from ${c.learnedFrom ?? "-"}  ${c.distanceKm} km`);
  const row = e.candidates.findIndex((c) => c.site === e.chosen);
  return {
    table: { id, title: `Routes to ${e.prefix} (AS${e.originAs})`, format: "rib", rows },
    sub: { kind: "route", label: `best path: exit ${e.chosen}`, detail: e.why, taken: true, ref: { table: id, row } },
  };
}

/** A balancer's candidates, one row each; no row when nothing could be chosen. */
function candidatesDecision(id: string, e: Extract<TraceEvent, { type: "lb-select" }>): Decision {
  const row = e.candidates.findIndex((c) => c.id === e.chosen);
  return {
    table: { id, title: `${e.layer}: ${e.algorithm}`, format: "candidates", rows: e.candidates.map((c) => `${c.id}  ${c.detail}`) },
    sub: { kind: "select", label: e.chosen ? `${e.layer} picks ${e.chosen}` : `${e.layer} picks no backend`, detail: e.why, taken: e.chosen !== null, ref: { table: id, row: row < 0 ? null : row } },
  };
}

/** The URL map's host rule, then its default service (the table's default: row null). */
function urlMapDecision(id: string, e: Extract<TraceEvent, { type: "url-map" }>): Decision {
  return {
    table: {
      id, title: "URL map", format: "url-map",
      rows: [`hosts ${GFE_URL_MAP.host}  paths ${GFE_URL_MAP.pathPrefix}*  → ${GFE_URL_MAP.backendService}`, `defaultService → ${GFE_DEFAULT_BACKEND}`],
    },
    sub: {
      kind: "rule", label: e.matchedRule ?? "defaultService",
      detail: e.matchedRule ? `Host ${e.host}, path ${e.path} matches the host rule` : `no host rule for ${e.host}: the default service answers`,
      taken: true, ref: { table: id, row: e.matchedRule ? 0 : 1 },
    },
  };
}

function decisions(hop: Hop): Decision[] {
  const out: Decision[] = [];
  hop.events.forEach((e, i) => {
    const id = `${hop.id}/${e.type}#${i}`;
    if (e.type === "anycast-route") out.push(ribDecision(id, e));
    else if (e.type === "lb-select") out.push(candidatesDecision(id, e));
    else if (e.type === "url-map") out.push(urlMapDecision(id, e));
  });
  return out;
}

const httpOf = (p: Packet | null) => p?.layers.find((l): l is HttpLayer => l.kind === "http");
const tlsOf = (p: Packet | null) => p?.layers.find((l): l is TlsLayer => l.kind === "tls");

/**
 * Where the answer came from, in the words a learner needs first: who wrote it, at which device, and
 * — when it is not the application's — why (served from the cache; no healthy endpoint; no host rule).
 */
function outcomeSummary(trace: Trace, hop: Hop, by: string): string {
  const where = hop.device.name;
  if (by === "Cloudflare's cache") {
    const cache = trace.hops.flatMap((h) => h.events).find((e): e is Extract<TraceEvent, { type: "cache" }> => e.type === "cache");
    return `Served from Cloudflare's cache at ${where}, cf-cache-status ${cache?.result ?? "HIT"}: Google's edge and the Pod never saw this request.`;
  }
  if (/failed_to_pick_backend/.test(by)) return `No healthy endpoint: ${where} had no Pod to send the request to and answered itself, ${by.replace(/^the GFE \(|\)$/g, "")}.`;
  if (/default service/.test(by)) {
    const host = httpOf(trace.hops.find((h) => h.events.some((e) => e.type === "url-map"))?.in ?? null)?.host;
    return `No host rule${host ? ` for ${host}` : ""}: the URL map's default service answered at ${where} — ${by.replace(/^the URL map's default service \(|\)$/g, "")}.`;
  }
  if (hop.device.kind === "pod") return `Written by the ${by} in ${where}: the request reached the Pod.`;
  return `Written by ${by}, at ${where}.`;
}

/**
 * What the browser finally got, and the step that produced it: an HTTP status from whoever wrote
 * it (the Pod, Cloudflare's cache or error page, the GFE), or — when no HTTP response ever came — the
 * TLS alert that ended the handshake, at the hop that sent it.
 */
export function flagshipOutcome(trace: Trace): Outcome {
  const last = trace.hops.at(-1);
  if (!last) throw new Error(`trace ${trace.scenario} has no hops`);
  const status = httpOf(last.in)?.status;
  if (status) {
    for (const hop of trace.hops) {
      if (hop.direction !== "response") continue;
      const respond = hop.events.find((e): e is Extract<TraceEvent, { type: "respond" }> => e.type === "respond" && e.status === status);
      if (respond) return { status, at: hop.id, summary: outcomeSummary(trace, hop, respond.by) };
    }
    throw new Error(`no hop wrote the ${status} the browser received`);
  }
  const alerts = trace.hops.flatMap((hop) => hop.events.flatMap((e) => (e.type === "tls-alert" ? [{ hop, e }] : [])));
  const ending = alerts.at(-1);
  if (!ending) throw new Error(`the browser received neither HTTP nor a TLS alert (${tlsOf(last.in)?.alert ?? "no alert"})`);
  return { status: `TLS alert ${ending.e.alert}`, at: ending.hop.id, summary: `${ending.e.sentBy} ends the handshake; no HTTP response. ${ending.e.why}` };
}

/**
 * The flagship's trace as a core trace. A trace that went through JSON has lost its (non-enumerable)
 * stages; the flagship's own are used then.
 *
 * @example toCoreTrace(computeTrace("cloudflare-gke")).outcome // { status: "200 OK", at: "response:pod", … }
 */
export function toCoreTrace(trace: Trace): CoreTrace<LayeredPacketUnit> {
  const legStages = trace.stages ?? LEG_STAGES;
  const stages: Stage[] = legStages.map((s) => ({ id: s.id, title: s.title, summary: s.summary }));
  const stageOf = new Map(legStages.map((s) => [s.leg, s.id]));
  const b = new StepBuilder<LayeredPacketUnit>(stages);
  for (const hop of trace.hops) {
    const made = decisions(hop);
    for (const d of made) b.table(d.table);
    b.add({
      id: hop.id,
      stage: stageOf.get(hop.leg) ?? `leg-${hop.leg}`,
      node: { id: hop.device.id, kind: hop.device.kind, name: hop.device.name, place: hop.device.location },
      in: unit(hop.in),
      out: unit(hop.out),
      time: { ms: hop.timeMs, fibreMs: hop.propagationMs },
      events: hop.events.map((e) => ({ type: e.type, text: describeEvent(e) })),
      sub: made.map((d) => d.sub),
      tables: made.map((d) => d.table.id),
    });
  }
  return b.build({ scenario: trace.scenario, input: trace.params, seed: trace.seed, model: trace.model ?? null, outcome: flagshipOutcome(trace) });
}
