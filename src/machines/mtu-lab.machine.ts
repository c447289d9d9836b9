import { moveStep, type StepMove } from "./step-moves";
import { assign, setup } from "xstate";
// Straight from the modules, not a barrel: the lesson page loads this machine up front.
import { cniById, parseNodeMtu } from "../sim/kube/mtu/cni";
import { mtuPath, MTU_PATH_DEFAULTS, type MtuPathInput, type MtuPathResult } from "../sim/kube/mtu/path";
import { attempt } from "../sim/net/errors";

/**
 * The MTU lab: a live packet from a Pod — its CNI, the node's MTU, the Pod interface's MTU (blank for
 * the CNI's own), the packet's size, DF, and whether a firewall filters ICMP — stepped hop by hop
 * through the trace `mtuPath` computes. A bad number is reported at its field and the last good trace
 * stays on screen.
 */
export type MtuTextField = "nodeMtu" | "podMtu" | "size" | "linkMtu";

export interface MtuLabSettings {
  readonly cni: string;
  readonly destination: "pod" | "on-prem";
  readonly df: boolean;
  readonly icmpFiltered: boolean;
  readonly texts: Readonly<Record<MtuTextField, string>>;
}

export interface MtuLabContext extends MtuLabSettings {
  readonly errors: Readonly<Partial<Record<MtuTextField, string>>>;
  readonly result: MtuPathResult;
  /** The step on show, 0-based. */
  readonly step: number;
  /** What was wrong with the link the lab was opened from (an unknown preset or step), or null. */
  readonly linkError: string | null;
}

export type MtuLabEvent =
  | { type: "CHANGE"; field: MtuTextField; text: string }
  | { type: "SET_CNI"; cni: string }
  | { type: "SET_DESTINATION"; destination: "pod" | "on-prem" }
  | { type: "TOGGLE"; flag: "df" | "icmpFiltered" }
  | StepMove
  | { type: "LOAD"; preset: string }
  | { type: "LOAD_STEP"; id: string };

/** Named starting points (`mtu.preset=NAME`). */
export const MTU_PRESETS: Readonly<Record<string, MtuLabSettings>> = {
  "vxlan-right": { cni: "calico-vxlan", destination: "pod", df: true, icmpFiltered: false, texts: { nodeMtu: "1460", podMtu: "", size: "", linkMtu: "1400" } },
  "vxlan-pmtud": { cni: "calico-vxlan", destination: "pod", df: true, icmpFiltered: false, texts: { nodeMtu: "1460", podMtu: "1460", size: "", linkMtu: "1400" } },
  "black-hole": { cni: "calico-vxlan", destination: "pod", df: true, icmpFiltered: true, texts: { nodeMtu: "1460", podMtu: "1460", size: "", linkMtu: "1400" } },
  fragments: { cni: "calico-vxlan", destination: "pod", df: false, icmpFiltered: false, texts: { nodeMtu: "1460", podMtu: "1460", size: "", linkMtu: "1400" } },
  "on-prem": { cni: "dataplane-v2", destination: "on-prem", df: true, icmpFiltered: false, texts: { nodeMtu: "1460", podMtu: "", size: "", linkMtu: "1400" } },
  "on-prem-black-hole": { cni: "dataplane-v2", destination: "on-prem", df: true, icmpFiltered: true, texts: { nodeMtu: "1460", podMtu: "", size: "", linkMtu: "1400" } },
};

function whole(text: string, field: MtuTextField, min: number, max: number, what: string): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^[0-9]+$/.test(t) || n < min || n > max) throw new Error(`${field}: ${what} is a whole number from ${min} to ${max}`);
  return n;
}

function evaluate(s: MtuLabSettings, previous: MtuPathResult | null): Pick<MtuLabContext, "errors" | "result"> {
  const errors: Partial<Record<MtuTextField, string>> = {};
  const node = attempt(() => parseNodeMtu(s.texts.nodeMtu));
  if (!node.ok) errors.nodeMtu = node.error.reason;
  const read = (field: MtuTextField, min: number, max: number, what: string, blank: number | null): number | null => {
    if (s.texts[field].trim() === "" && blank !== -1) return blank;
    try {
      return whole(s.texts[field], field, min, max, what);
    } catch (e) {
      errors[field] = (e as Error).message.slice(field.length + 2);
      return null;
    }
  };
  const pod = read("podMtu", 68, 9000, "a Pod MTU", null);
  const size = read("size", 41, 9000, "the packet size in bytes", null);
  const link = read("linkMtu", 576, 9000, "the link MTU", -1);
  const fallback = previous ?? mtuPath(MTU_PATH_DEFAULTS);
  if (Object.keys(errors).length) return { errors, result: fallback };
  const input: MtuPathInput = {
    cni: cniById(s.cni).id, nodeMtu: node.ok ? node.value : 1460, podMtu: pod, size, df: s.df, icmpFiltered: s.icmpFiltered,
    destination: s.destination, linkMtu: link ?? 1400,
  };
  return { errors, result: mtuPath(input) };
}

const settingsOf = (c: MtuLabContext): MtuLabSettings => ({ cni: c.cni, destination: c.destination, df: c.df, icmpFiltered: c.icmpFiltered, texts: c.texts });

function update(c: MtuLabContext, next: MtuLabSettings): Partial<MtuLabContext> {
  return { ...next, ...evaluate(next, c.result), step: 0, linkError: null };
}

export const mtuLabMachine = setup({
  types: {
    context: {} as MtuLabContext,
    events: {} as MtuLabEvent,
    input: {} as { preset?: string },
  },
  actions: {
    apply: assign(({ context, event }) => {
      const s = settingsOf(context);
      const last = context.result.trace.steps.length - 1;
      switch (event.type) {
        case "CHANGE": return update(context, { ...s, texts: { ...s.texts, [event.field]: event.text } });
        case "SET_CNI": return update(context, { ...s, cni: event.cni });
        case "SET_DESTINATION": return update(context, { ...s, destination: event.destination });
        case "TOGGLE": return update(context, { ...s, [event.flag]: !s[event.flag] });
        case "LOAD":
          return Object.hasOwn(MTU_PRESETS, event.preset)
            ? update(context, MTU_PRESETS[event.preset]!)
            : { linkError: `The link names a preset this lab does not have; it opened on the default. Presets: ${Object.keys(MTU_PRESETS).join(", ")}.` };
        case "LOAD_STEP": {
          const at = context.result.trace.steps.findIndex((s) => s.id === event.id);
          return at >= 0 ? { step: at } : { linkError: `The link names a step this trace does not have; it opened on step 1. Steps: ${context.result.trace.steps.map((s) => s.id).join(", ")}.` };
        }
        case "NEXT":
        case "PREV":
        case "FIRST":
        case "LAST":
        case "GOTO": return { step: moveStep(event, context.step, last) };
      }
    }),
  },
}).createMachine({
  id: "mtuLab",
  context: ({ input }) => {
    const s = MTU_PRESETS[input.preset ?? "vxlan-pmtud"] ?? MTU_PRESETS["vxlan-pmtud"]!;
    return { ...s, ...evaluate(s, null), step: 0, linkError: null };
  },
  on: { "*": { actions: "apply" } },
});
