import { assign, setup } from "xstate";
// Straight from their modules, not the `sim` barrel: a lesson page loads this machine up front, and
// the barrel would bring the whole journey simulator with it.
import { cidrLast, cidrSize, formatCidr, parseCidr } from "../sim/net/cidr";
import { attempt } from "../sim/net/errors";
import { addressScope, formatIpv4, parseIpv4, type AddressScope } from "../sim/net/ipv4";
import { gkeMaxPodsPerNode, nodeRangeCount, nodeRangeOf, parseNodePrefix } from "../sim/net/node-ranges";

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

function evaluate(context: Omit<AddressExplorerContext, "errors" | "result">): Pick<AddressExplorerContext, "errors" | "result"> {
  const errors: Partial<Record<Field, string>> = {};
  const range = attempt(() => parseCidr(context.rangeText));
  if (!range.ok) errors.range = range.error.message;
  const prefix = attempt(() => parseNodePrefix(context.nodePrefixText, range.ok ? range.value : null));
  const nodePrefix = prefix.ok ? prefix.value : null;
  if (!prefix.ok) errors.nodePrefix = prefix.error.reason;
  const address = context.addressText.trim() === "" ? null : attempt(() => parseIpv4(context.addressText));
  if (address && !address.ok) errors.address = address.error.message;
  if (!range.ok || nodePrefix === null) return { errors, result: null };

  const block = range.value;
  const placed = address?.ok ? address.value : null;
  // The per-node carving is GKE's rule, kept in src/sim so the flagship scenario uses the same one.
  const node = placed === null ? null : nodeRangeOf(block, nodePrefix, placed);
  return {
    errors,
    result: {
      range: `${formatCidr(block)} (${formatIpv4(block.network)} – ${formatIpv4(cidrLast(block))})`,
      rangeSize: cidrSize(block),
      nodeRanges: nodeRangeCount(block, nodePrefix),
      podsPerNode: gkeMaxPodsPerNode(nodePrefix),
      address: placed === null ? null : formatIpv4(placed),
      scope: placed === null ? null : addressScope(placed),
      nodeRange: node?.range ?? null,
      nodeIndex: node?.index ?? null,
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
