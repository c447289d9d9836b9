/**
 * An external client's packet to a GKE `type: LoadBalancer` Service, layer by layer, with the verdict
 * and the deciding rule at each — the layers under and beside NetworkPolicy:
 *
 * 1. load-balancer: the external passthrough Network Load Balancer picks a node among those whose
 *    health checks pass. Probes come from Google's probe ranges to kube-proxy's healthz port (10256,
 *    externalTrafficPolicy: Cluster) or the Service's healthCheckNodePort (Local, answering 200 only
 *    on nodes with a ready local endpoint). When NO node is healthy the LB does not drop: without a
 *    failover policy it spreads new connections over all backends as a last resort
 *    (cloud.google.com/load-balancing/docs/network/ext-netlb-traffic-distribution).
 * 2. vpc-firewall: the VPC firewall at the chosen node VM. The NLB is a passthrough: the packet keeps
 *    the client's source and the LB's address as destination, so the Service's allow rule
 *    `k8s2-[cluster-id]-[ns]-[svc]-[hash]` (source ranges = loadBalancerSourceRanges) is matched against
 *    the client itself.
 * 3. kube-proxy: the node's iptables rules as kube-proxy writes them (iptables/proxier.ts), walked by
 *    the netfilter model. With source ranges set, KUBE-FW-… jumps on for sources in range; the rest
 *    fall out of it and KUBE-PROXY-FIREWALL (filter) drops them.
 * 4. traffic-policy: externalTrafficPolicy Cluster masquerades (SNAT to the node) so the Pod sees the
 *    node's address; Local keeps the client's address and only uses local endpoints.
 * 5. network-policy: the destination Pod's ingress policies (evaluate.ts), with the source the Pod sees.
 *
 * Left out: the cross-node hop's own firewall check under Cluster (GKE's `gke-…-vms`/`-all` rules allow
 * node and Pod ranges), target-pool NLBs' older health-check details, hierarchical firewall policies.
 */
import { seededRandom } from "../../random";
import { InputError } from "../../net/errors";
import type { ClusterState, Pod, Service, ServicePort } from "../model";
import type { Walk } from "../../netfilter/walk";
import { evaluateConnection, type PolicyWorld } from "./evaluate";
import {
  evaluateFirewall, gkeServiceFirewallRules, healthCheckPort, healthCheckRuleName, NLB_PROBE_SOURCES,
  type FirewallOrderModel, type FirewallRule,
} from "./firewall";

export type FirewallLayerId = "load-balancer" | "vpc-firewall" | "kube-proxy" | "traffic-policy" | "network-policy";

export interface FirewallLayer {
  readonly layer: FirewallLayerId;
  readonly verdict: "pass" | "drop" | "not-reached";
  /** The deciding rule (firewall rule name, iptables chain, policy and rule), or null. */
  readonly rule: string | null;
  readonly detail: string;
  /** The rule's text where it has one (the iptables rule as iptables-save prints it). */
  readonly ruleText?: string;
}

export interface NodeHealth {
  readonly node: string;
  readonly probesAdmitted: boolean;
  /** The firewall rule that decided the probes (the first probe range that failed, else the allowing rule). */
  readonly probeRule: string;
  readonly answers: boolean;
  readonly healthy: boolean;
}

export interface FirewallTraceResult {
  readonly delivered: boolean;
  readonly droppedAt: { readonly layer: FirewallLayerId; readonly rule: string } | null;
  readonly layers: readonly FirewallLayer[];
  readonly node: string;
  readonly health: readonly NodeHealth[];
  readonly loadBalancerIp: string;
  readonly port: number;
  readonly protocol: "tcp" | "udp" | "sctp";
  /** Every VPC firewall rule in force (GKE's, then the user's). */
  readonly rules: readonly FirewallRule[];
  /** The Pod's address and port the packet was sent to, or null. */
  readonly endpoint: string | null;
  /** The source address the Pod sees, or null when the packet never got there. */
  readonly sourceSeenByPod: string | null;
}

/**
 * Wrong models, runnable so questions can read what each predicts:
 * - `ipblock-sees-client`: NetworkPolicy is taken to see the client's address even under Cluster;
 * - `source-ranges-kube-proxy-only`: loadBalancerSourceRanges taken to be enforced only by kube-proxy
 *   (GKE's allow rule for the Service read as open to 0.0.0.0/0);
 * - `unhealthy-drops-all`: an LB with no healthy backend taken to drop every packet;
 * - `allow-wins-tie`: an allow rule taken to beat a deny rule of equal priority;
 * - `health-check-on-service-port`: the LB taken to probe the Service's own port (it probes 10256 or
 *   the healthCheckNodePort).
 */
