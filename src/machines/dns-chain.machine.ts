import { assign, setup } from "xstate";
// Straight from the module, not the `sim` barrel: the lab's page loads this machine up front.
import { DNS_CHAIN_DEFAULTS, DNS_SETUPS, RESOLVER_CACHES, resolveDnsChain, type DnsChain, type DnsChainInput, type DnsSetup, type ResolverCache } from "../sim/edge/dns-chain";

/**
 * The DNS-chain stepper: three settings (how the name is published, what the resolver has cached,
 * QNAME minimisation) and a cursor over the chain's messages. Changing a setting recomputes the
 * chain and puts the cursor back on its first step; the last step says what the browser connects to.
 */
export interface DnsChainContext {
  readonly input: DnsChainInput;
  readonly chain: DnsChain;
  /** Index of the step shown, 0 … steps.length − 1. */
  readonly cursor: number;
  /** What a link asked for that the lab could not do, one sentence each (empty when it could do it all). */
  readonly linkProblems: readonly string[];
}

export type DnsChainEvent =
  | { type: "SET_SETUP"; setup: DnsSetup }
  | { type: "SET_CACHE"; cache: ResolverCache }
  | { type: "SET_QMIN"; on: boolean }
  | { type: "NEXT" }
  | { type: "PREV" }
  | { type: "FIRST" }
  | { type: "LAST" }
  | { type: "GOTO"; index: number }
  /** Settings and a step id from the page's URL (`?dns-chain.setup=cloud-dns&dns-chain.step=tld`); unknown values are ignored. */
  | { type: "LOAD_STATE"; setup?: string | null; cache?: string | null; qmin?: string | null; step?: string | null };

export interface DnsChainMachineInput {
  readonly setup?: string;
  readonly cache?: string;
  readonly qmin?: boolean;
}

/** A setting from a URL or props: a known value, else the default (the lab never breaks on a stale link). */
function known<T extends string>(value: string | undefined, values: readonly T[], fallback: T): T {
  return value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : fallback;
}

function recompute(input: DnsChainInput): Pick<DnsChainContext, "input" | "chain" | "cursor"> {
  return { input, chain: resolveDnsChain(input), cursor: 0 };
}

/** A link's value as a message can quote it: short, and with control characters shown as `?`. */
const quote = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, "?");

const clamp = (context: DnsChainContext, index: number) => Math.max(0, Math.min(context.chain.steps.length - 1, index));

export const dnsChainMachine = setup({
  types: {
    context: {} as DnsChainContext,
    events: {} as DnsChainEvent,
    input: {} as DnsChainMachineInput,
  },
  actions: {
    setSetup: assign(({ context, event }) => (event.type === "SET_SETUP" ? recompute({ ...context.input, setup: event.setup }) : {})),
    setCache: assign(({ context, event }) => (event.type === "SET_CACHE" ? recompute({ ...context.input, cache: event.cache }) : {})),
    setQmin: assign(({ context, event }) => (event.type === "SET_QMIN" ? recompute({ ...context.input, qnameMinimisation: event.on }) : {})),
    next: assign(({ context }) => ({ cursor: clamp(context, context.cursor + 1) })),
    prev: assign(({ context }) => ({ cursor: clamp(context, context.cursor - 1) })),
    first: assign({ cursor: 0 }),
    last: assign(({ context }) => ({ cursor: context.chain.steps.length - 1 })),
    goto: assign(({ context, event }) => (event.type === "GOTO" ? { cursor: clamp(context, event.index) } : {})),
    loadState: assign(({ context, event }) => {
      if (event.type !== "LOAD_STATE") return {};
      const next = recompute({
        setup: known(event.setup ?? undefined, DNS_SETUPS, context.input.setup),
        cache: known(event.cache ?? undefined, RESOLVER_CACHES, context.input.cache),
        qnameMinimisation: event.qmin === "on" ? true : event.qmin === "off" ? false : context.input.qnameMinimisation,
      });
      const problems: string[] = [];
      const bad = (key: string, value: string | null | undefined, allowed: readonly string[]) => {
        if (value !== null && value !== undefined && value !== "" && !allowed.includes(value)) {
          problems.push(`The link's dns-chain.${key}=${quote(value)} is not one of ${allowed.join(", ")}; the lab keeps ${key === "qmin" ? (next.input.qnameMinimisation ? "on" : "off") : key === "setup" ? next.input.setup : next.input.cache}.`);
        }
      };
      bad("setup", event.setup, DNS_SETUPS);
      bad("cache", event.cache, RESOLVER_CACHES);
      bad("qmin", event.qmin, ["on", "off"]);
      // A step by its id, or by its number counted from 1.
      const byId = next.chain.steps.findIndex((s) => s.id === event.step);
      const byNumber = /^\d+$/.test(event.step ?? "") ? Number(event.step) - 1 : -1;
      const at = byId >= 0 ? byId : byNumber >= 0 && byNumber < next.chain.steps.length ? byNumber : -1;
      if (event.step && at < 0) problems.push(`The link's dns-chain.step=${quote(event.step)} is not a step of this lookup (${next.chain.steps.length} steps: ${next.chain.steps.map((s) => s.id).join(", ")}); the lab opens at the first.`);
      return { ...next, cursor: at < 0 ? 0 : at, linkProblems: problems };
    }),
  },
}).createMachine({
  id: "dnsChain",
  context: ({ input }) => ({
    ...recompute({
      setup: known(input.setup, DNS_SETUPS, DNS_CHAIN_DEFAULTS.setup),
      cache: known(input.cache, RESOLVER_CACHES, DNS_CHAIN_DEFAULTS.cache),
      qnameMinimisation: input.qmin ?? DNS_CHAIN_DEFAULTS.qnameMinimisation,
    }),
    linkProblems: [],
  }),
  on: {
    SET_SETUP: { actions: "setSetup" },
    SET_CACHE: { actions: "setCache" },
    SET_QMIN: { actions: "setQmin" },
    NEXT: { actions: "next" },
    PREV: { actions: "prev" },
    FIRST: { actions: "first" },
    LAST: { actions: "last" },
    GOTO: { actions: "goto" },
    LOAD_STATE: { actions: "loadState" },
  },
});
