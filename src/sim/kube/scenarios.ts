import * as z from "zod/mini";
import { parseScenarioInput, type CoreScenario } from "../core/scenario";
import type { Trace } from "../core/trace";
import { InputError } from "../net/errors";
import type { PacketUnit } from "../net/packet-unit";
import { seededRandom } from "../random";
import { ebpfCost } from "./ebpf/index";
import { kubeProxyIptables } from "./iptables/index";
import { ipvsCost, type ModeCost } from "./ipvs/index";
import { JOURNEY_MODELS, JOURNEY_STAGES, journeyTrace, type JourneyClient, type JourneyModel } from "./journey";
import { clusterIpDeploymentManifest, dualStackManifest, nodePortLoadBalancerManifest } from "./manifest/examples/index";
import { loadManifests } from "./manifest/index";
import type { ClusterState } from "./model";
import { nodePrimaryAddress } from "./node-host";
import { parseHostPort } from "./proxy";
import { syntheticCluster } from "./synthetic";
import { parseIptablesSave, walkPacket } from "../netfilter/index";

/**
 * The in-cluster scenarios: one input shape (manifests + who sends what to where), one journey builder,
 * several named starting points. A lab or a question picks a scenario and a preset; a learner may
 * edit the manifests, and the trace is recomputed from them.
 */
export const JourneyInputSchema = z.object({
  /** Multi-document Kubernetes YAML: Services, EndpointSlices or Pods, Nodes, a KubeProxyConfiguration. */
  yaml: z.string(),
  /** The sender: a Pod (added to the cluster if the manifests do not list it) or a host outside it. */
  from: z.union([
    z.object({ kind: z.literal("pod"), namespace: z.string(), name: z.string(), ip: z.string(), node: z.string() }),
    z.object({ kind: z.literal("external"), ip: z.string(), name: z.string() }),
  ]),
  /**
   * Destination as IP:PORT (a ClusterIP, a node address and node port, a load balancer address), or,
   * behind a GFE, the Service as "NAMESPACE/NAME:PORT-NAME" — the GFE decides which node or Pod.
   */
  to: z.string(),
  protocol: z.enum(["tcp", "udp", "sctp"]),
  /** The node the packet enters; for an external sender through a load balancer, null lets the load balancer choose. */
  entryNode: z.nullable(z.string()),
  /**
   * What stands in front of the nodes: nothing; a passthrough network load balancer (destination kept);
   * or Google's external Application Load Balancer, whose GFE opens a new connection either to a
   * node's NodePort (instance-group backends) or straight to a Pod (container-native NEG backends).
   */
  loadBalancer: z.enum(["none", "passthrough-nlb", "gfe-instance-group", "gfe-neg"]),
  /** The name the client resolved first, for ClusterIP journeys. */
  dnsName: z.nullable(z.string()),
});
export type JourneyInput = z.output<typeof JourneyInputSchema>;

const CLIENT_POD = { kind: "pod", namespace: "shop", name: "checkout-5d7f8c9b6-r2x4q", ip: "10.244.1.50", node: "node-a" } as const;
/** The same client Pod's IPv6 address in the dual-stack cluster (node-a's Pod /64). */
const CLIENT_POD_V6 = { ...CLIENT_POD, ip: "fd00:10:244:1::32" } as const;
const OUTSIDE = { kind: "external", ip: "198.51.100.7", name: "A client on the internet" } as const;
/** A client on the IPv6 internet, from the documentation prefix (RFC 3849). */
const OUTSIDE_V6 = { kind: "external", ip: "2001:db8:100::7", name: "A client on the internet (IPv6)" } as const;
/** A GFE's connection to a backend comes from Google's proxy ranges (35.191.0.0/16, 130.211.0.0/22). */
const GFE = { kind: "external", ip: "35.191.8.23", name: "GFE (proxy address)" } as const;

function loadState(yaml: string): ClusterState {
  return loadManifests([{ name: "manifests.yaml", text: yaml }]).state;
}

/**
 * Which node a passthrough network load balancer sends the packet to. With externalTrafficPolicy
 * Local, the load balancer's health check probes each node's healthCheckNodePort, which answers 200
 * only where a ready endpoint runs — so only those nodes are chosen. With Cluster every node passes.
 * The pick among eligible nodes is a seeded draw standing for the load balancer's flow hash.
 */
