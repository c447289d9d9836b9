/**
 * Whether one connection is allowed under a set of NetworkPolicies, decided the way the API's contract
 * says (kubernetes.io/docs/concepts/services-networking/network-policies): a Pod is isolated for a
 * direction once any policy selecting it lists that direction in policyTypes; an isolated Pod takes
 * only what some rule of some selecting policy allows (rules add up, none subtracts); and a
 * connection needs BOTH the source's egress and the destination's ingress to allow it. Replies of an
 * allowed connection are not checked again (the plugins track connections).
 *
 * What is left to the network plugin is modelled one way and said aloud: hostNetwork Pods are not
 * selected by policies and do not match pod/namespace selectors (their traffic looks like the node's);
 * whether ipBlock matches Pod IPs is `ipBlockMatchesPods` (true: Calico-style; Cilium and GKE Dataplane
 * V2 match cluster endpoints by identity, not by CIDR).
 */
import type { Pod, Protocol } from "../model";
import { inCidr } from "./cidr";
import { formatSelector, isEmptySelector, selectorMatches } from "./selector";
import type { NamespaceLabels, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from "./types";

export type Endpoint =
  | { readonly kind: "pod"; readonly pod: Pod }
  | { readonly kind: "external"; readonly ip: string };

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol: Protocol;
}

export interface PolicyWorld {
  readonly policies: readonly NetworkPolicy[];
  /** Namespaces by name; a namespace a Pod uses without a Namespace object has only kubernetes.io/metadata.name. */
  readonly namespaces: readonly NamespaceLabels[];
  readonly ipBlockMatchesPods?: boolean;
}

/**
 * Wrong models a learner may hold, runnable so questions can read what each predicts:
 * - `peer-selectors-or`: podSelector and namespaceSelector in ONE peer read as OR (they are AND);
 * - `ingress-only`: the destination's ingress decides alone (the source's egress is ignored);
 * - `dns-exempt`: egress isolation is thought not to touch DNS (UDP/TCP 53 always allowed out).
 */
export const policyWrongModels = ["peer-selectors-or", "ingress-only", "dns-exempt"] as const;
export type PolicyWrongModel = (typeof policyWrongModels)[number];

/** One rule looked at: which policy, which rule, and why it matched or not. */
export interface RuleCheck {
  readonly policy: string;
  /** Index in spec.ingress / spec.egress; null when the policy has no rule for the direction at all. */
  readonly rule: number | null;
  readonly matched: boolean;
  readonly detail: string;
}

export interface DirectionVerdict {
  readonly direction: "egress" | "ingress";
  /** `ns/name` of the Pod whose policies decide, or the address when outside the cluster. */
  readonly endpoint: string;
  /** not-isolated: no policy selects the Pod for this direction; not-applicable: not a Pod policies select. */
  readonly verdict: "allowed" | "denied" | "not-isolated" | "not-applicable";
  readonly allowed: boolean;
  /** The policy (ns/name) whose rule allowed it, or, when denied, the first policy that isolates the Pod. */
  readonly policy: string | null;
  /** The allowing rule's index in that policy's ingress/egress list; null when denied or not isolated. */
  readonly rule: number | null;
  /** Every policy selecting the endpoint for this direction, in manifest order. */
  readonly selectedBy: readonly string[];
  readonly checks: readonly RuleCheck[];
  readonly reason: string;
}

export interface PolicyVerdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

export const policyKey = (p: NetworkPolicy): string => `${p.namespace}/${p.name}`;
export const podKey = (pod: Pod): string => `${pod.metadata.namespace}/${pod.metadata.name}`;
export const endpointName = (e: Endpoint): string => (e.kind === "pod" ? podKey(e.pod) : e.ip);
export const endpointIp = (e: Endpoint): string | null => (e.kind === "pod" ? e.pod.podIPs[0] ?? null : e.ip);

function namespaceLabels(world: PolicyWorld, name: string): Readonly<Record<string, string>> {
  return world.namespaces.find((ns) => ns.name === name)?.labels ?? { "kubernetes.io/metadata.name": name };
}

/** Does the policy select this Pod (its namespace, its podSelector)? hostNetwork Pods are never selected here. */
export function policySelects(policy: NetworkPolicy, pod: Pod): boolean {
  return !pod.hostNetwork && pod.metadata.namespace === policy.namespace && selectorMatches(policy.podSelector, pod.metadata.labels);
}