export const firewallWrongModels = ["ipblock-sees-client", "source-ranges-kube-proxy-only", "unhealthy-drops-all", "allow-wins-tie", "health-check-on-service-port"] as const;
export type FirewallWrongModel = (typeof firewallWrongModels)[number];

/** kube-proxy's layer: one external packet walked through a node's rules (firewall-walk.ts `externalWalk`). */
export type ExternalWalker = (state: ClusterState, packet: { protocol: "tcp" | "udp" | "sctp"; src: string; srcPort: number; dst: string; dstPort: number }, seed: number) => Walk;

/**
 * Thrown when a trace reaches kube-proxy's layer without a walker: the lab loads the walker (and
 * kube-proxy's rule writer with it) on demand, since most first views never get that far.
 */
export class WalkerNeeded extends Error {
  constructor() {
    super("kube-proxy's rules are needed for this trace");
  }
}

export interface FirewallQuery {
  readonly state: ClusterState;
  readonly policies: PolicyWorld;
  /** namespace/name of the LoadBalancer Service. */
  readonly service: string;
  /** The Service port; its first port when omitted. */
  readonly port?: number;
  readonly client: string;
  readonly userRules?: readonly FirewallRule[];
  /** false: GKE's Service firewall rules were turned off (user-managed firewall). Default true. */
  readonly gkeRules?: boolean;
  /** Force the node the LB picks (it must be one the LB may pick). */
  readonly node?: string;
  readonly seed?: number;
  readonly clusterId?: string;
  /** Walks the packet through kube-proxy's rules; without it a trace that reaches that layer throws WalkerNeeded. */
  readonly walk?: ExternalWalker;
}

export function findService(state: ClusterState, ref: string): Service {
  const m = /^([^/\s]+)\/([^/\s:]+)$/.exec(ref);
  if (m === null) throw new InputError(ref, "name the Service as NAMESPACE/NAME");
  const svc = state.services.find((s) => s.metadata.namespace === m[1] && s.metadata.name === m[2]);
  if (svc === undefined) {
    const known = state.services.map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    throw new InputError(ref, `no such Service in the files (${known.length ? `they hold ${known.join(", ")}` : "they hold none"})`);
  }
  if (svc.type !== "LoadBalancer") throw new InputError(ref, `the Service is type ${svc.type}; this trace follows a packet through a LoadBalancer Service`);
  return svc;
}

function servicePort(svc: Service, port: number | undefined): ServicePort {
  const sp = port === undefined ? svc.ports[0] : svc.ports.find((p) => p.port === port);
  if (sp === undefined) throw new InputError(String(port), `the Service has no port ${port}; its ports are ${svc.ports.map((p) => p.port).join(", ")}`);
  return sp;
}

/** Nodes with a ready endpoint of the Service (kube-proxy's health server answers 200 on them under Local). */
function nodesWithLocalEndpoint(state: ClusterState, svc: Service): Set<string> {
  const out = new Set<string>();
  for (const slice of state.endpointSlices) {
    if (slice.metadata.namespace !== svc.metadata.namespace || slice.serviceName !== svc.metadata.name) continue;
    for (const ep of slice.endpoints) if (ep.conditions.ready && ep.nodeName) out.add(ep.nodeName);
  }
  return out;
}

/** Each node's health as the LB's probes find it. */
export function nodeHealth(state: ClusterState, svc: Service, rules: readonly FirewallRule[], model: FirewallOrderModel | null = null, probeServicePort = false): NodeHealth[] {
  const port = probeServicePort ? svc.ports[0]!.port : healthCheckPort(svc);
  const local = nodesWithLocalEndpoint(state, svc);
  // Every node gets the same rules here (no target tags), so the probe verdict is the same on each.
  const verdicts = NLB_PROBE_SOURCES.map((peer) => evaluateFirewall(rules, { peer, protocol: "tcp", port }, model));
  const failed = verdicts.find((v) => !v.allowed);
  return state.nodes.map((n) => {
    const answers = svc.externalTrafficPolicy === "Local" ? local.has(n.metadata.name) : true;
    return { node: n.metadata.name, probesAdmitted: failed === undefined, probeRule: (failed ?? verdicts[0]!).rule, answers, healthy: failed === undefined && answers };
  });
}

const withNode = new WeakMap<ClusterState, Map<string, ClusterState>>();
function stateOn(state: ClusterState, node: string): ClusterState {
  let byNode = withNode.get(state);
  if (!byNode) withNode.set(state, (byNode = new Map()));
  let s = byNode.get(node);
  if (!s) byNode.set(node, (s = { ...state, nodeName: node }));
  return s;
}

function podAt(state: ClusterState, ip: string): Pod | undefined {
  return state.pods.find((p) => p.podIPs.includes(ip));
}

