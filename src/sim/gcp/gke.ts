import type { SiteId } from "../geo";
import { parseCidr } from "../net/cidr";
import { parseIpv4 } from "../net/ipv4";
import { GKE_DEFAULT_NODE_PREFIX, nodeRangeOf } from "../net/node-ranges";
import type { Packet } from "../net/packet";
import { decapsulate, encapsulate } from "../net/packet";
import { formatFiveTuple } from "../net/ports";
import type { Device } from "../trace";
import type { NegEndpoint } from "../edge/gfe";
import { addHop, type ClusterRegion, type EdgeJourney } from "../edge/journey";
import { httpResponse, ipv4, modelHash, tcp, tcpFlow, withTtl } from "../edge/packets";
import { overlay, type PodConnection } from "./vpc";

/**
 * The GKE cluster behind the Ingress: a Deployment's three Pods, one per zone, each in its zone's
 * NEG; the node that holds each Pod's range; and the web container that answers. With a
 * container-native NEG the GFE connects to the Pod's own address, so nothing on the node translates
 * it: no kube-proxy DNAT, only a /32 route to the Pod's veth.
 */

export const REGIONS = {
  "us-central1": { site: "council-bluffs", subnet: "10.128.0", zones: ["us-central1-a", "us-central1-b", "us-central1-c"] },
  "europe-west1": { site: "saint-ghislain", subnet: "10.132.0", zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] },
  "asia-northeast1": { site: "tokyo-dc", subnet: "10.146.0", zones: ["asia-northeast1-a", "asia-northeast1-b", "asia-northeast1-c"] },
} as const satisfies Record<string, { site: SiteId; subnet: string; zones: readonly string[] }>;

export type RegionName = keyof typeof REGIONS;

export function clusterRegion(name: RegionName): ClusterRegion {
  return { name, ...REGIONS[name] };
}

/** The port the web container listens on (the NEG's target port). */
export const POD_PORT = 8080;
/** What the application answers with. */
export const APP_CACHE_CONTROL = "public, max-age=60";
const CLUSTER_POD_RANGE = parseCidr("10.4.0.0/14");
/** The one Pod the `target-unhealthy` setting fails. */
const FAILING_POD_IP = "10.4.1.5";

/** Three Pods of the Deployment behind the Service, one per zone. */
const PODS = [
  { pod: "web-7d4b9-x2kfp", ip: "10.4.1.5", node: "gke-web-pool-1a", hostSuffix: ".12", zone: 0 },
  { pod: "web-7d4b9-q8mzn", ip: "10.4.2.7", node: "gke-web-pool-1b", hostSuffix: ".13", zone: 1 },
  { pod: "web-7d4b9-w4rtc", ip: "10.4.3.9", node: "gke-web-pool-1c", hostSuffix: ".14", zone: 2 },
] as const;

/**
 * Each Pod's node range (the VPC knows it as an alias range of the node VM) and the host-side veth
 * the node routes it to. Google's CNI names host veths `gke` + 11 hex digits; the digits here are a
 * hash of the Pod's name, standing in for the real ones.
 */
const POD_NETWORK = PODS.map((p) => {
  const node = nodeRangeOf(CLUSTER_POD_RANGE, GKE_DEFAULT_NODE_PREFIX, parseIpv4(p.ip));
  if (!node) throw new Error(`${p.ip} is outside the cluster's Pod range`);
  const veth = `gke${modelHash(p.pod).toString(16).padStart(16, "0").slice(0, 11)}`;
  return { ...p, podRange: node.range, veth };
});

/** A NEG endpoint with where it lives: its node's VPC address and physical host, its range and veth. */
export interface GkeEndpoint extends NegEndpoint {
  readonly nodeAddress: string;
  readonly nodeHost: string;
  readonly podRange: string;
  readonly veth: string;
}

