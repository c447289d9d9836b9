import { assign, setup } from "xstate";
import { decodeLabInput } from "../sim/core/permalink";
import type { Trace } from "../sim/core/trace";
import { InputError } from "../sim/net/errors";
import { cursorAtStep, firstPosition, keepCursor, lastPosition, moveCursor, type CursorPosition, type StepCursor } from "./step-lab.machine";

/**
 * "Paste your own": Kubernetes YAML and a packet (source, destination IP:PORT, protocol, seed) in;
 * the iptables rules kube-proxy would write and the packet's walk through them out, with the step
 * lab's cursor over that walk.
 *
 * Each field keeps its own text and its own error — YAML problems keep their line and column so the
 * lab can show them at the line — and a bad edit never loses the last good result: the rules and the
 * walk stay on screen, marked as belonging to an earlier input, until the input is valid again.
 *
 * The example's result can be given ahead of time (`known`, computed when the site is built), and the
 * rule generator sent in only when it is needed (`manifestLabOnDemand`): packet fields are still
 * checked at once, and an input that needs the generator waits (`waiting`) until the component loads
 * it and sends it in (`SIMULATOR_LOADED`).
 */

export type Protocol = "tcp" | "udp" | "sctp";

/** Generates rules and a walk; throws a `ManifestError` (with `.problems`) or an `InputError` on bad input. */
export type PasteRules = (
  yamlText: string,
  packet: { src: string; dst: string; protocol: Protocol },
  seed: number,
) => { rules: string; trace: Trace };

export type ManifestField = "yaml" | "src" | "dst" | "protocol" | "seed";

/** A problem in the YAML, located the way `kubectl apply` locates it. */
export interface YamlProblem {
  readonly line: number;
  readonly column: number;
  /** The API field path (`spec.ports[0].port`), or "" for a syntax error. */
  readonly path: string;
  readonly message: string;
}

export interface ManifestLabErrors {
  readonly yaml?: readonly YamlProblem[];
  readonly src?: string;
  readonly dst?: string;
  readonly protocol?: string;
  readonly seed?: string;
  /** A permalink that could not be used. */
  readonly link?: string;
  /** The rule generator could not be loaded (the network failed); the next edit tries again. */
  readonly simulator?: string;
}

/** A rule generator's result: the `iptables-save` text and the walk. */
export interface PasteResult {
  readonly rules: string;
  readonly trace: Trace;
}

export interface ManifestLabInput {
  readonly yaml?: string;
  readonly src?: string;
  readonly dst?: string;
  readonly protocol?: string;
  readonly seed?: string;
  readonly services?: number;
  /** The example's result (`EXAMPLE_FIELDS`), computed ahead of time: shown without the generator. */
  readonly known?: PasteResult;
}

export interface ManifestLabContext extends StepCursor {
  readonly yaml: string;
  readonly src: string;
  readonly dst: string;
  readonly protocol: string;
  readonly seed: string;
  readonly errors: ManifestLabErrors;
  /** The last good result's `iptables-save` text; null until one input was valid. */
  readonly rules: string | null;
  /** True when the fields no longer match the result shown (the last edit was refused). */
  readonly stale: boolean;
  /** Cluster size for the mode-cost comparison (Services). */
  readonly services: number;
  readonly known: PasteResult | null;
  /** The generator sent in by `SIMULATOR_LOADED`; null until then. */
  readonly paste: PasteRules | null;
  /** True while an input waits for the generator (`manifestLabOnDemand`); the result shown is the previous one. */
  readonly waiting: boolean;
}

export type ManifestLabEvent =
  | { type: "EDIT"; field: ManifestField; value: string }
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "JUMP_TO_STEP"; stepId: string }
  | { type: "JUMP_TO_SUB"; sub: number; stepId?: string }
  | { type: "FIRST" }
  | { type: "LAST" }
  | { type: "SET_SERVICES"; services: number }
  /** Back to the example manifest and packet. */
  | { type: "RESET" }
  /** A permalink: the encoded fields (`encodeLabInput`) and the cursor. */
  | { type: "LOAD_STATE"; input?: string | null; stepId?: string | null; sub?: number | null; services?: number | null }
  /** The generator, loaded on demand; an input waiting for it is generated now. */
  | { type: "SIMULATOR_LOADED"; paste: PasteRules }
  /** Loading the generator failed (the network dropped): said where a waiting input's result would be. */
  | { type: "SIMULATOR_FAILED"; error: unknown };

/**
 * A Service with two ready endpoints, as a learner would `kubectl apply` it, and the two Nodes they
 * run on: kube-proxy needs its own Node (its addresses decide the NodePort and local-traffic rules),
 * and the walk needs the other one to follow the packet there. `hostnameOverride` says which node this
 * kube-proxy is, and `clusterCIDR` which sources are Pods (the masquerade rule's `! -s`).
 */
