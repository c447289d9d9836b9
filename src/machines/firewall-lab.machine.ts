import { assign, setup } from "xstate";
// Straight from their modules, not a barrel, and no YAML loader: the worlds come precomputed.
import { formatFirewallRule, parseFirewallRule, type FirewallRule } from "../sim/kube/policy/firewall";
import { firewallLabWorld } from "../sim/kube/policy/firewall-lab";
// firewall-layers, not firewall-trace: kube-proxy's rule writer and the netfilter walker come on
// demand (WALKER_READY), the first time a trace gets past the VPC firewall.
import { traceFirewallLayers, WalkerNeeded, type ExternalWalker, type FirewallTraceResult } from "../sim/kube/policy/firewall-layers";
import { parseCidr, parseIp } from "../sim/kube/manifest/ip";

/**
 * The firewall lab: an external client's packet to `shop/web` (a GKE LoadBalancer Service on two
 * nodes), stepped layer by layer — health checks, VPC firewall, kube-proxy, externalTrafficPolicy,
 * NetworkPolicy — with the deciding rule of each. The learner edits the client address, the Service's
 * loadBalancerSourceRanges, its externalTrafficPolicy, whether the NetworkPolicy and GKE's own
 * firewall rules are there, and a list of their own firewall rules. A bad value keeps its message at
 * its field while the trace stays on the last values that worked.
 */
export interface RuleRow {
  readonly text: string;
  readonly error: string | null;
}

export interface FirewallLabContext {
  readonly clientText: string;
  readonly rangesText: string;
  readonly trafficPolicy: "Cluster" | "Local";
  readonly policy: boolean;
  readonly gkeRules: boolean;
  readonly rules: readonly RuleRow[];
  readonly errors: { readonly client?: string; readonly ranges?: string; readonly link?: string };
  /** The values the trace was computed from (the last valid ones). */
  readonly client: string;
  readonly ranges: readonly string[];
  readonly result: FirewallTraceResult;
  /** How many layers are shown (1 … 5). */
  readonly step: number;
  readonly announcement: string;
  /** Walks a packet through kube-proxy's rules; null until the island has loaded it. */
  readonly walker: ExternalWalker | null;
  /** The trace needs the walker: the island loads it and sends WALKER_READY (the values wait here). */
  readonly pending: boolean;
  /** A link's step, applied once the pending trace is computed. */
  readonly pendingStep: string | null;
}

export type FirewallLabEvent =
  | { type: "SET_CLIENT"; text: string }
  | { type: "SET_RANGES"; text: string }
  | { type: "SET_TRAFFIC_POLICY"; value: "Cluster" | "Local" }
  | { type: "SET_POLICY"; on: boolean }
  | { type: "SET_GKE_RULES"; on: boolean }
  | { type: "ADD_RULE" }
  | { type: "EDIT_RULE"; index: number; text: string }
  | { type: "REMOVE_RULE"; index: number }
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "SHOW_ALL" }
  | { type: "WALKER_READY"; walk: ExternalWalker }
  | { type: "WALKER_FAILED"; message: string }
  /** A link's state: each value as the address bar holds it, null when absent. */
  | { type: "LOAD_STATE"; client: string | null; ranges: string | null; etp: string | null; policy: string | null; gke: string | null; rules: string | null; step: string | null };

export interface FirewallLabInput {
  /** The walker up front (tests); the island leaves it out and loads it on demand. */
  readonly walk?: ExternalWalker;
  readonly client?: string;
  readonly trafficPolicy?: "Cluster" | "Local";
}

export const FIREWALL_LAB_SERVICE = "shop/web";
const LAYERS = 5;
export const NEW_RULE = "my-rule,900,allow,0.0.0.0/0,tcp:443";

export function checkClient(text: string): string | null {
  const ip = parseIp(text.trim());
  if (ip === null) return "Enter an IPv4 address, e.g. 198.51.100.7.";
  if (ip.family !== "IPv4") return "This cluster is IPv4-only; enter an IPv4 address.";
  return null;
}

/** Source ranges as the Service field takes them: CIDRs separated by commas or spaces; empty = none. */
export function parseRanges(text: string): readonly string[] | string {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "");
  for (const p of parts) {
    const block = parseCidr(p);
    if (block === null || block.family !== "IPv4") return `“${p}” is not an IPv4 CIDR such as 198.51.100.0/24.`;
  }
  return parts;
}

type Values = Pick<FirewallLabContext, "client" | "ranges" | "trafficPolicy" | "policy" | "gkeRules" | "rules" | "walker">;

/** The trace, or null when it needs kube-proxy's walker and that is not loaded yet. */
function compute(c: Values): FirewallTraceResult | null {
  const userRules = c.rules.flatMap((r): FirewallRule[] => {
    const parsed = parseFirewallRule(r.text);
    return typeof parsed === "string" ? [] : [parsed];
  });
  const world = firewallLabWorld(c.trafficPolicy, c.ranges, c.policy);
  try {
    return traceFirewallLayers({
      state: world.state,
      policies: world.policies,
      service: FIREWALL_LAB_SERVICE,
      client: c.client,
      userRules,
      gkeRules: c.gkeRules,
      ...(c.walker ? { walk: c.walker } : {}),
    });
  } catch (error) {
    if (error instanceof WalkerNeeded) return null;
    throw error;
  }
}

