import { assign, setup } from "xstate";
// Straight from their modules, not a barrel: the lesson page loads this machine up front.
// The YAML loader is not among them: presets come precomputed (preset-worlds.ts) and pasted policies
// are parsed by src/sim/kube/policy/parse.ts, which the island loads on the first edit and hands back
// as PARSED events.
import type { Protocol } from "../sim/kube/model";
import { podKey, type PolicyVerdict } from "../sim/kube/policy/evaluate";
import type { PolicyCluster } from "../sim/kube/policy/load";
import { policyMatrix } from "../sim/kube/policy/matrix";
import type { ParsedPolicies, PolicyProblem } from "../sim/kube/policy/parse";
import { presetWorlds } from "../sim/kube/policy/preset-worlds";
import { policyPresets, presetById } from "../sim/kube/policy/presets";
import { policyTrace } from "../sim/kube/policy/trace";
import { decodeLabInput } from "../sim/core/permalink";
import type { Trace } from "../sim/core/trace";
import { attempt } from "../sim/net/errors";

/**
 * The NetworkPolicy matrix: the same Pods, a set of policies (a preset or the learner's own YAML) and
 * one port; every source × destination cell allowed or denied, and the selected cell's trace — which
 * direction dropped it, by which policy, after which rules. A bad policy file or port keeps its
 * message at its field while the matrix stays on the last policies that loaded.
 */
export type { PolicyProblem };

export interface MatrixView {
  readonly pods: readonly string[];
  /** cells[from][to], in pod order. */
  readonly cells: readonly (readonly PolicyVerdict[])[];
  readonly port: number;
  readonly protocol: Protocol;
}

export interface PolicyMatrixContext {
  readonly presetId: string;
  readonly policiesText: string;
  readonly portText: string;
  readonly protocol: Protocol;
  readonly errors: { readonly policies?: readonly PolicyProblem[]; readonly port?: string; readonly link?: string };
  readonly cluster: PolicyCluster;
  readonly matrix: MatrixView;
  readonly selected: { readonly from: string; readonly to: string } | null;
  readonly trace: Trace | null;
  /** The sentence the live region reads after each change. */
  readonly announcement: string;
  /** The pasted text waiting for the parser (the island loads it and sends PARSED); null when none is. */
  readonly parsing: string | null;
  /** A cell a link asked for, opened once its policies are parsed. */
  readonly pendingCell: { readonly from: string; readonly to: string } | null;
}

export type PolicyMatrixEvent =
  | { type: "PRESET"; id: string }
  | { type: "EDIT_POLICIES"; text: string }
  | { type: "CHANGE_PORT"; text: string }
  | { type: "CHANGE_PROTOCOL"; protocol: Protocol }
  | { type: "SELECT_CELL"; from: string; to: string }
  | { type: "CLOSE_TRACE" }
  | { type: "PARSED"; text: string; result: ParsedPolicies }
  | { type: "PARSER_FAILED"; message: string }
  /** A link's state: a preset, or pasted policies (`encodeLabInput({ policies })`), a port, a cell. */
  | { type: "LOAD_STATE"; preset: string | null; input?: string | null; port?: string | null; protocol?: string | null; from: string | null; to: string | null };

export interface PolicyMatrixInput {
  readonly preset?: string;
}

function parsePort(text: string): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return "Enter a port number from 1 to 65535, e.g. 8080.";
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : "A port is between 1 and 65535.";
}

function matrixOf(cluster: PolicyCluster, port: number, protocol: Protocol): MatrixView {
  const cells = policyMatrix(cluster, cluster.pods, port, protocol);
  return { pods: cluster.pods.map(podKey), cells: cells.map((row) => row.map((c) => c.verdict)), port, protocol };
}

function traceOf(cluster: PolicyCluster, view: MatrixView, selected: PolicyMatrixContext["selected"]): Trace | null {
  if (selected === null) return null;
  const from = cluster.pods.find((p) => podKey(p) === selected.from);
  const to = cluster.pods.find((p) => podKey(p) === selected.to);
  if (from === undefined || to === undefined) return null;
  return policyTrace(cluster, { from: { kind: "pod", pod: from }, to: { kind: "pod", pod: to }, port: view.port, protocol: view.protocol }).trace;
}

function summary(view: MatrixView): string {
  const all = view.cells.flat();
  const allowed = all.filter((v) => v.allowed).length;
  return `${allowed} of ${all.length} pairs allowed on ${view.port}/${view.protocol}.`;
}

/**
 * Recomputes what follows from the texts: the matrix and the trace, on `loaded` (a preset's cluster or
 * a parse result) or, when the policies are still being parsed, on the cluster in hand.
 */
function recompute(ctx: PolicyMatrixContext, patch: Partial<PolicyMatrixContext>, loaded: ParsedPolicies | null = null): PolicyMatrixContext {
  const next = { ...ctx, ...patch };
  const port = parsePort(next.portText);
  const problems = loaded !== null && "problems" in loaded ? loaded.problems : loaded === null ? ctx.errors.policies : undefined;
  const errors = {
    ...(problems !== undefined ? { policies: problems } : {}),
    ...(typeof port === "string" ? { port } : {}),
  };
  const cluster = loaded !== null && "cluster" in loaded ? loaded.cluster : ctx.cluster;
  const view = matrixOf(cluster, typeof port === "number" ? port : ctx.matrix.port, next.protocol);
  const keep = next.selected !== null && view.pods.includes(next.selected.from) && view.pods.includes(next.selected.to) ? next.selected : null;
  const trace = traceOf(cluster, view, keep);
  const note = problems !== undefined ? ` The policies have ${problems.length} problem${problems.length === 1 ? "" : "s"}; the matrix shows the last policies that loaded.` : "";
  const cell = trace === null ? "" : ` ${keep!.from} to ${keep!.to}: ${trace.outcome.summary}.`;
  return { ...next, errors, cluster, matrix: view, selected: keep, trace, announcement: `${summary(view)}${note}${cell}` };
}

