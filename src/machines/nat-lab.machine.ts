import { assign, setup } from "xstate";
// Straight from the modules, not a barrel: the lesson page loads this machine up front.
import { InputError } from "../sim/net/errors";
import { parseCount, parseDestination, runNat, type NatRun } from "../sim/kube/egress/nat";
import { egressPath, unsolicitedInbound, type DestinationKind, type EgressSetup, type EgressTrace } from "../sim/kube/egress/path";

/**
 * The Cloud NAT lab: a gateway (VMs, NAT IPs, min and max ports, dynamic allocation, endpoint-independent
 * mapping) and one node sending N concurrent connections to one destination — its port table filling and
 * the first OUT_OF_RESOURCES drop — plus a path chooser (destination, PGA, NAT coverage, masquerading)
 * that shows which way a packet leaves. Each text field keeps its own message; the rest keeps working.
 */
export type NatTextField = "vms" | "natIps" | "minPorts" | "maxPorts" | "connections" | "to";
export type NatSwitch = "dynamic" | "eim";
export const NAT_TEXT_FIELDS: readonly NatTextField[] = ["vms", "natIps", "minPorts", "maxPorts", "connections", "to"];

export interface NatLabContext {
  readonly texts: Readonly<Record<NatTextField, string>>;
  readonly dynamic: boolean;
  readonly eim: boolean;
  readonly errors: Readonly<Partial<Record<NatTextField | NatSwitch, string>>>;
  /** The run for node-0's connections; null while a field cannot be read. */
  readonly run: NatRun | null;
  readonly path: EgressSetup;
  readonly trace: EgressTrace;
  /** Whether the lab is showing an unsolicited inbound packet instead of the outbound path. */
  readonly inbound: boolean;
  readonly linkError: string | null;
}

export type NatLabEvent =
  | { type: "CHANGE"; field: NatTextField; text: string }
  | { type: "TOGGLE"; field: NatSwitch }
  | { type: "SET_PATH"; setup: Partial<EgressSetup> }
  | { type: "INBOUND"; on: boolean }
  | { type: "LOAD"; preset?: string; texts?: Partial<Record<NatTextField, string>>; dynamic?: boolean; eim?: boolean; path?: Partial<EgressSetup>; inbound?: boolean; ignored?: readonly string[]; invalid?: readonly string[] };

interface Preset {
  readonly texts: Readonly<Record<NatTextField, string>>;
  readonly dynamic: boolean;
  readonly eim: boolean;
  readonly path: EgressSetup;
}

const DEFAULT_PATH: EgressSetup = { destination: "internet", pga: true, nat: "primary", from: "pod", masquerade: true };

/** Named starting points, for the lesson and question links (`nat.preset=NAME`). */
export const NAT_PRESETS: Readonly<Record<string, Preset>> = {
  default: { texts: { vms: "3", natIps: "1", minPorts: "64", maxPorts: "", connections: "70", to: "8.8.8.8:443/tcp" }, dynamic: false, eim: false, path: DEFAULT_PATH },
  full: { texts: { vms: "1009", natIps: "1", minPorts: "64", maxPorts: "", connections: "10", to: "8.8.8.8:443/tcp" }, dynamic: false, eim: false, path: DEFAULT_PATH },
  dynamic: { texts: { vms: "3", natIps: "1", minPorts: "32", maxPorts: "256", connections: "200", to: "8.8.8.8:443/tcp" }, dynamic: true, eim: false, path: DEFAULT_PATH },
  "no-pga": { texts: { vms: "3", natIps: "1", minPorts: "64", maxPorts: "", connections: "10", to: "8.8.8.8:443/tcp" }, dynamic: false, eim: false, path: { ...DEFAULT_PATH, destination: "private-googleapis", pga: false, nat: "none" } },
};

export const DESTINATION_KINDS: readonly DestinationKind[] = ["internet", "googleapis", "private-googleapis", "restricted-googleapis", "control-plane"];

type Settings = Pick<NatLabContext, "texts" | "dynamic" | "eim">;