const LOADING = "Loading kube-proxy's rules for this node…";

export function summary(r: FirewallTraceResult): string {
  return r.delivered
    ? `Delivered to ${r.endpoint} via ${r.node}; the Pod sees ${r.sourceSeenByPod}.`
    : `Dropped at ${r.droppedAt!.layer} by ${r.droppedAt!.rule}.`;
}

function shownSteps(r: FirewallTraceResult): number {
  const reached = r.layers.filter((l) => l.verdict !== "not-reached").length;
  return Math.max(1, reached);
}

/** Recompute after an edit; every layer reached is shown, and the live region reads the outcome. */
function refresh(c: FirewallLabContext, patch: Partial<FirewallLabContext>): Partial<FirewallLabContext> {
  const next = { ...c, ...patch };
  const result = compute(next);
  if (result === null) return { ...patch, pending: true, announcement: LOADING };
  return { ...patch, result, pending: false, step: shownSteps(result), announcement: summary(result) };
}

/** The first view, computed without the walker: the default client never gets past the VPC firewall. */
const initial = (input: FirewallLabInput): FirewallLabContext => {
  const base = { clientText: input.client ?? "192.0.2.50", rangesText: "198.51.100.0/24", trafficPolicy: input.trafficPolicy ?? "Cluster", policy: true, gkeRules: true, rules: [] as RuleRow[], errors: {} };
  const client = checkClient(base.clientText) === null ? base.clientText.trim() : "192.0.2.50";
  const ctx = { ...base, client, ranges: ["198.51.100.0/24"], walker: input.walk ?? null, pendingStep: null };
  const result = compute(ctx);
  if (result !== null) return { ...ctx, result, pending: false, step: shownSteps(result), announcement: summary(result) };
  // The client given needs kube-proxy's rules: show the default client's trace until they arrive.
  const fallback = compute({ ...ctx, client: "192.0.2.50" })!;
  return { ...ctx, result: fallback, pending: true, step: shownSteps(fallback), announcement: LOADING };
};