function presetPatch(id: string): { patch: Partial<PolicyMatrixContext>; world: PolicyCluster } | null {
  const preset = presetById(id);
  const world = presetWorlds[id];
  if (preset === undefined || world === undefined) return null;
  return { patch: { presetId: preset.id, policiesText: preset.policies, portText: String(preset.port), protocol: preset.protocol, selected: null, parsing: null, pendingCell: null }, world };
}

function initial(presetId: string): PolicyMatrixContext {
  const preset = presetById(presetId) ?? policyPresets[0]!;
  const cluster = presetWorlds[preset.id]!;
  const matrix = matrixOf(cluster, preset.port, preset.protocol);
  return { presetId: preset.id, policiesText: preset.policies, portText: String(preset.port), protocol: preset.protocol, errors: {}, cluster, matrix,
    selected: null, trace: null, announcement: summary(matrix), parsing: null, pendingCell: null };
}

export const policyMatrixMachine = setup({
  types: {
    context: {} as PolicyMatrixContext,
    events: {} as PolicyMatrixEvent,
    input: {} as PolicyMatrixInput,
  },
  actions: {
    preset: assign(({ context, event }) => {
      if (event.type !== "PRESET") return context;
      const found = presetPatch(event.id);
      return found === null ? context : recompute(context, found.patch, { cluster: found.world });
    }),
    editPolicies: assign(({ context, event }) => (event.type === "EDIT_POLICIES" ? { ...context, policiesText: event.text, presetId: "custom", parsing: event.text } : context)),
    parsed: assign(({ context, event }) => {
      // An answer for text the learner has since changed is dropped: a newer parse is on its way.
      if (event.type !== "PARSED" || event.text !== context.parsing) return context;
      const next = recompute(context, { parsing: null, pendingCell: null, selected: context.pendingCell ?? context.selected }, event.result);
      return next;
    }),
    parserFailed: assign(({ context, event }) => (event.type === "PARSER_FAILED"
      ? { ...context, parsing: null, errors: { ...context.errors, link: `The YAML reader could not be loaded (${event.message}); edit the policies to try again.` } } : context)),
    changePort: assign(({ context, event }) => (event.type === "CHANGE_PORT" ? recompute(context, { portText: event.text }) : context)),
    changeProtocol: assign(({ context, event }) => (event.type === "CHANGE_PROTOCOL" ? recompute(context, { protocol: event.protocol }) : context)),
    select: assign(({ context, event }) => (event.type === "SELECT_CELL" ? recompute(context, { selected: { from: event.from, to: event.to } }) : context)),
    close: assign(({ context }) => ({ ...context, selected: null, trace: null, announcement: "Trace closed." })),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return context;
      let ctx = context;
      const linkError = (message: string) => ({ ...ctx, errors: { ...ctx.errors, link: message } });
      if (event.preset !== null) {
        const found = presetPatch(event.preset);
        if (found === null) return linkError(`The link names preset "${event.preset}", which this lab does not have; showing ${context.presetId}.`);
        ctx = recompute(ctx, found.patch, { cluster: found.world });
      }
      const protocol = event.protocol?.toUpperCase();
      if (protocol === "TCP" || protocol === "UDP" || protocol === "SCTP") ctx = recompute(ctx, { protocol });
      if (event.port != null) ctx = recompute(ctx, { portText: event.port });
      const cell = event.from !== null && event.to !== null ? { from: event.from, to: event.to } : null;
      if (event.input != null) {
        const decoded = attempt(() => decodeLabInput(event.input!));
        const policies = decoded.ok ? (decoded.value as { policies?: unknown }).policies : undefined;
        if (!decoded.ok || typeof policies !== "string") return linkError(`The link's policies could not be read (${decoded.ok ? "no policies in it" : decoded.error.reason}); showing ${ctx.presetId}.`);
        // The cell opens once the pasted policies are parsed (PARSED).
        return { ...ctx, presetId: "custom", policiesText: policies, parsing: policies, pendingCell: cell, selected: null, trace: null };
      }
      if (cell !== null) {
        if (!ctx.matrix.pods.includes(cell.from) || !ctx.matrix.pods.includes(cell.to)) {
          return linkError(`The link names ${cell.from} → ${cell.to}; this lab's Pods are ${ctx.matrix.pods.join(", ")}.`);
        }
        ctx = recompute(ctx, { selected: cell });
      }
      return ctx;
    }),
  },
}).createMachine({
  id: "policyMatrix",
  context: ({ input }) => initial(input.preset ?? "default-deny"),
  on: {
    PRESET: { actions: "preset" },
    EDIT_POLICIES: { actions: "editPolicies" },
    CHANGE_PORT: { actions: "changePort" },
    CHANGE_PROTOCOL: { actions: "changeProtocol" },
    SELECT_CELL: { actions: "select" },
    CLOSE_TRACE: { actions: "close" },
    LOAD_STATE: { actions: "loadState" },
    PARSED: { actions: "parsed" },
    PARSER_FAILED: { actions: "parserFailed" },
  },
});