function evaluate({ texts, dynamic, eim }: Settings): Pick<NatLabContext, "errors" | "run"> {
  const errors: Partial<Record<NatTextField | NatSwitch, string>> = {};
  const read = <T,>(field: NatTextField, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (error instanceof InputError) errors[field] = error.reason;
      else throw error;
      return undefined;
    }
  };
  const vms = read("vms", () => parseCount(texts.vms, "VMs", 1, 10000));
  const natIps = read("natIps", () => parseCount(texts.natIps, "NAT IPs", 1, 300));
  const minPorts = texts.minPorts.trim() === "" ? undefined : read("minPorts", () => parseCount(texts.minPorts, "Min ports per VM", 2, 65536));
  const maxPorts = texts.maxPorts.trim() === "" ? undefined : read("maxPorts", () => parseCount(texts.maxPorts, "Max ports per VM", 2, 65536));
  const count = read("connections", () => parseCount(texts.connections, "Connections", 1, 20000));
  const to = read("to", () => parseDestination(texts.to));
  if (dynamic && eim) errors.eim = "Endpoint-independent mapping cannot be on with dynamic port allocation (the API refuses it).";
  if (maxPorts !== undefined && !dynamic && !errors.maxPorts) errors.maxPorts = "Max ports only applies with dynamic port allocation: switch it on, or clear this field.";
  if (Object.keys(errors).length || vms === undefined || natIps === undefined || count === undefined || !to) return { errors, run: null };
  try {
    return { errors, run: runNat({ natIps, minPorts, maxPorts, dynamic, eim }, vms, [{ vm: 0, destination: to, count }]) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const field: NatTextField = maxPorts !== undefined && dynamic && error.input === String(maxPorts) ? "maxPorts" : "minPorts";
    return { errors: { [field]: error.reason }, run: null };
  }
}

function pathTrace(path: EgressSetup, inbound: boolean): EgressTrace {
  return inbound ? unsolicitedInbound(1024) : egressPath(path);
}

export interface NatLabInput {
  readonly preset?: string;
}

function fromPreset(preset: Preset): Omit<NatLabContext, "linkError"> {
  const settings = { texts: preset.texts, dynamic: preset.dynamic, eim: preset.eim };
  return { ...settings, ...evaluate(settings), path: preset.path, trace: pathTrace(preset.path, false), inbound: false };
}

export const natLabMachine = setup({
  types: {
    context: {} as NatLabContext,
    events: {} as NatLabEvent,
    input: {} as NatLabInput,
  },
  actions: {
    change: assign(({ context, event }) => {
      if (event.type !== "CHANGE") return {};
      const texts = { ...context.texts, [event.field]: event.text };
      return { texts, ...evaluate({ ...context, texts }), linkError: null };
    }),
    toggle: assign(({ context, event }) => {
      if (event.type !== "TOGGLE") return {};
      const next = { ...context, [event.field]: !context[event.field] };
      return { [event.field]: next[event.field], ...evaluate(next) };
    }),
    setPath: assign(({ context, event }) => {
      if (event.type !== "SET_PATH") return {};
      const path = { ...context.path, ...event.setup };
      return { path, inbound: false, trace: pathTrace(path, false) };
    }),
    inbound: assign(({ context, event }) => {
      if (event.type !== "INBOUND") return {};
      return { inbound: event.on, trace: pathTrace(context.path, event.on) };
    }),
    load: assign(({ context, event }) => {
      if (event.type !== "LOAD") return {};
      const known = event.preset === undefined || Object.hasOwn(NAT_PRESETS, event.preset);
      const base = known && event.preset ? fromPreset(NAT_PRESETS[event.preset]!) : context;
      const settings = { texts: { ...base.texts, ...event.texts }, dynamic: event.dynamic ?? base.dynamic, eim: event.eim ?? base.eim };
      const path = { ...base.path, ...event.path };
      const parts = [
        known ? "" : `The link names a preset this lab does not have; it opened on the current settings. Presets: ${Object.keys(NAT_PRESETS).join(", ")}.`,
        event.invalid?.length ? `The link's value for ${event.invalid.join(", ")} is not one this lab can use; it was ignored.` : "",
        event.ignored?.length ? `This lab has no ${event.ignored.join(", ")} setting; the link's value for it was ignored.` : "",
      ].filter(Boolean);
      const inbound = event.inbound ?? false;
      return { ...settings, ...evaluate(settings), path, inbound, trace: pathTrace(path, inbound), linkError: parts.join(" ") || null };
    }),
  },
}).createMachine({
  id: "natLab",
  context: ({ input }) => ({ ...fromPreset(NAT_PRESETS[input.preset ?? "default"] ?? NAT_PRESETS.default!), linkError: null }),
  on: {
    CHANGE: { actions: "change" },
    TOGGLE: { actions: "toggle" },
    SET_PATH: { actions: "setPath" },
    INBOUND: { actions: "inbound" },
    LOAD: { actions: "load" },
  },
});