export const EXAMPLE_MANIFEST = `apiVersion: v1
kind: Service
metadata:
  name: my-server
  namespace: default
spec:
  type: ClusterIP
  clusterIP: 10.96.0.15
  selector:
    app: my-server
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 8080
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: my-server-7xk2p
  namespace: default
  labels:
    kubernetes.io/service-name: my-server
addressType: IPv4
ports:
- name: http
  protocol: TCP
  port: 8080
endpoints:
- addresses: ["10.4.1.9"]
  conditions:
    ready: true
  nodeName: node-a
- addresses: ["10.4.2.4"]
  conditions:
    ready: true
  nodeName: node-b
---
apiVersion: v1
kind: Node
metadata:
  name: node-a
spec:
  podCIDR: 10.4.1.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.128.0.5
---
apiVersion: v1
kind: Node
metadata:
  name: node-b
spec:
  podCIDR: 10.4.2.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.128.0.6
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.4.0.0/14
hostnameOverride: node-a
`;

export const EXAMPLE_FIELDS = { yaml: EXAMPLE_MANIFEST, src: "10.4.1.7", dst: "10.96.0.15:80", protocol: "tcp", seed: "0" } as const;

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** IPv4 dotted quad or IPv6 text (RFC 4291 §2.2 forms, including an embedded IPv4 tail). */
export function isIpAddress(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!text.includes(":") || (text.match(/::/g) ?? []).length > 1 || text.includes(":::")) return false;
  if (/^:[^:]/.test(text) || /[^:]:$/.test(text)) return false;
  let groups = text.split(":");
  const tail = groups.at(-1)!;
  let extra = 0;
  if (tail.includes(".")) {
    if (!IPV4.test(tail)) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  const filled = groups.filter((g) => g !== "");
  if (!filled.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return text.includes("::") ? filled.length + extra < 8 : filled.length + extra === 8;
}

/** Each packet field's error, or none. */
export function packetErrors(fields: Pick<ManifestLabContext, "src" | "dst" | "protocol" | "seed">): Omit<ManifestLabErrors, "yaml" | "link"> {
  const errors: { src?: string; dst?: string; protocol?: string; seed?: string } = {};
  const src = fields.src.trim();
  if (!isIpAddress(src)) errors.src = `"${src}" is not an IP address; write one like 10.4.1.7 or fd00::7.`;
  const dst = fields.dst.trim();
  const m = /^(?:\[([^\]]+)\]|([^[\]]+)):(\d{1,5})$/.exec(dst);
  if (!m) errors.dst = `"${dst}" is not IP:PORT; write one like 10.96.0.15:80 or [fd00::a]:80.`;
  else if (!isIpAddress((m[1] ?? m[2])!)) errors.dst = `"${(m[1] ?? m[2])!}" is not an IP address.`;
  else if (m[1] === undefined && m[2]!.includes(":")) errors.dst = "Put an IPv6 address in brackets: [fd00::a]:80.";
  else if (Number(m[3]) < 1 || Number(m[3]) > 65535) errors.dst = `Port ${m[3]} is out of range: a port is 1–65535.`;
  if (!["tcp", "udp", "sctp"].includes(fields.protocol)) errors.protocol = `"${fields.protocol}" is not a protocol kube-proxy handles; choose tcp, udp or sctp.`;
  if (!/^\d{1,9}$/.test(fields.seed.trim())) errors.seed = "The seed is a whole number (0 or more): it picks the random draws.";
  return errors;
}

function problemsOf(error: unknown): YamlProblem[] | null {
  const problems = (error as { problems?: unknown } | null)?.problems;
  if (!Array.isArray(problems)) return null;
  return problems.map((p: { line?: number; column?: number; path?: string; message?: string }) => ({
    line: p.line ?? 0,
    column: p.column ?? 0,
    path: p.path ?? "",
    message: p.message ?? String(p),
  }));
}

/** The context when a packet field is bad (each field's error, the YAML's verdict kept); null when the packet is valid. */
function packetChecked(context: ManifestLabContext, event: ManifestLabEvent): Partial<ManifestLabContext> | null {
  const packet = packetErrors(context);
  if (!Object.keys(packet).length) return null;
  // The YAML is only checked by generating; while the packet is invalid, its old verdict stands
  // unless it was the YAML that changed (then it is unknown, so no message).
  const yaml = event.type === "EDIT" && event.field === "yaml" ? undefined : context.errors.yaml;
  const link = context.errors.link ? { link: context.errors.link } : {};
  return { errors: { ...packet, ...(yaml ? { yaml } : {}), ...link }, stale: context.trace !== null, waiting: false };
}