function peerText(peer: PolicyPeer, policyNamespace: string): string {
  if (peer.kind === "ipBlock") return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(", ")}` : ""}`;
  const pods = peer.podSelector === null ? null : `Pods ${formatSelector(peer.podSelector)}`;
  const nss = peer.namespaceSelector === null ? `in namespace ${policyNamespace}` : `in namespaces ${formatSelector(peer.namespaceSelector)}`;
  if (pods === null) return `every Pod ${nss}`;
  return peer.namespaceSelector === null ? `${pods} ${nss}` : `${pods} AND ${nss}`;
}

function peerMatches(world: PolicyWorld, peer: PolicyPeer, policy: NetworkPolicy, other: Endpoint, model: PolicyWrongModel | null): { matched: boolean; why: string } {
  const text = peerText(peer, policy.namespace);
  if (peer.kind === "ipBlock") {
    const ip = endpointIp(other);
    if (other.kind === "pod" && !other.pod.hostNetwork && world.ipBlockMatchesPods === false) return { matched: false, why: `${text}: this plugin does not match Pod IPs against ipBlock` };
    if (ip === null) return { matched: false, why: `${text}: ${endpointName(other)} has no IP` };
    if (!inCidr(peer.cidr, ip)) return { matched: false, why: `${text}: ${ip} is outside ${peer.cidr}` };
    const hole = peer.except.find((e) => inCidr(e, ip));
    if (hole !== undefined) return { matched: false, why: `${text}: ${ip} falls in except ${hole}` };
    return { matched: true, why: `${text}: ${ip} is inside` };
  }
  if (other.kind !== "pod") return { matched: false, why: `${text}: ${other.ip} is not a Pod` };
  if (other.pod.hostNetwork) return { matched: false, why: `${text}: ${podKey(other.pod)} uses the host network, so selectors do not see it (its packets carry the node's address)` };
  const pod = other.pod;
  const nsOk = peer.namespaceSelector === null
    ? pod.metadata.namespace === policy.namespace
    : selectorMatches(peer.namespaceSelector, namespaceLabels(world, pod.metadata.namespace));
  const podOk = peer.podSelector === null || selectorMatches(peer.podSelector, pod.metadata.labels);
  const both = peer.podSelector !== null && peer.namespaceSelector !== null;
  // The wrong model: two selectors in one peer as two peers (either one suffices).
  if (both && model === "peer-selectors-or") {
    const podInOwn = pod.metadata.namespace === policy.namespace && podOk;
    const anyInNs = selectorMatches(peer.namespaceSelector!, namespaceLabels(world, pod.metadata.namespace));
    return { matched: podInOwn || anyInNs, why: `${text} (read as OR)` };
  }
  if (!nsOk) return { matched: false, why: `${text}: namespace ${pod.metadata.namespace} does not match` };
  if (!podOk) return { matched: false, why: `${text}: the labels of ${podKey(pod)} do not match` };
  return { matched: true, why: `${text}: ${podKey(pod)} matches` };
}

/** The destination Pod's container port of that name and protocol, when it has one. */
function namedPort(dest: Endpoint, name: string, protocol: Protocol): number | null {
  if (dest.kind !== "pod") return null;
  return dest.pod.ports.find((p) => p.name === name && p.protocol === protocol)?.containerPort ?? null;
}

function portText(p: PolicyPort): string {
  if (p.port === null) return `${p.protocol} any port`;
  return p.endPort === null ? `${p.port}/${p.protocol}` : `${p.port}-${p.endPort}/${p.protocol}`;
}

function portMatches(ports: readonly PolicyPort[], conn: Connection): { matched: boolean; why: string } {
  if (ports.length === 0) return { matched: true, why: "any port" };
  for (const p of ports) {
    if (p.protocol !== conn.protocol) continue;
    if (p.port === null) return { matched: true, why: portText(p) };
    if (typeof p.port === "string") {
      // Named ports resolve against the destination Pod's containers, whichever direction the rule is for.
      const number = namedPort(conn.to, p.port, p.protocol);
      if (number === conn.port) return { matched: true, why: `${p.port}/${p.protocol} (= ${number} on the destination)` };
      continue;
    }
    const end = p.endPort ?? p.port;
    if (conn.port >= p.port && conn.port <= end) return { matched: true, why: portText(p) };
  }
  return { matched: false, why: `${conn.port}/${conn.protocol} is not in ${ports.map(portText).join(", ")}` };
}