export const firewallLabMachine = setup({
  types: { context: {} as FirewallLabContext, events: {} as FirewallLabEvent, input: {} as FirewallLabInput },
  actions: {
    setClient: assign(({ context, event }) => {
      if (event.type !== "SET_CLIENT") return {};
      const error = checkClient(event.text);
      if (error) return { clientText: event.text, errors: { ...context.errors, client: error }, announcement: `Client address: ${error}` };
      const { client: _gone, ...errors } = context.errors;
      return refresh(context, { clientText: event.text, client: event.text.trim(), errors });
    }),
    setRanges: assign(({ context, event }) => {
      if (event.type !== "SET_RANGES") return {};
      const ranges = parseRanges(event.text);
      if (typeof ranges === "string") return { rangesText: event.text, errors: { ...context.errors, ranges }, announcement: `Source ranges: ${ranges}` };
      const { ranges: _gone, ...errors } = context.errors;
      return refresh(context, { rangesText: event.text, ranges, errors });
    }),
    setTrafficPolicy: assign(({ context, event }) => (event.type === "SET_TRAFFIC_POLICY" ? refresh(context, { trafficPolicy: event.value }) : {})),
    setPolicy: assign(({ context, event }) => (event.type === "SET_POLICY" ? refresh(context, { policy: event.on }) : {})),
    setGkeRules: assign(({ context, event }) => (event.type === "SET_GKE_RULES" ? refresh(context, { gkeRules: event.on }) : {})),
    addRule: assign(({ context }) => refresh(context, { rules: [...context.rules, { text: `${NEW_RULE.replace("my-rule", `my-rule-${context.rules.length + 1}`)}`, error: null }] })),
    editRule: assign(({ context, event }) => {
      if (event.type !== "EDIT_RULE" || !context.rules[event.index]) return {};
      const parsed = parseFirewallRule(event.text);
      const rules = context.rules.map((r, i) => (i === event.index ? { text: event.text, error: typeof parsed === "string" ? parsed : null } : r));
      if (typeof parsed === "string") return { rules, announcement: `Rule ${event.index + 1}: ${parsed}` };
      return refresh(context, { rules });
    }),
    removeRule: assign(({ context, event }) => (event.type === "REMOVE_RULE" ? refresh(context, { rules: context.rules.filter((_, i) => i !== event.index) }) : {})),
    stepForward: assign(({ context }) => {
      const step = Math.min(shownSteps(context.result), context.step + 1);
      const l = context.result.layers[step - 1]!;
      return { step, announcement: `Layer ${step}, ${l.layer}: ${l.verdict}${l.rule ? ` (${l.rule})` : ""}.` };
    }),
    stepBack: assign(({ context }) => {
      const step = Math.max(1, context.step - 1);
      const l = context.result.layers[step - 1]!;
      return { step, announcement: `Layer ${step}, ${l.layer}: ${l.verdict}${l.rule ? ` (${l.rule})` : ""}.` };
    }),
    walkerReady: assign(({ context, event }) => {
      if (event.type !== "WALKER_READY") return {};
      const out = refresh(context, { walker: event.walk, pendingStep: null });
      const n = Number(context.pendingStep);
      if (out.result && context.pendingStep !== null) {
        const max = shownSteps(out.result);
        if (/^\d+$/.test(context.pendingStep) && n >= 1 && n <= max) return { ...out, step: n };
        return { ...out, errors: { ...context.errors, link: `The link's step “${context.pendingStep.slice(0, 40)}” could not be used (1–${max} here); the lab shows the rest.` } };
      }
      return out;
    }),
    walkerFailed: assign(({ context, event }) => (event.type === "WALKER_FAILED" ? { pending: false, announcement: `kube-proxy's rules could not be loaded (${event.message}); the trace shows the last values that worked.`, errors: { ...context.errors, link: `kube-proxy's rules could not be loaded: ${event.message}` } } : {})),
    showAll: assign(({ context }) => ({ step: shownSteps(context.result), announcement: summary(context.result) })),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      const bad: string[] = [];
      let next: FirewallLabContext = context;
      const patch = (p: Partial<FirewallLabContext>) => { next = { ...next, ...p }; };
      if (event.client !== null) {
        if (checkClient(event.client) === null) patch({ clientText: event.client, client: event.client.trim() });
        else bad.push(`client “${event.client.slice(0, 40)}”`);
      }
      if (event.ranges !== null) {
        const r = parseRanges(event.ranges);
        if (typeof r === "string") bad.push(`ranges “${event.ranges.slice(0, 40)}”`);
        else patch({ rangesText: r.join(", "), ranges: r });
      }
      if (event.etp !== null) {
        if (event.etp === "Cluster" || event.etp === "Local") patch({ trafficPolicy: event.etp });
        else bad.push(`etp “${event.etp.slice(0, 40)}” (Cluster or Local)`);
      }
      for (const [key, value, field] of [["policy", event.policy, "policy"], ["gke", event.gke, "gkeRules"]] as const) {
        if (value === null) continue;
        if (value === "on" || value === "off") patch({ [field]: value === "on" } as Partial<FirewallLabContext>);
        else bad.push(`${key} “${value.slice(0, 40)}” (on or off)`);
      }
      if (event.rules !== null) {
        const texts = event.rules.split(/\s+/).filter((t) => t !== "").slice(0, 8);
        const rows = texts.map((text) => {
          const parsed = parseFirewallRule(text);
          return { text, error: typeof parsed === "string" ? parsed : null };
        });
        if (rows.some((r) => r.error) || texts.length === 0) bad.push(`rules “${event.rules.slice(0, 40)}”`);
        patch({ rules: rows.filter((r) => r.error === null) });
      }
      const computed = compute(next);
      const result = computed ?? context.result;
      let step = shownSteps(result);
      if (event.step !== null && computed !== null) {
        const n = Number(event.step);
        if (/^\d+$/.test(event.step) && n >= 1 && n <= step) step = n;
        else bad.push(`step “${event.step.slice(0, 40)}” (1–${step} here)`);
      }
      const link = bad.length ? `The link's ${bad.join(", ")} could not be used; the lab shows the rest.` : undefined;
      const { link: _gone, ...errors } = next.errors;
      // A link whose trace needs kube-proxy's rules waits for them; its step is applied on arrival.
      if (computed === null) return { ...next, pending: true, pendingStep: event.step, errors: link ? { ...errors, link } : errors, announcement: link ?? LOADING };
      return { ...next, result, step, errors: link ? { ...errors, link } : errors, announcement: link ?? summary(result) };
    }),
  },
}).createMachine({
  id: "firewallLab",
  context: ({ input }) => initial(input ?? {}),
  initial: "ready",
  states: {
    ready: {
      on: {
        SET_CLIENT: { actions: "setClient" },
        SET_RANGES: { actions: "setRanges" },
        SET_TRAFFIC_POLICY: { actions: "setTrafficPolicy" },
        SET_POLICY: { actions: "setPolicy" },
        SET_GKE_RULES: { actions: "setGkeRules" },
        ADD_RULE: { actions: "addRule" },
        EDIT_RULE: { actions: "editRule" },
        REMOVE_RULE: { actions: "removeRule" },
        STEP_FORWARD: { actions: "stepForward" },
        STEP_BACK: { actions: "stepBack" },
        SHOW_ALL: { actions: "showAll" },
        WALKER_READY: { actions: "walkerReady" },
        WALKER_FAILED: { actions: "walkerFailed" },
        LOAD_STATE: { actions: "loadState" },
      },
    },
  },
});

/** The permalink keys the lab reads, `<labId>.<key>`. */
export const FIREWALL_LINK_KEYS = ["client", "ranges", "etp", "policy", "gke", "rules", "step"] as const;
export { formatFirewallRule, LAYERS };