function pickNode(state: ClusterState, dstIp: string, dstPort: number, seed: number): { node: string; why: string } {
  const service = state.services.find((s) => s.loadBalancerIngress.some((i) => i.ip === dstIp) || s.externalIPs.includes(dstIp));
  const port = service?.ports.find((p) => p.port === dstPort);
  const local = service?.externalTrafficPolicy === "Local";
  const withEndpoint = new Set(
    state.endpointSlices
      .filter((s) => service && s.serviceName === service.metadata.name && s.metadata.namespace === service.metadata.namespace)
      .flatMap((s) => s.endpoints.filter((e) => e.conditions.ready && e.nodeName).map((e) => e.nodeName!)),
  );
  const nodes = state.nodes.map((n) => n.metadata.name);
  const eligible = local ? nodes.filter((n) => withEndpoint.has(n)) : nodes;
  if (eligible.length === 0) throw new InputError(dstIp, "no node passes the load balancer's health check: no ready endpoint anywhere");
  const node = eligible[Math.floor(seededRandom(seed ^ 0x5bd1e995)() * eligible.length)]!;
  const why = local
    ? `externalTrafficPolicy: Local — the health check on node port ${service?.healthCheckNodePort ?? "?"} passes only on nodes with a ready endpoint (${eligible.join(", ")}); the flow hash picks ${node}. The packet keeps its destination ${dstIp}:${port?.port ?? dstPort}: a passthrough load balancer does not NAT.`
    : `Every node passes the health check (externalTrafficPolicy: Cluster); the flow hash picks ${node} of ${nodes.length}. The packet keeps its destination: a passthrough load balancer does not NAT.`;
  return { node, why };
}

/**
 * Where a GFE sends a request for a Service. With instance-group backends (the older GKE Ingress
 * default) the backend service lists node VMs and the Service's NodePort: the GFE picks a node, and
 * that node's kube-proxy picks a Pod — perhaps on another node. With container-native load balancing
 * the NEG lists Pod IP:port pairs and the GFE picks a Pod itself. Either way the GFE opens a new
 * connection from a proxy address (35.191.0.0/16 or 130.211.0.0/22); the seeded draw stands for
 * the GFE's own balancing.
 */
function gfeBackend(state: ClusterState, ref: string, kind: "gfe-instance-group" | "gfe-neg", seed: number): { dst: { ip: string; port: number }; node: string; why: string } {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+):([a-z0-9-]+)$/.exec(ref.trim());
  if (!m) throw new InputError(ref, 'behind a GFE, name the Service as NAMESPACE/NAME:PORT-NAME, e.g. "default/api:http"');
  const [, namespace, name, portName] = m as unknown as [string, string, string, string];
  const service = state.services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  if (!service) throw new InputError(ref, `no Service ${namespace}/${name} in the manifests`);
  const port = service.ports.find((p) => p.name === portName);
  if (!port) throw new InputError(ref, `${namespace}/${name} has no port named "${portName}"; it has ${service.ports.map((p) => p.name || "(unnamed)").join(", ")}`);
  const draw = seededRandom(seed ^ 0x2545f491)();
  if (kind === "gfe-instance-group") {
    if (port.nodePort === null) throw new InputError(ref, "instance-group backends need a NodePort (type NodePort or LoadBalancer)");
    const nodes = state.nodes.filter((n) => nodePrimaryAddress(n) !== null);
    const node = nodes[Math.floor(draw * nodes.length)]!;
    const ip = nodePrimaryAddress(node)!;
    return {
      dst: { ip, port: port.nodePort },
      node: node.metadata.name,
      why: `The backend service lists the cluster's instance groups, so the GFE balances over ${nodes.length} node VMs, not Pods: it picks ${node.metadata.name} and opens a connection to ${ip}:${port.nodePort}, the Service's NodePort. Which Pod answers is left to that node's kube-proxy.`,
    };
  }
  const endpoints = state.endpointSlices
    .filter((s) => s.metadata.namespace === namespace && s.serviceName === name)
    .flatMap((s) => {
      const epPort = s.ports.find((p) => p.name === port.name)?.port;
      return epPort == null ? [] : s.endpoints.filter((e) => e.conditions.ready && e.nodeName).map((e) => ({ ip: e.addresses[0]!, port: epPort, node: e.nodeName! }));
    });
  if (endpoints.length === 0) throw new InputError(ref, "the NEG is empty: no ready endpoint");
  const chosen = endpoints[Math.floor(draw * endpoints.length)]!;
  return {
    dst: { ip: chosen.ip, port: chosen.port },
    node: chosen.node,
    why: `The NEG lists ${endpoints.length} Pod endpoints (${endpoints.map((e) => `${e.ip}:${e.port}`).join(", ")}); the GFE picks ${chosen.ip}:${chosen.port} itself and connects to the Pod's address. kube-proxy's Service rules will not match it.`,
  };
}