/** The context with a result in: the cursor kept on its step, every error but a link's cleared. */
function resultApplied(context: ManifestLabContext, result: PasteResult): Partial<ManifestLabContext> {
  const cursor = keepCursor(result.trace, context);
  const link = context.errors.link ? { link: context.errors.link } : {};
  return { rules: result.rules, trace: result.trace, stepId: cursor?.stepId ?? null, sub: cursor?.sub ?? null, errors: link, stale: false, waiting: false };
}

/** The context after generating for a valid packet: the known example, else `paste`'s result or its errors. */
function generated(context: ManifestLabContext, paste: PasteRules): Partial<ManifestLabContext> {
  if (context.known && isExample(context)) return resultApplied(context, context.known);
  const link = context.errors.link ? { link: context.errors.link } : {};
  try {
    const protocol = context.protocol as Protocol;
    return resultApplied(context, paste(context.yaml, { src: context.src.trim(), dst: context.dst.trim(), protocol }, Number(context.seed.trim())));
  } catch (error) {
    const problems = problemsOf(error);
    let errors: ManifestLabErrors;
    if (problems) errors = { yaml: problems };
    else if (error instanceof InputError) {
      // An error naming a packet field (or its value) goes there; anything else is about the manifest.
      const field = (["src", "dst", "protocol", "seed"] as const).find((f) => error.input === f || error.input === context[f].trim());
      errors = field ? { [field]: error.reason } : { yaml: [{ line: 0, column: 0, path: "", message: error.message }] };
    } else errors = { yaml: [{ line: 0, column: 0, path: "", message: error instanceof Error ? error.message : String(error) }] };
    return { errors: { ...errors, ...link }, stale: context.trace !== null, waiting: false };
  }
}

/**
 * The `paste` action for a given implementation: validates each packet field, then generates the
 * rules and walk (or takes the known example's), filing every failure under its field; never throws.
 * With no generator (null) and none sent in yet, a valid input waits for `SIMULATOR_LOADED`.
 *
 * @example manifestLabMachine.provide({ actions: { paste: pasteWith(kubeProxyPaste) } })
 */
export function pasteWith(paste: PasteRules | null) {
  return assign<ManifestLabContext, ManifestLabEvent, undefined, ManifestLabEvent, never>(({ context, event }) => {
    const checked = packetChecked(context, event);
    if (checked) return checked;
    const generator = context.paste ?? paste;
    if (generator || (context.known && isExample(context))) return generated(context, generator ?? noImplementation);
    // The YAML's verdict is unknown until generated: kept unless the YAML itself changed.
    const yaml = event.type === "EDIT" && event.field === "yaml" ? undefined : context.errors.yaml;
    const link = context.errors.link ? { link: context.errors.link } : {};
    return { waiting: true, stale: false, errors: { ...(yaml ? { yaml } : {}), ...link } };
  });
}

const noImplementation: PasteRules = () => {
  throw new Error("No rule generator is wired to this lab.");
};

const FIELDS: readonly ManifestField[] = ["yaml", "src", "dst", "protocol", "seed"];

function moveTo(position: CursorPosition | null) {
  return position ? { stepId: position.stepId, sub: position.sub } : {};
}

/** The errors without a link's note: the learner's own change supersedes the link. */
function withoutLink({ link: _link, ...rest }: ManifestLabErrors): ManifestLabErrors {
  return rest;
}

