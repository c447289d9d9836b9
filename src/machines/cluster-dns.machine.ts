import { assign, setup } from "xstate";
// Straight from their modules (no barrels): the lab page loads this machine up front.
import { EXAMPLE_NAMESPACES } from "../sim/kube/dns/example";
import { podLookup, type PodLookup } from "../sim/kube/dns/pod-resolver";
import { DNS_POLICIES, type DnsPolicy, type Nameserver } from "../sim/kube/dns/resolv-conf";

/**
 * The DNS resolver stepper: a Pod (namespace, dnsPolicy, hostNetwork, which DNS server), a name typed by the
 * learner, and the queries glibc sends for it, revealed one at a time. `shown` counts the queries revealed;
 * the rest of the candidates are listed as "not sent yet" — and, after the stop, as never sent.
 */
export type ResolverField = "name" | "ndots";
export const NAMESERVERS: readonly Nameserver[] = ["kube-dns", "node-local-link-local", "cloud-dns"];

export interface ClusterDnsContext {
  readonly namespace: string;
  readonly dnsPolicy: DnsPolicy;
  readonly nameserver: Nameserver;
  readonly hostNetwork: boolean;
  readonly nameText: string;
  /** "" means the Pod's own ndots option. */
  readonly ndotsText: string;
  readonly errors: Readonly<Partial<Record<ResolverField, string>>>;
  /** The last valid lookup (kept while a field is invalid, so the rest of the lab keeps working). */
  readonly lookup: PodLookup;
  readonly shown: number;
  /** What a link into the lab carried that the lab could not use, one sentence each. */
  readonly linkProblems: readonly string[];
}

export type ClusterDnsEvent =
  | { type: "CHANGE"; field: ResolverField; text: string }
  | { type: "SET_NAMESPACE"; namespace: string }
  | { type: "SET_POLICY"; dnsPolicy: DnsPolicy }
  | { type: "SET_NAMESERVER"; nameserver: Nameserver }
  | { type: "SET_HOST_NETWORK"; hostNetwork: boolean }
  | { type: "STEP_FORWARD" }
  | { type: "STEP_BACK" }
  | { type: "SHOW_ALL" }
  | { type: "RESET" }
  | { type: "LOAD"; state: { namespace?: string; dnsPolicy?: string; nameserver?: string; nameText?: string; ndotsText?: string; hostNetwork?: boolean } };

export interface ClusterDnsInput {
  readonly namespace?: string;
  readonly dnsPolicy?: DnsPolicy;
  readonly nameserver?: Nameserver;
  readonly name?: string;
}

const LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/** Checks a typed name: labels of letters, digits, hyphens (and _ for SRV-style names), at most one trailing dot. */
export function nameProblem(text: string): string | null {
  const name = text.trim();
  if (name === "") return "Type a name, such as web or www.example.com.";
  if (name.length > 253) return "A DNS name is at most 253 characters.";
  const labels = (name.endsWith(".") ? name.slice(0, -1) : name).split(".");
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return bad === "" ? "Empty label: two dots in a row, or a leading dot." : `"${bad}" is not a valid label: letters, digits and inner hyphens, at most 63 characters.`;
  return null;
}

export function ndotsProblem(text: string): string | null {
  if (text.trim() === "") return null;
  return /^\d+$/.test(text.trim()) && Number(text) <= 15 ? null : "ndots is a whole number from 0 to 15 (glibc caps it at 15).";
}

type Settings = Omit<ClusterDnsContext, "errors" | "lookup" | "shown" | "linkProblems">;

function evaluate(settings: Settings, previous: PodLookup | null): Pick<ClusterDnsContext, "errors" | "lookup" | "shown"> {
  const errors: Partial<Record<ResolverField, string>> = {};
  const nameError = nameProblem(settings.nameText);
  if (nameError) errors.name = nameError;
  const ndotsError = ndotsProblem(settings.ndotsText);
  if (ndotsError) errors.ndots = ndotsError;
  const ndots = ndotsError || settings.ndotsText.trim() === "" ? undefined : Number(settings.ndotsText);
  const base = { namespace: settings.namespace, dnsPolicy: settings.dnsPolicy, nameserver: settings.nameserver, hostNetwork: settings.hostNetwork };
  const lookup = nameError && previous
    ? podLookup({ ...base, name: previous.resolution.name, ...(ndots === undefined ? {} : { ndots }) })
    : podLookup({ ...base, name: nameError ? "web" : settings.nameText.trim(), ...(ndots === undefined ? {} : { ndots }) });
  return { errors, lookup, shown: 1 };
}

function settingsOf(context: ClusterDnsContext): Settings {
  const { errors: _e, lookup: _l, shown: _s, linkProblems: _p, ...settings } = context;
  return settings;
}