/** Runs a journey input: the one `run` every in-cluster scenario shares. */
export function runJourney(scenarioId: string, input: JourneyInput, seed: number, model: JourneyModel | null = null): Trace<PacketUnit> {
  const state = loadState(input.yaml);
  const client: JourneyClient = input.from;
  let entryNode = input.entryNode;
  let loadBalancer: { name: string; why: string } | null = null;
  let dst: { ip: string; port: number };
  if (input.loadBalancer === "gfe-instance-group" || input.loadBalancer === "gfe-neg") {
    const gfe = gfeBackend(state, input.to, input.loadBalancer, seed);
    dst = gfe.dst;
    entryNode ??= gfe.node;
    loadBalancer = { name: "GFE (external Application Load Balancer)", why: gfe.why };
  } else {
    dst = parseHostPort(input.to);
    if (input.loadBalancer === "passthrough-nlb") {
      const pick = pickNode(state, dst.ip, dst.port, seed);
      // A preset may pin the node (to show what happens before health checks catch up): say so.
      const why = entryNode && entryNode !== pick.node
        ? `${pick.why} This packet reaches ${entryNode} instead — as during the seconds before the health check marks a node without endpoints unhealthy, or when traffic arrives by another way.`
        : pick.why;
      loadBalancer = { name: "Passthrough network load balancer", why };
      entryNode ??= pick.node;
    }
  }
  if (client.kind === "pod") entryNode ??= client.node;
  if (!entryNode) throw new InputError("entryNode", "say which node the packet enters");
  return journeyTrace(scenarioId, input, {
    state, client, entryNode, protocol: input.protocol, dst: dst.ip, dstPort: dst.port, seed,
    dnsName: input.dnsName, loadBalancer, payload: input.protocol === "tcp" ? "SYN" : "datagram", model,
  });
}

function nodeAddress(yaml: string, node: string): string {
  const n = loadState(yaml).nodes.find((x) => x.metadata.name === node);
  return (n && nodePrimaryAddress(n)) ?? "0.0.0.0";
}

/** A node's IPv6 InternalIP and a port, as "[addr]:port". */
function nodeAddress6(yaml: string, node: string, port: number): string {
  const n = loadState(yaml).nodes.find((x) => x.metadata.name === node);
  const address = n && nodePrimaryAddress(n, "IPv6");
  if (!address) throw new Error(`${node} has no IPv6 address in the preset's manifests`);
  return `[${address}]:${port}`;
}

/** The first cluster IP of a family a Service has, as "[addr]:port" for IPv6. */
function clusterIp6(yaml: string, namespace: string, name: string, port: number): string {
  const service = loadState(yaml).services.find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  const address = service?.clusterIPs.find((ip) => ip.includes(":"));
  if (!address) throw new Error(`${namespace}/${name} has no IPv6 cluster IP in the preset's manifests`);
  return `[${address}]:${port}`;
}

function journeyScenario(id: string, title: string, description: string, presets: Record<string, JourneyInput>): CoreScenario<typeof JourneyInputSchema> {
  return {
    id, title, description, input: JourneyInputSchema, presets, stages: JOURNEY_STAGES, models: JOURNEY_MODELS,
    run: (input, ctx) => runJourney(id, input, ctx.seed, (ctx.model as JourneyModel | undefined) ?? null),
  };
}