export const manifestLabMachine = setup({
  types: {
    input: {} as ManifestLabInput,
    context: {} as ManifestLabContext,
    events: {} as ManifestLabEvent,
  },
  guards: {
    waiting: ({ context }) => context.waiting,
  },
  actions: {
    /** Injected: see `pasteWith`. */
    paste: pasteWith(noImplementation),
    edit: assign(({ context, event }) =>
      event.type === "EDIT" && FIELDS.includes(event.field) ? { [event.field]: event.value, errors: withoutLink(context.errors) } : {},
    ),
    stepForward: assign(({ context }) => (context.trace ? moveTo(moveCursor(context.trace, context, 1)) : {})),
    stepBack: assign(({ context }) => (context.trace ? moveTo(moveCursor(context.trace, context, -1)) : {})),
    first: assign(({ context }) => (context.trace ? moveTo(firstPosition(context.trace)) : {})),
    last: assign(({ context }) => (context.trace ? moveTo(lastPosition(context.trace)) : {})),
    jumpToStep: assign(({ context, event }) => (event.type === "JUMP_TO_STEP" && context.trace ? moveTo(cursorAtStep(context.trace, event.stepId)) : {})),
    jumpToSub: assign(({ context, event }) => {
      if (event.type !== "JUMP_TO_SUB" || !context.trace) return {};
      const stepId = event.stepId ?? context.stepId;
      return stepId === null ? {} : moveTo(cursorAtStep(context.trace, stepId, event.sub));
    }),
    setServices: assign(({ event }) => (event.type === "SET_SERVICES" && event.services > 0 ? { services: Math.trunc(event.services) } : {})),
    reset: assign(({ context }) => ({ ...EXAMPLE_FIELDS, stepId: null, sub: null, errors: withoutLink(context.errors) })),
    simulatorLoaded: assign(({ event }) => (event.type === "SIMULATOR_LOADED" ? { paste: event.paste } : {})),
    /** Said where the waiting input's result would be; the next edit asks for the generator again. */
    simulatorFailed: assign(({ context, event }) => {
      if (event.type !== "SIMULATOR_FAILED" || !context.waiting) return {};
      const reason = event.error instanceof Error ? event.error.message : String(event.error);
      const simulator = `The rule generator could not be loaded (${reason}); edit again to retry.`;
      return { waiting: false, stale: context.trace !== null, errors: { ...context.errors, simulator } };
    }),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      let fields: Partial<Record<ManifestField, string>> = {};
      let link: string | undefined;
      if (event.input) {
        try {
          const raw = decodeLabInput(event.input);
          if (!raw || typeof raw !== "object") throw new InputError("", "this link's lab state is not a manifest lab's");
          for (const f of FIELDS) {
            const value = (raw as Record<string, unknown>)[f];
            if (typeof value === "string") fields[f] = value;
          }
          if (Object.keys(fields).length === 0) throw new InputError("", "this link's lab state is not a manifest lab's");
        } catch (error) {
          fields = {};
          link = `This link's pasted input could not be read (${error instanceof InputError ? error.reason : String(error)}); the lab shows the example instead.`;
        }
      }
      const cursor = event.stepId ? { stepId: event.stepId, sub: event.sub ?? 0 } : {};
      const services = event.services && event.services > 0 ? { services: Math.trunc(event.services) } : {};
      return { ...fields, ...cursor, ...services, errors: link ? { ...context.errors, link } : context.errors };
    }),
  },
}).createMachine({
  id: "manifestLab",
  context: ({ input }) => ({
    yaml: input.yaml ?? EXAMPLE_FIELDS.yaml,
    src: input.src ?? EXAMPLE_FIELDS.src,
    dst: input.dst ?? EXAMPLE_FIELDS.dst,
    protocol: input.protocol ?? EXAMPLE_FIELDS.protocol,
    seed: input.seed ?? EXAMPLE_FIELDS.seed,
    errors: {},
    rules: null,
    trace: null,
    stepId: null,
    sub: null,
    stale: false,
    services: input.services ?? 1000,
    known: input.known ?? null,
    paste: null,
    waiting: false,
  }),
  entry: "paste",
  on: {
    EDIT: { actions: ["edit", "paste"] },
    STEP_FORWARD: { actions: "stepForward" },
    STEP_BACK: { actions: "stepBack" },
    JUMP_TO_STEP: { actions: "jumpToStep" },
    JUMP_TO_SUB: { actions: "jumpToSub" },
    FIRST: { actions: "first" },
    LAST: { actions: "last" },
    SET_SERVICES: { actions: "setServices" },
    RESET: { actions: ["reset", "paste"] },
    LOAD_STATE: { actions: ["loadState", "paste"] },
    SIMULATOR_LOADED: [{ guard: "waiting", actions: ["simulatorLoaded", "paste"] }, { actions: "simulatorLoaded" }],
    SIMULATOR_FAILED: { actions: "simulatorFailed" },
  },
});

/** The machine wired to a rule generator, for components. */
export function manifestLabWith(paste: PasteRules) {
  return manifestLabMachine.provide({ actions: { paste: pasteWith(paste) } });
}

/**
 * The machine for a lab that opens on the `known` example and gets its generator only when it is
 * needed: while `waiting` — or sooner, when the learner is about to edit — the component loads it and
 * sends `SIMULATOR_LOADED` (or `SIMULATOR_FAILED`).
 */
export const manifestLabOnDemand = manifestLabMachine.provide({ actions: { paste: pasteWith(null) } });

/** Whether the fields still equal the example (a permalink then needs no `in` key). */
export function isExample(context: Pick<ManifestLabContext, ManifestField>): boolean {
  return FIELDS.every((f) => context[f] === EXAMPLE_FIELDS[f]);
}

/** The fields a permalink carries. */
export function linkFields(context: Pick<ManifestLabContext, ManifestField>): Record<ManifestField, string> {
  return { yaml: context.yaml, src: context.src, dst: context.dst, protocol: context.protocol, seed: context.seed };
}