function ruleMatches(world: PolicyWorld, policy: NetworkPolicy, rule: PolicyRule, other: Endpoint, conn: Connection, model: PolicyWrongModel | null): { matched: boolean; why: string } {
  const ports = portMatches(rule.ports, conn);
  if (!ports.matched) return ports;
  if (rule.peers === null) return { matched: true, why: `any peer, ${ports.why}` };
  const tried: string[] = [];
  for (const peer of rule.peers) {
    const m = peerMatches(world, peer, policy, other, model);
    if (m.matched) return { matched: true, why: `${m.why}; ${ports.why}` };
    tried.push(m.why);
  }
  return { matched: false, why: tried.join("; ") || "no peer" };
}

function decide(world: PolicyWorld, conn: Connection, direction: "egress" | "ingress", model: PolicyWrongModel | null): DirectionVerdict {
  const self = direction === "egress" ? conn.from : conn.to;
  const other = direction === "egress" ? conn.to : conn.from;
  const base = { direction, endpoint: endpointName(self) };
  if (self.kind !== "pod") {
    return { ...base, verdict: "not-applicable", allowed: true, policy: null, rule: null, selectedBy: [], checks: [],
      reason: `${self.ip} is outside the cluster: no NetworkPolicy governs its ${direction}` };
  }
  if (self.pod.hostNetwork) {
    return { ...base, verdict: "not-applicable", allowed: true, policy: null, rule: null, selectedBy: [], checks: [],
      reason: `${podKey(self.pod)} uses the host network: NetworkPolicy does not govern it the usual way (behaviour is plugin-defined; most leave it alone)` };
  }
  const type = direction === "egress" ? "Egress" : "Ingress";
  const selecting = world.policies.filter((p) => p.policyTypes.includes(type) && policySelects(p, self.pod));
  const selectedBy = selecting.map(policyKey);
  if (selecting.length === 0) {
    return { ...base, verdict: "not-isolated", allowed: true, policy: null, rule: null, selectedBy, checks: [],
      reason: `no policy selects ${podKey(self.pod)} for ${type}: it is not isolated, so everything is allowed` };
  }
  if (direction === "egress" && model === "dns-exempt" && conn.port === 53 && conn.protocol !== "SCTP") {
    return { ...base, verdict: "allowed", allowed: true, policy: null, rule: null, selectedBy, checks: [], reason: "DNS taken to be exempt (wrong model)" };
  }
  const checks: RuleCheck[] = [];
  for (const policy of selecting) {
    const rules = direction === "egress" ? policy.egress : policy.ingress;
    if (rules.length === 0) {
      checks.push({ policy: policyKey(policy), rule: null, matched: false, detail: `${policyKey(policy)} isolates for ${type} and has no ${direction} rule: it allows nothing` });
      continue;
    }
    for (let i = 0; i < rules.length; i++) {
      const m = ruleMatches(world, policy, rules[i]!, other, conn, model);
      checks.push({ policy: policyKey(policy), rule: i, matched: m.matched, detail: `${policyKey(policy)} ${direction}[${i}]: ${m.why}` });
      if (m.matched) {
        return { ...base, verdict: "allowed", allowed: true, policy: policyKey(policy), rule: i, selectedBy, checks,
          reason: `allowed by ${policyKey(policy)} ${direction}[${i}]` };
      }
    }
  }
  return { ...base, verdict: "denied", allowed: false, policy: selectedBy[0]!, rule: null, selectedBy, checks,
    reason: `${podKey(self.pod)} is isolated for ${type} by ${selectedBy.join(", ")} and no rule of them allows ${endpointName(other)} on ${conn.port}/${conn.protocol}` };
}

/**
 * Both directions of one connection.
 *
 * @example
 * const v = evaluateConnection(world, { from: { kind: "pod", pod: web }, to: { kind: "pod", pod: db }, port: 5432, protocol: "TCP" });
 * v.allowed // false when db is isolated for ingress and no rule names web
 */
export function evaluateConnection(world: PolicyWorld, conn: Connection, model: PolicyWrongModel | null = null): PolicyVerdict {
  const egressReal = decide(world, conn, "egress", model);
  const egress: DirectionVerdict = model === "ingress-only"
    ? { ...egressReal, verdict: "allowed", allowed: true, reason: "egress ignored (wrong model)" }
    : egressReal;
  const ingress = decide(world, conn, "ingress", model);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** Kept for the trace and lesson: what an empty-peer / ipBlock peer reads as, in words. */
export function describePeer(peer: PolicyPeer, policyNamespace: string): string {
  return peerText(peer, policyNamespace);
}

export function describePorts(ports: readonly PolicyPort[]): string {
  return ports.length === 0 ? "any port" : ports.map(portText).join(", ");
}

export { isEmptySelector };