export const KUBE_SCENARIOS: readonly CoreScenario<typeof JourneyInputSchema>[] = [
  journeyScenario("clusterip-from-pod", "A Pod calls a ClusterIP Service", "DNS, then the client's node DNATs the ClusterIP to one of the Service's endpoints; the Pod network carries it; conntrack un-NATs the reply.", {
    default: { yaml: clusterIpDeploymentManifest, from: CLIENT_POD, to: "10.96.120.15:80", protocol: "tcp", entryNode: null, loadBalancer: "none", dnsName: "web.shop.svc.cluster.local" },
    // The same call in a dual-stack cluster over IPv6: the node's ip6tables rules, a /128 route per Pod.
    ipv6: { yaml: dualStackManifest, from: CLIENT_POD_V6, to: clusterIp6(dualStackManifest, "shop", "web", 80), protocol: "tcp", entryNode: null, loadBalancer: "none", dnsName: "web.shop.svc.cluster.local" },
  }),
  journeyScenario("nodeport-from-outside", "A NodePort from outside the cluster", "A client outside sends to a node's address and node port; with externalTrafficPolicy Cluster the node DNATs and masquerades, so the Pod sees the node, not the client.", {
    default: { yaml: nodePortLoadBalancerManifest, from: OUTSIDE, to: `${nodeAddress(nodePortLoadBalancerManifest, "node-a")}:30080`, protocol: "tcp", entryNode: "node-a", loadBalancer: "none", dnsName: null },
    "other-node": { yaml: nodePortLoadBalancerManifest, from: OUTSIDE, to: `${nodeAddress(nodePortLoadBalancerManifest, "node-b")}:30080`, protocol: "tcp", entryNode: "node-b", loadBalancer: "none", dnsName: null },
    // A dual-stack NodePort reached over IPv6: masqueraded to node-b's IPv6 address.
    ipv6: { yaml: dualStackManifest, from: OUTSIDE_V6, to: nodeAddress6(dualStackManifest, "node-b", 30080), protocol: "tcp", entryNode: "node-b", loadBalancer: "none", dnsName: null },
  }),
  journeyScenario("loadbalancer-local", "A LoadBalancer Service with externalTrafficPolicy: Local", "A passthrough network load balancer delivers the packet to a node with its destination unchanged; Local keeps the client's address and sends only to endpoints on that node — a node without one drops it.", {
    default: { yaml: nodePortLoadBalancerManifest, from: OUTSIDE, to: "203.0.113.10:443", protocol: "tcp", entryNode: null, loadBalancer: "passthrough-nlb", dnsName: null },
    "node-without-endpoint": { yaml: nodePortLoadBalancerManifest, from: OUTSIDE, to: "203.0.113.10:443", protocol: "tcp", entryNode: "node-a", loadBalancer: "passthrough-nlb", dnsName: null },
  }),
  journeyScenario("gke-ingress", "GKE Ingress: instance groups or container-native NEGs", "The GFE sends to a node's NodePort, where kube-proxy DNATs (and masquerades) to a Pod that may be on another node — or, with a NEG, straight to a Pod's address.", {
    default: { yaml: nodePortLoadBalancerManifest, from: GFE, to: "default/api:http", protocol: "tcp", entryNode: null, loadBalancer: "gfe-neg", dnsName: null },
    "instance-groups": { yaml: nodePortLoadBalancerManifest, from: GFE, to: "default/api:http", protocol: "tcp", entryNode: null, loadBalancer: "gfe-instance-group", dnsName: null },
  }),
];

/** @throws InputError listing the in-cluster scenarios */
export function getKubeScenario(id: string): CoreScenario<typeof JourneyInputSchema> {
  const found = KUBE_SCENARIOS.find((s) => s.id === id);
  if (!found) throw new InputError(id, `no such in-cluster scenario; there is ${KUBE_SCENARIOS.map((s) => s.id).join(", ")}`);
  return found;
}

/**
 * A scenario's trace from a preset name or a full input (validated against the schema).
 *
 * @example runKubeScenario("clusterip-from-pod", "default", 0).outcome.status // "delivered"
 */
export function runKubeScenario(id: string, input: unknown, seed: number, model: string | null = null): Trace<PacketUnit> {
  const scenario = getKubeScenario(id);
  let raw = input;
  if (typeof input === "string" || input === undefined || input === null) {
    const name = (input as string | undefined | null) ?? "default";
    if (!(name in scenario.presets)) throw new InputError(name, `no such preset; ${id} has ${Object.keys(scenario.presets).join(", ")}`);
    raw = scenario.presets[name];
  }
  if (model !== null && !(model in JOURNEY_MODELS)) throw new InputError(model, `no such model; there is ${Object.keys(JOURNEY_MODELS).join(", ")}`);
  return runJourney(id, parseScenarioInput(scenario, raw), seed, model as JourneyModel | null);
}


/**
 * "Paste your own": the learner's manifests, a packet, the node's rules and the packet's walk as a
 * trace. The packet enters the node kube-proxy runs on (`hostnameOverride` or the only Node).
 *
 * @throws ManifestError (with every problem's line and column) or InputError naming the field
 */