function withSettings(context: ClusterDnsContext, patch: Partial<Settings>): ClusterDnsContext {
  const settings = { ...settingsOf(context), ...patch };
  return { ...settings, ...evaluate(settings, context.lookup), linkProblems: context.linkProblems };
}

const shortText = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

export const clusterDnsMachine = setup({
  types: {
    context: {} as ClusterDnsContext,
    events: {} as ClusterDnsEvent,
    input: {} as ClusterDnsInput,
  },
  actions: {
    change: assign(({ context, event }) => {
      if (event.type !== "CHANGE") return {};
      return withSettings(context, event.field === "name" ? { nameText: event.text } : { ndotsText: event.text });
    }),
    setNamespace: assign(({ context, event }) =>
      event.type === "SET_NAMESPACE" && (EXAMPLE_NAMESPACES as readonly string[]).includes(event.namespace) ? withSettings(context, { namespace: event.namespace }) : {}),
    setPolicy: assign(({ context, event }) =>
      event.type === "SET_POLICY" && DNS_POLICIES.includes(event.dnsPolicy) ? withSettings(context, { dnsPolicy: event.dnsPolicy }) : {}),
    setNameserver: assign(({ context, event }) =>
      event.type === "SET_NAMESERVER" && NAMESERVERS.includes(event.nameserver) ? withSettings(context, { nameserver: event.nameserver }) : {}),
    setHostNetwork: assign(({ context, event }) => (event.type === "SET_HOST_NETWORK" ? withSettings(context, { hostNetwork: event.hostNetwork }) : {})),
    load: assign(({ context, event }) => {
      if (event.type !== "LOAD") return {};
      const s = event.state;
      const patch: { -readonly [K in keyof Settings]?: Settings[K] } = {};
      const problems: string[] = [];
      const choose = <T extends string>(key: string, value: string | undefined, allowed: readonly T[], set: (v: T) => void) => {
        if (value === undefined || value.trim() === "") return;
        if ((allowed as readonly string[]).includes(value)) set(value as T);
        else problems.push(`The link's ${key}=${shortText(value)} is not one of ${allowed.join(", ")}; the lab keeps its setting.`);
      };
      choose("ns", s.namespace, EXAMPLE_NAMESPACES, (v) => (patch.namespace = v));
      choose("policy", s.dnsPolicy, DNS_POLICIES, (v) => (patch.dnsPolicy = v));
      choose("server", s.nameserver, NAMESERVERS, (v) => (patch.nameserver = v));
      if (s.hostNetwork !== undefined) patch.hostNetwork = s.hostNetwork;
      if (s.nameText !== undefined && s.nameText.trim() !== "") {
        patch.nameText = s.nameText;
        const problem = nameProblem(s.nameText);
        if (problem) problems.push(`The link's name ${shortText(s.nameText)} is not a DNS name: ${problem}`);
      }
      if (s.ndotsText !== undefined && s.ndotsText.trim() !== "") {
        patch.ndotsText = s.ndotsText;
        const problem = ndotsProblem(s.ndotsText);
        if (problem) problems.push(`The link's ndots ${shortText(s.ndotsText)}: ${problem}`);
      }
      return { ...withSettings(context, patch), linkProblems: problems };
    }),
    forward: assign(({ context }) => ({ shown: Math.min(context.shown + 1, context.lookup.resolution.steps.length) })),
    back: assign(({ context }) => ({ shown: Math.max(context.shown - 1, 1) })),
    all: assign(({ context }) => ({ shown: context.lookup.resolution.steps.length })),
    reset: assign(() => ({ shown: 1 })),
  },
}).createMachine({
  id: "clusterDns",
  context: ({ input }) => {
    const settings: Settings = {
      namespace: input.namespace ?? "shop",
      dnsPolicy: input.dnsPolicy ?? "ClusterFirst",
      nameserver: input.nameserver ?? "kube-dns",
      hostNetwork: false,
      nameText: input.name ?? "www.example.com",
      ndotsText: "",
    };
    return { ...settings, ...evaluate(settings, null), linkProblems: [] };
  },
  on: {
    CHANGE: { actions: "change" },
    SET_NAMESPACE: { actions: "setNamespace" },
    SET_POLICY: { actions: "setPolicy" },
    SET_NAMESERVER: { actions: "setNameserver" },
    SET_HOST_NETWORK: { actions: "setHostNetwork" },
    LOAD: { actions: "load" },
    STEP_FORWARD: { actions: "forward" },
    STEP_BACK: { actions: "back" },
    SHOW_ALL: { actions: "all" },
    RESET: { actions: "reset" },
  },
});
