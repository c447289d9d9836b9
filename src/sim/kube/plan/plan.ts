/**
 * Address planning for a VPC-native GKE cluster: the node subnet (the VMs' primary range), the Pod
 * range (a secondary range carved into one aligned block per node) and the Service range (ClusterIPs,
 * never carved per node). Given the ranges and "maximum Pods per node", it says which block each node
 * gets, how many nodes the plan holds and which range runs out first — or why GKE would refuse it.
 *
 * Pure and synchronous: the address planner lab, the questions and `npm run sim -- plan` all call it.
 *
 * What the model leaves out: discontiguous multi-Pod CIDR (extra Pod ranges added to a node pool
 * later), per-node-pool max-Pods values, IPv6 and dual-stack ranges, Autopilot's own sizes, and the
 * control plane's range of a private cluster.
 */
import { InputError } from "../../net/errors";
import { cidrLast, cidrSize, formatCidr, parseCidr, type Cidr } from "../../net/cidr";
import { formatIpv4 } from "../../net/ipv4";

/** GKE's bounds on "maximum Pods per node" for Standard clusters (8 to 256; 110 is the default). */
export const MAX_PODS_MIN = 8;
export const MAX_PODS_MAX = 256;
export const MAX_PODS_DEFAULT = 110;

/**
 * Google Cloud keeps four addresses of every subnet's primary IPv4 range: the network address, the
 * default gateway (the second), the second-to-last (reserved for future use) and the broadcast address.
 */
export const SUBNET_RESERVED_ADDRESSES = 4;
/** The smallest subnet primary IPv4 range Google Cloud accepts. */
export const SUBNET_PREFIX_MAX = 29;

/** The named wrong models a question can run the planner under. */
export const PLAN_MODELS = ["real", "per-node-equals-max-pods", "subnet-no-reserved"] as const;
export type PlanModel = (typeof PLAN_MODELS)[number];

/** The fields of a plan, as the lab names its inputs and the CLI its flags. */
export type PlanField = "podRange" | "maxPods" | "nodeRange" | "serviceRange";

export const PLAN_FLAGS: Readonly<Record<PlanField, string>> = {
  podRange: "--pod-range",
  maxPods: "--max-pods",
  nodeRange: "--node-range",
  serviceRange: "--service-range",
};

/** Why a plan is refused, at the field to fix. */
export interface PlanProblem {
  readonly field: PlanField;
  readonly reason: string;
}

/** Which kind of address space a range is in, and whether GKE takes it for a cluster range. */
export interface AddressSpace {
  readonly kind: "rfc1918" | "shared-rfc6598" | "special-allowed" | "class-e" | "privately-used-public" | "forbidden";
  /** One short phrase: "RFC 1918 private", "a privately used public range". */
  readonly label: string;
}

interface SpecialBlock {
  readonly block: Cidr;
  readonly space: AddressSpace;
}

const block = (text: string) => parseCidr(text);

/**
 * The ranges Google Cloud accepts for subnet ranges besides RFC 1918, and the ones it refuses. The
 * order matters only in that no two overlap. Sources: the VPC "valid IPv4 ranges" table; RFC 1918,
 * RFC 6598 (shared address space), RFC 6890 (IETF protocol assignments), RFC 5737 (documentation),
 * RFC 2544 (benchmarking), RFC 1112 (class E).
 */