/**
 * The trace, with kube-proxy's layer walked by `q.walk` (firewall-trace.ts's `firewallTrace` supplies it).
 * @throws InputError for a Service, port or node the world does not have; WalkerNeeded (see above)
 * @example
 * traceFirewallLayers({ state, policies, service: "shop/web", client: "198.51.100.7", walk: externalWalk }).droppedAt // null when delivered
 */
export function traceFirewallLayers(q: FirewallQuery, model: FirewallWrongModel | null = null): FirewallTraceResult {
  const svc = findService(q.state, q.service);
  const sp = servicePort(svc, q.port);
  const protocol = sp.protocol.toLowerCase() as "tcp" | "udp" | "sctp";
  const lbIp = svc.loadBalancerIngress.find((i) => i.ip !== null)?.ip;
  if (!lbIp) throw new InputError(q.service, "the Service has no status.loadBalancer.ingress IP yet: give the address the load balancer answers on");
  const orderModel: FirewallOrderModel | null = model === "allow-wins-tie" ? "allow-wins-tie" : null;
  // gkeServiceFirewallRules lists the Service's allow rule first, its health-check rule second.
  const gke = q.gkeRules === false ? [] : gkeServiceFirewallRules(svc, q.clusterId).map((r, i) =>
    model === "source-ranges-kube-proxy-only" && i === 0 ? { ...r, sourceRanges: ["0.0.0.0/0"] } : r);
  const rules = [...gke, ...(q.userRules ?? [])];
  const seed = q.seed ?? 0;
  const base = { loadBalancerIp: lbIp, port: sp.port, protocol, rules };
  const layers: FirewallLayer[] = [];
  const stop = (node: string, health: NodeHealth[], layer: FirewallLayerId, rule: string, reached: { endpoint: string; seen: string } | null = null): FirewallTraceResult => {
    const done = new Set(layers.map((l) => l.layer));
    const rest = (["load-balancer", "vpc-firewall", "kube-proxy", "traffic-policy", "network-policy"] as const)
      .filter((id) => !done.has(id))
      .map((id): FirewallLayer => ({ layer: id, verdict: "not-reached", rule: null, detail: "the packet was dropped before this layer" }));
    return { ...base, delivered: false, droppedAt: { layer, rule }, layers: [...layers, ...rest], node, health, endpoint: reached?.endpoint ?? null, sourceSeenByPod: reached?.seen ?? null };
  };

  // 1. The load balancer's choice of node.
  const health = nodeHealth(q.state, svc, rules, orderModel, model === "health-check-on-service-port");
  const healthy = health.filter((h) => h.healthy).map((h) => h.node);
  const hcRule = healthCheckRuleName(svc, q.clusterId);
  const hcPort = model === "health-check-on-service-port" ? sp.port : healthCheckPort(svc);
  const probeWhy = health[0]?.probesAdmitted
    ? `probes from ${NLB_PROBE_SOURCES.join(", ")} reach TCP ${hcPort} (${health[0].probeRule})`
    : `probes to TCP ${hcPort} are dropped by ${health[0]?.probeRule ?? "the firewall"} — GKE's ${hcRule} is ${q.gkeRules === false ? "not there (GKE's Service firewall rules are turned off)" : "outranked"}`;
  if (healthy.length === 0 && model === "unhealthy-drops-all") {
    layers.push({ layer: "load-balancer", verdict: "drop", rule: health[0]?.probesAdmitted ? "no-healthy-backend" : health[0]!.probeRule, detail: `no node passes its health check (${probeWhy}); this model has the LB drop everything` });
    return stop("", health, "load-balancer", layers[0]!.rule!);
  }
  const eligible = healthy.length ? healthy : health.map((h) => h.node);
  let node: string;
  if (q.node !== undefined) {
    if (!q.state.nodes.some((n) => n.metadata.name === q.node)) throw new InputError(q.node, `no Node named "${q.node}"; the nodes are ${q.state.nodes.map((n) => n.metadata.name).join(", ")}`);
    if (!eligible.includes(q.node)) throw new InputError(q.node, `the load balancer never sends new connections to ${q.node}: it fails its health check while ${eligible.join(", ")} pass`);
    node = q.node;
  } else {
    node = eligible[Math.floor(seededRandom(seed ^ 0x5bd1e995)() * eligible.length)]!;
  }
  const localOnly = svc.externalTrafficPolicy === "Local" ? " (Local: only nodes with a ready local endpoint answer 200)" : " (Cluster: kube-proxy's healthz answers 200 on every node whose kube-proxy is healthy, its rules up to date)";
  layers.push({
    layer: "load-balancer",
    verdict: "pass",
    rule: health[0]?.probesAdmitted ? health[0].probeRule : hcRule,
    detail: healthy.length
      ? `healthy nodes: ${healthy.join(", ")}${localOnly}; ${probeWhy}; the LB's hash picks ${node}`
      : `no node passes its health check (${probeWhy}); with no failover policy the LB spreads new connections over ALL backends as a last resort, and picks ${node}`,
  });

  // 2. The VPC firewall at the node VM.
  const fw = evaluateFirewall(rules, { peer: q.client, protocol, port: sp.port }, orderModel);
  layers.push({ layer: "vpc-firewall", verdict: fw.allowed ? "pass" : "drop", rule: fw.rule, detail: fw.reason });
  if (!fw.allowed) return stop(node, health, "vpc-firewall", fw.rule);

  // 3. kube-proxy's rules on that node.
  if (q.walk === undefined) throw new WalkerNeeded();
  const walk = q.walk(stateOn(q.state, node), { protocol, src: q.client, srcPort: 40000 + (seed % 20000), dst: lbIp, dstPort: sp.port }, seed);
  if (walk.verdict === "DROP" || walk.verdict === "REJECT") {
    const v = [...walk.steps].reverse().find((s) => s.kind === "verdict" || s.kind === "policy");
    const chain = v?.kind === "verdict" || v?.kind === "policy" ? v.chain : "?";
    const text = v?.kind === "verdict" ? walk.steps.find((s) => s.kind === "rule" && s.matched && s.chain === v.chain && s.index === v.index && s.table === v.table) : undefined;
    const ruleText = text?.kind === "rule" ? text.text : undefined;
    layers.push({
      layer: "kube-proxy", verdict: "drop", rule: chain,
      detail: `kube-proxy's rules on ${node} ${walk.verdict === "REJECT" ? "reject" : "drop"} it in ${chain}${ruleText ? `: ${ruleText}` : ""}`,
      ...(ruleText ? { ruleText } : {}),
    });
    return stop(node, health, "kube-proxy", chain);
  }
  if (walk.chosen === null || walk.packetOut === null) {
    layers.push({ layer: "kube-proxy", verdict: "drop", rule: "no-service-rule", detail: `no kube-proxy rule on ${node} translates ${lbIp}:${sp.port}; the packet is not for any Service` });
    return stop(node, health, "kube-proxy", "no-service-rule");
  }
  const fwChain = walk.steps.find((s) => s.kind === "jump" && s.to.startsWith("KUBE-FW-"));
  const sep = [...walk.steps].reverse().find((s) => s.kind === "jump" && s.to.startsWith("KUBE-SEP-"));
  layers.push({
    layer: "kube-proxy", verdict: "pass",
    rule: sep?.kind === "jump" ? sep.to : null,
    detail: `${fwChain?.kind === "jump" ? `${fwChain.to} lets ${q.client} on (it is in loadBalancerSourceRanges); ` : ""}DNAT to ${walk.chosen}${walk.masquerade ? `, marked for masquerade` : ""}`,
  });

  // 4. externalTrafficPolicy.
  const endpoint = walk.chosen;
  const endpointIp = walk.packetOut.dst;
  const pod = podAt(q.state, endpointIp);
  const snat = walk.packetOut.src !== q.client;
  const seen = model === "ipblock-sees-client" ? q.client : walk.packetOut.src;
  const where = pod?.nodeName && pod.nodeName !== node ? `on ${pod.nodeName}, another node` : `on ${node} itself`;
  layers.push({
    layer: "traffic-policy", verdict: "pass",
    rule: `externalTrafficPolicy: ${svc.externalTrafficPolicy ?? "Cluster"}`,
    detail: snat
      ? `Cluster: the endpoint ${endpoint} is ${where}; the node masquerades the packet, so it arrives from ${walk.packetOut.src}, not ${q.client}`
      : `the packet keeps the client's address ${q.client} (endpoint ${endpoint} ${where})`,
  });

  // 5. NetworkPolicy at the Pod.
  if (pod === undefined) {
    layers.push({ layer: "network-policy", verdict: "pass", rule: null, detail: `${endpointIp} is no Pod in the files; no policy applies` });
    return { ...base, delivered: true, droppedAt: null, layers, node, health, endpoint, sourceSeenByPod: seen };
  }
  const verdict = evaluateConnection(q.policies, { from: { kind: "external", ip: seen }, to: { kind: "pod", pod }, port: walk.packetOut.dstPort, protocol: sp.protocol });
  const ing = verdict.ingress;
  const rule = ing.verdict === "allowed" ? `${ing.policy} ingress[${ing.rule}]` : ing.verdict === "denied" ? ing.policy ?? ing.selectedBy[0] ?? "isolated" : null;
  layers.push({ layer: "network-policy", verdict: ing.allowed ? "pass" : "drop", rule, detail: `from ${seen}: ${ing.reason}` });
  if (!ing.allowed) return stop(node, health, "network-policy", rule ?? "isolated", { endpoint, seen });
  return { ...base, delivered: true, droppedAt: null, layers, node, health, endpoint, sourceSeenByPod: seen };
}