/** The NEGs' endpoints in the journey's region, with what the health checks say of each. */
export function negEndpoints(j: EdgeJourney): GkeEndpoint[] {
  return POD_NETWORK.map((p) => ({
    ip: p.ip, port: POD_PORT, pod: p.pod, node: p.node, zone: j.cluster.zones[p.zone]!,
    healthy: j.podHealth === "all-healthy" ? true : j.podHealth === "target-unhealthy" ? p.ip !== FAILING_POD_IP : false,
    nodeAddress: `${j.cluster.subnet}${p.hostSuffix}`,
    nodeHost: `10.255.8${p.hostSuffix}`,
    podRange: p.podRange,
    veth: p.veth,
  }));
}

/** The GFE's connection to one of this cluster's Pods. */
export type GkeConnection = PodConnection & { readonly pod: GkeEndpoint };

const nodeDevice = (j: EdgeJourney, e: GkeEndpoint): Device => ({ id: "node", kind: "node", location: j.cluster.site, name: `GKE node ${e.node} (${e.nodeAddress}, ${e.zone})` });
const podDevice = (j: EdgeJourney, e: GkeEndpoint): Device => ({ id: "pod", kind: "pod", location: j.cluster.site, name: `Pod ${e.pod} (${e.ip})` });
const podTuple = (c: PodConnection) => formatFiveTuple(tcpFlow(c.sourceIp, c.sourcePort, c.pod.ip, c.pod.port));

/** Leg 4 on the node and in the Pod: out of the overlay, conntrack, the /32 route to the veth, delivery. */
export function nodeToPod(j: EdgeJourney, c: GkeConnection, onBackbone: Packet): void {
  const e = c.pod;
  const atPod = withTtl(decapsulate(onBackbone, overlay(c, c.gfeHost, c.nodeHost).length), 1);
  addHop(j, "request", 4, nodeDevice(j, e), onBackbone, atPod, [
    { type: "decap", protocol: "geneve" },
    {
      type: "conntrack", state: "established", tuple: podTuple(c), nat: "none",
      note: j.cold
        ? "The SYN one round trip earlier created the entry and the handshake's last ACK made it ESTABLISHED; this request matches it."
        : "The GFE's connection has carried earlier requests; its entry has long been ESTABLISHED.",
    },
    {
      type: "forward", to: "pod",
      via: `route ${e.ip} dev ${e.veth} scope link — a /32 route per Pod to that Pod's veth, as Google's CNI installs them; destination unchanged (no DNAT, no kube-proxy). Under GKE Dataplane V2, an eBPF program delivers it instead and tracks the flow in its own table`,
    },
  ]);
  addHop(j, "request", 4, podDevice(j, e), atPod, null, [{ type: "deliver", to: `the web container listening on ${e.port}` }]);
}

/** Leg 5 from the Pod: the application answers; the node matches conntrack and tunnels the reply back. Returns it on the backbone. */
export function podAnswers(j: EdgeJourney, c: GkeConnection): Packet {
  const e = c.pod;
  const reply: Packet = { layers: [ipv4(e.ip, c.sourceIp), tcp(e.port, c.sourcePort), httpResponse("200 OK", { cacheControl: APP_CACHE_CONTROL })] };
  addHop(j, "response", 5, podDevice(j, e), null, reply, [
    { type: "respond", status: "200 OK", by: "application" },
    { type: "forward", to: "node", via: "the Pod's veth" },
  ]);
  const onBackbone = encapsulate(withTtl(reply, 1), overlay(c, c.nodeHost, c.gfeHost));
  addHop(j, "response", 5, nodeDevice(j, e), reply, onBackbone, [
    { type: "conntrack", state: "established", tuple: podTuple(c), nat: "none" },
    { type: "encap", protocol: "geneve", outerSrc: c.nodeHost, outerDst: c.gfeHost, note: "Back towards the GFE host that owns the connection." },
    { type: "forward", to: "backbone", via: "the VPC" },
  ]);
  return onBackbone;
}