const SPECIAL: readonly SpecialBlock[] = [
  { block: block("10.0.0.0/8"), space: { kind: "rfc1918", label: "RFC 1918 private" } },
  { block: block("172.16.0.0/12"), space: { kind: "rfc1918", label: "RFC 1918 private" } },
  { block: block("192.168.0.0/16"), space: { kind: "rfc1918", label: "RFC 1918 private" } },
  { block: block("100.64.0.0/10"), space: { kind: "shared-rfc6598", label: "RFC 6598 shared address space" } },
  { block: block("192.0.0.0/24"), space: { kind: "special-allowed", label: "RFC 6890 IETF protocol assignments" } },
  { block: block("192.0.2.0/24"), space: { kind: "special-allowed", label: "RFC 5737 documentation (TEST-NET-1)" } },
  { block: block("198.51.100.0/24"), space: { kind: "special-allowed", label: "RFC 5737 documentation (TEST-NET-2)" } },
  { block: block("203.0.113.0/24"), space: { kind: "special-allowed", label: "RFC 5737 documentation (TEST-NET-3)" } },
  { block: block("198.18.0.0/15"), space: { kind: "special-allowed", label: "RFC 2544 benchmarking" } },
  { block: block("240.0.0.0/4"), space: { kind: "class-e", label: "class E (240.0.0.0/4, RFC 1112)" } },
  { block: block("0.0.0.0/8"), space: { kind: "forbidden", label: "\"this network\" (0.0.0.0/8)" } },
  { block: block("127.0.0.0/8"), space: { kind: "forbidden", label: "loopback (127.0.0.0/8)" } },
  { block: block("169.254.0.0/16"), space: { kind: "forbidden", label: "link-local (169.254.0.0/16, where the metadata server lives)" } },
  { block: block("224.0.0.0/4"), space: { kind: "forbidden", label: "multicast (224.0.0.0/4)" } },
];

function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= cidrLast(b) && b.network <= cidrLast(a);
}

function within(inner: Cidr, outer: Cidr): boolean {
  return inner.prefix >= outer.prefix && overlaps(inner, outer);
}

/**
 * The address space a range lies in. A range that straddles a special block and public space is
 * refused: it would hand out some addresses Google Cloud cannot route internally.
 *
 * @example addressSpace(parseCidr("10.4.0.0/14")).kind // "rfc1918"
 * @example addressSpace(parseCidr("35.200.0.0/16")).kind // "privately-used-public"
 */
export function addressSpace(range: Cidr): AddressSpace {
  for (const s of SPECIAL) {
    if (within(range, s.block)) return s.space;
    if (overlaps(range, s.block)) {
      return { kind: "forbidden", label: `a range that spans ${formatCidr(s.block)} (${s.space.label}) and addresses outside it` };
    }
  }
  return { kind: "privately-used-public", label: "a privately used public range" };
}

/**
 * The per-node Pod range for a "maximum Pods per node" value: the smallest aligned block holding at
 * least twice as many addresses as Pods, so an address freed by a deleted Pod need not be reused at
 * once. 110 → /24 (256 ≥ 220), 64 → /25, 32 → /26, 16 → /27, 8 → /28, 129–256 → /23.
 *
 * The model `per-node-equals-max-pods` is the wrong belief that the block holds just max-Pods addresses.
 *
 * @throws InputError when N is not a whole number from 8 to 256
 */
export function perNodePrefix(maxPods: number, model: PlanModel = "real"): number {
  checkMaxPods(String(maxPods));
  const needed = model === "per-node-equals-max-pods" ? maxPods : 2 * maxPods;
  return 32 - Math.ceil(Math.log2(needed));
}

function checkMaxPods(text: string): number {
  const trimmed = text.trim();
  if (!/^[0-9]+$/.test(trimmed)) throw new InputError(text, "maximum Pods per node is a whole number from 8 to 256");
  const n = Number(trimmed);
  if (n < MAX_PODS_MIN || n > MAX_PODS_MAX) {
    throw new InputError(text, `GKE accepts 8 to 256 Pods per node (the default is 110); ${n} is outside that`);
  }
  return n;
}

/** Parses "maximum Pods per node". @throws InputError outside 8–256 */
export function parseMaxPods(text: string): number {
  return checkMaxPods(text);
}

export interface PlanInput {
  readonly podRange: string;
  readonly maxPods: string | number;
  readonly nodeRange?: string | null;
  readonly serviceRange?: string | null;
}

export interface RangeSummary {
  readonly cidr: string;
  readonly first: string;
  readonly last: string;
  readonly addresses: number;
  readonly space: AddressSpace;
}