export function kubeProxyPaste(yamlText: string, packet: { src: string; dst: string; protocol: "tcp" | "udp" | "sctp" }, seed: number): { rules: string; trace: Trace<PacketUnit> } {
  const state = loadState(yamlText);
  const rules = kubeProxyIptables(state).text;
  const known = state.pods.find((p) => p.podIPs.includes(packet.src.trim()));
  const from: JourneyInput["from"] = known?.nodeName
    ? { kind: "pod", namespace: known.metadata.namespace, name: known.metadata.name, ip: packet.src.trim(), node: known.nodeName }
    : { kind: "external", ip: packet.src.trim(), name: "The sender" };
  const input: JourneyInput = { yaml: yamlText, from, to: packet.dst, protocol: packet.protocol, entryNode: known?.nodeName ?? state.nodeName, loadBalancer: "none", dnsName: null };
  return { rules, trace: runJourney("paste", input, seed) };
}

/**
 * What each mode writes and looks up as Services grow, for `endpointsPerService` endpoints each.
 * IPVS and eBPF are closed forms checked against their generators in their own tests.
 */
export function modeCosts(services: number, endpointsPerService: number): ModeCost[] {
  return [iptablesCost(services, endpointsPerService), ipvsCost(services, endpointsPerService), ebpfCost(services, endpointsPerService)];
}

/**
 * The Service address nat KUBE-SERVICES lists last: kube-proxy writes Services in its own order
 * (ours sorts by name, where Go iterates a map), so "the last Service" is read from the rules.
 */
export function lastServiceAddress(iptablesSave: string): string {
  const nat = iptablesSave.slice(iptablesSave.indexOf("*nat"));
  const matches = [...nat.matchAll(/^-A KUBE-SERVICES .*?-d ([0-9.]+)(?:\/32)? /gm)];
  if (matches.length === 0) throw new Error("no Service rule in nat KUBE-SERVICES");
  return matches.at(-1)![1]!;
}

/** Rules written, and rules evaluated by the first packet of a connection to the *last* Service. */
function measureIptables(services: number, endpointsPerService: number): { written: number; evaluated: number } {
  const state = syntheticCluster({ services, endpointsPerService });
  const dump = kubeProxyIptables(state);
  const host = { localAddresses: ["127.0.0.1", "10.128.0.10"], interfaces: [{ name: "lo", addresses: ["127.0.0.1"] }, { name: "eth0", addresses: ["10.128.0.10"] }], routes: [{ dst: "0.0.0.0/0", dev: "eth0", src: "10.128.0.10" }] };
  const walk = walkPacket(parseIptablesSave(dump.text), { protocol: "tcp", src: "10.4.200.9", srcPort: 40000, dst: lastServiceAddress(dump.text), dstPort: 80 }, host, { seed: 1 });
  return { written: dump.ruleCount, evaluated: walk.rulesEvaluated };
}

const iptablesSlopes = new Map<number, { written: [number, number]; evaluated: [number, number] }>();

/**
 * iptables mode's cost. Both figures are linear in the number of Services for a fixed shape of
 * Service: every Service port adds the same rules (one KUBE-SERVICES rule, its KUBE-SVC chain, a
 * KUBE-SEP chain per endpoint), and the first packet of a connection scans nat KUBE-SERVICES in order,
 * one rule per Service port, until its own. So the generator and the walk are *measured* on clusters
 * of one and two Services and extended along that line — the browser cannot afford to generate and
 * parse 170,000 rules on a click. The tests measure larger clusters and check they land on the line.
 */
export function iptablesCost(services: number, endpointsPerService: number): ModeCost {
  let slope = iptablesSlopes.get(endpointsPerService);
  if (!slope) {
    const one = measureIptables(1, endpointsPerService);
    const two = measureIptables(2, endpointsPerService);
    slope = { written: [one.written, two.written - one.written], evaluated: [one.evaluated, two.evaluated - one.evaluated] };
    iptablesSlopes.set(endpointsPerService, slope);
  }
  const at = ([first, step]: [number, number]) => (services === 0 ? 0 : first + step * (services - 1));
  return {
    mode: "iptables",
    services,
    endpointsPerService,
    rulesWritten: services === 0 ? measureIptables(0, endpointsPerService).written : at(slope.written),
    objectsWritten: 0,
    lookupsPerPacket: services === 0 ? 0 : at(slope.evaluated),
    note: "Rules evaluated by the first packet of a connection to the last Service: nat KUBE-SERVICES is scanned in order, one rule per Service port; later packets of the connection are translated by conntrack without the rules. Every sync rewrites the rules with iptables-restore.",
  };
}
