import { assign, setup } from "xstate";
import {
  addressScope, attempt, cidrContains, cidrLast, cidrSize, formatCidr, formatIpv4, parseCidr, parseIpv4,
  type AddressScope, type Cidr,
} from "../sim/index";

/**
 * The Pod-range explorer: a cluster's Pod range, the per-node prefix it is carved into, and an
 * address to place. Each field keeps its own text and its own error, so a mistake in one never
 * hides the answers the others still allow.
 */
export interface AddressExplorerContext {
  readonly rangeText: string;
  readonly nodePrefixText: string;
  readonly addressText: string;
  readonly errors: Readonly<Partial<Record<Field, string>>>;
  readonly result: AddressExplorerResult | null;
}

export type Field = "range" | "nodePrefix" | "address";

export interface AddressExplorerResult {
  readonly range: string;
  readonly rangeSize: number;
  readonly nodeRanges: number;
  readonly podsPerNode: number;
  readonly address: string | null;
  readonly scope: AddressScope | null;
  /** The node range holding the address, or null when the address is outside the cluster range. */
  readonly nodeRange: string | null;
  readonly nodeIndex: number | null;
}

export type AddressExplorerEvent = { type: "CHANGE"; field: Field; text: string };

/**
 * GKE gives each node a /24 by default (up to 110 Pods); "max Pods per node" moves it between /23
 * (256 Pods) and /28 (8 Pods), always about twice as many addresses as Pods.
 */
function parseNodePrefix(text: string, range: Cidr | null): number {
  const trimmed = text.trim().replace(/^\//, "");
  if (!/^[0-9]{1,2}$/.test(trimmed)) throw new Error(`"${text}" is not a prefix length; write it like /24`);
  const prefix = Number(trimmed);
  if (range && prefix < range.prefix) throw new Error(`/${prefix} is larger than the whole Pod range (/${range.prefix})`);
  if (prefix > 28 || prefix < 23) throw new Error(`GKE node ranges run from /23 (256 Pods) to /28 (8 Pods); /${prefix} is outside that`);
  return prefix;
}

function evaluate(context: Omit<AddressExplorerContext, "errors" | "result">): Pick<AddressExplorerContext, "errors" | "result"> {
  const errors: Partial<Record<Field, string>> = {};
  const range = attempt(() => parseCidr(context.rangeText));
  if (!range.ok) errors.range = range.error.message;
  let nodePrefix: number | null = null;
  try {
    nodePrefix = parseNodePrefix(context.nodePrefixText, range.ok ? range.value : null);
  } catch (error) {
    errors.nodePrefix = (error as Error).message;
  }
  const address = context.addressText.trim() === "" ? null : attempt(() => parseIpv4(context.addressText));
  if (address && !address.ok) errors.address = address.error.message;
  if (!range.ok || nodePrefix === null) return { errors, result: null };

  const block = range.value;
  const perNode = 2 ** (32 - nodePrefix);
  const placed = address?.ok ? address.value : null;
  const inside = placed !== null && cidrContains(block, placed);
  const nodeIndex = inside ? Math.floor((placed - block.network) / perNode) : null;
  return {
    errors,
    result: {
      range: `${formatCidr(block)} (${formatIpv4(block.network)} – ${formatIpv4(cidrLast(block))})`,
      rangeSize: cidrSize(block),
      nodeRanges: 2 ** (nodePrefix - block.prefix),
      // GKE reserves about half of each node range so Pods can be replaced without reusing an address
      // at once: a /24 holds up to 110 Pods, and in general the cap is half the block, rounded down.
      podsPerNode: nodePrefix === 24 ? 110 : Math.floor(perNode / 2),
      address: placed === null ? null : formatIpv4(placed),
      scope: placed === null ? null : addressScope(placed),
      nodeRange: nodeIndex === null ? null : formatCidr({ network: (block.network + nodeIndex * perNode) >>> 0, prefix: nodePrefix }),
      nodeIndex,
    },
  };
}

export interface AddressExplorerInput {
  readonly range?: string;
  readonly nodePrefix?: string;
  readonly address?: string;
}

export const addressExplorerMachine = setup({
  types: {
    context: {} as AddressExplorerContext,
    events: {} as AddressExplorerEvent,
    input: {} as AddressExplorerInput,
  },
  actions: {
    change: assign(({ context, event }) => {
      const key = ({ range: "rangeText", nodePrefix: "nodePrefixText", address: "addressText" } as const)[event.field];
      const next = { ...context, [key]: event.text };
      return { ...next, ...evaluate(next) };
    }),
  },
}).createMachine({
  id: "addressExplorer",
  context: ({ input }) => {
    const texts = { rangeText: input.range ?? "10.4.0.0/14", nodePrefixText: input.nodePrefix ?? "/24", addressText: input.address ?? "10.4.1.5" };
    return { ...texts, ...evaluate(texts) };
  },
  on: { CHANGE: { actions: "change" } },
});