export interface Plan {
  readonly model: PlanModel;
  readonly maxPods: number;
  /** The per-node Pod block's prefix, "/24". */
  readonly perNodeRange: string;
  readonly perNodeAddresses: number;
  readonly podRange: RangeSummary;
  /** Node blocks the Pod range holds: 2^(per-node prefix − Pod range prefix). */
  readonly nodesByPodRange: number;
  readonly nodeRange: RangeSummary | null;
  /** Usable node addresses: the subnet's size less the 4 Google Cloud keeps. */
  readonly nodesBySubnet: number | null;
  readonly serviceRange: RangeSummary | null;
  /** ClusterIPs the Service range gives out: its size less the network and broadcast addresses. */
  readonly serviceAddresses: number | null;
  /** How many nodes the plan holds (the smaller of the two limits), 0 when refused. */
  readonly maxNodes: number;
  /** Which range caps the node count. */
  readonly limitedBy: "pod-range" | "node-range";
  /** Pods the whole cluster can run at max-Pods per node on maxNodes nodes. */
  readonly maxPodsTotal: number;
  /** The first node blocks, for the lab's picture. */
  readonly firstNodeBlocks: readonly string[];
  readonly refused: boolean;
  readonly problems: readonly PlanProblem[];
  /** Things that are allowed but worth knowing (a privately used public range, a tight plan). */
  readonly notes: readonly string[];
}

/** A parse that reports at its field rather than throwing: the lab shows every field's problem at once. */
export interface PlanParse {
  readonly plan: Plan | null;
  /** Input that could not be read (a malformed CIDR, a max-Pods outside 8–256). */
  readonly inputErrors: readonly PlanProblem[];
}

function summary(range: Cidr): RangeSummary {
  return {
    cidr: formatCidr(range),
    first: formatIpv4(range.network),
    last: formatIpv4(cidrLast(range)),
    addresses: cidrSize(range),
    space: addressSpace(range),
  };
}

function readCidr(field: PlanField, text: string, errors: PlanProblem[]): Cidr | null {
  try {
    return parseCidr(text);
  } catch (error) {
    if (error instanceof InputError) {
      errors.push({ field, reason: error.message });
      return null;
    }
    throw error;
  }
}

const NAMES: Readonly<Record<PlanField, string>> = {
  podRange: "the Pod range",
  maxPods: "max Pods per node",
  nodeRange: "the node subnet",
  serviceRange: "the Service range",
};

/**
 * Reads the inputs and plans. Malformed input is reported per field in `inputErrors` (and `plan` is
 * null when the Pod range or max-Pods cannot be read); a plan GKE would refuse comes back with
 * `refused: true` and its `problems`, each at the field to change.
 *
 * @example planClusterFields({ podRange: "10.4.0.0/14", maxPods: 110 }).plan?.maxNodes // 1024
 */
export function planClusterFields(input: PlanInput, model: PlanModel = "real"): PlanParse {
  const inputErrors: PlanProblem[] = [];
  const pod = readCidr("podRange", input.podRange, inputErrors);
  let maxPods: number | null = null;
  try {
    maxPods = checkMaxPods(String(input.maxPods));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    inputErrors.push({ field: "maxPods", reason: error.reason });
  }
  const nodeText = input.nodeRange?.trim() ? input.nodeRange : null;
  const serviceText = input.serviceRange?.trim() ? input.serviceRange : null;
  const node = nodeText ? readCidr("nodeRange", nodeText, inputErrors) : null;
  const service = serviceText ? readCidr("serviceRange", serviceText, inputErrors) : null;
  if (!pod || maxPods === null) return { plan: null, inputErrors };

  const problems: PlanProblem[] = [];
  const notes: string[] = [];
  const prefix = perNodePrefix(maxPods, model);
  const ranges: [PlanField, Cidr][] = [["podRange", pod]];
  if (node) ranges.push(["nodeRange", node]);
  if (service) ranges.push(["serviceRange", service]);

  for (const [field, range] of ranges) {
    const space = addressSpace(range);
    if (space.kind === "forbidden") {
      problems.push({ field, reason: `${formatCidr(range)} is ${space.label}; Google Cloud does not accept it for a subnet range` });
    } else if (space.kind === "privately-used-public") {
      notes.push(`${NAMES[field]} ${formatCidr(range)} is a privately used public range: GKE accepts it, but whoever owns those addresses on the internet becomes unreachable from this network.`);
    } else if (space.kind === "class-e") {
      notes.push(`${NAMES[field]} ${formatCidr(range)} is class E: Google Cloud accepts it, but some operating systems and on-premises devices will not route it.`);
    }
  }
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const [fa, a] = ranges[i]!;
      const [fb, b] = ranges[j]!;
      if (overlaps(a, b)) {
        problems.push({ field: fb, reason: `${formatCidr(b)} overlaps ${NAMES[fa]} ${formatCidr(a)}; a VPC-native cluster's node, Pod and Service ranges must not overlap` });
      }
    }
  }
  if (pod.prefix > prefix) {
    problems.push({
      field: "podRange",
      reason: `${formatCidr(pod)} has ${cidrSize(pod)} addresses, too few for even one node's /${prefix} (${2 ** (32 - prefix)} addresses for ${maxPods} Pods)`,
    });
  }
  if (node && node.prefix > SUBNET_PREFIX_MAX) {
    problems.push({ field: "nodeRange", reason: `${formatCidr(node)} is smaller than /29, the smallest subnet range Google Cloud creates` });
  }
  if (service && service.prefix > 30) {
    problems.push({ field: "serviceRange", reason: `${formatCidr(service)} leaves no ClusterIP once the network and broadcast addresses are set aside` });
  }

  const nodesByPodRange = pod.prefix > prefix ? 0 : 2 ** (prefix - pod.prefix);
  const reserved = model === "subnet-no-reserved" ? 0 : SUBNET_RESERVED_ADDRESSES;
  const nodesBySubnet = node ? Math.max(0, cidrSize(node) - reserved) : null;
  const refused = problems.length > 0;
  const limitedBy = nodesBySubnet !== null && nodesBySubnet < nodesByPodRange ? "node-range" : "pod-range";
  const maxNodes = refused ? 0 : Math.min(nodesByPodRange, nodesBySubnet ?? Number.POSITIVE_INFINITY);
  const step = 2 ** (32 - prefix);
  const firstNodeBlocks = Array.from({ length: Math.min(4, nodesByPodRange) }, (_, i) => formatCidr({ network: (pod.network + i * step) >>> 0, prefix }));
  if (!refused && nodesBySubnet !== null && nodesBySubnet > nodesByPodRange) {
    notes.push(`The node subnet has room for ${nodesBySubnet} nodes but the Pod range for only ${nodesByPodRange}: the cluster stops growing when the Pod range runs out of /${prefix} blocks.`);
  }
  return {
    inputErrors,
    plan: {
      model,
      maxPods,
      perNodeRange: `/${prefix}`,
      perNodeAddresses: step,
      podRange: summary(pod),
      nodesByPodRange,
      nodeRange: node ? summary(node) : null,
      nodesBySubnet,
      serviceRange: service ? summary(service) : null,
      serviceAddresses: service ? Math.max(0, cidrSize(service) - 2) : null,
      maxNodes,
      limitedBy,
      maxPodsTotal: maxNodes * maxPods,
      firstNodeBlocks,
      refused,
      problems,
      notes,
    },
  };
}

/**
 * Plans a cluster, throwing on input that cannot be read (for the command line: exit 2). A refused
 * plan is returned, not thrown.
 *
 * @throws InputError naming the flag of the first malformed input
 */
export function planCluster(input: PlanInput, model: PlanModel = "real"): Plan {
  const { plan, inputErrors } = planClusterFields(input, model);
  const first = inputErrors[0];
  if (first) throw new InputError(PLAN_FLAGS[first.field], first.reason);
  return plan!;
}
