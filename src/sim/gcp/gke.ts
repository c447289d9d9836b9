import type { SiteId } from "../geo";
import { parseCidr } from "../net/cidr";
import { parseIpv4 } from "../net/ipv4";
import { GKE_DEFAULT_NODE_PREFIX, nodeRangeOf } from "../net/node-ranges";
import type { Packet } from "../net/packet";
import { decapsulate, encapsulate } from "../net/packet";
import { formatFiveTuple } from "../net/ports";
import type { Device, TraceEvent } from "../trace";
import type { NegEndpoint } from "../edge/gfe";
import { addHop, encapNote, nextTlsOrdinal, type ClusterRegion, type EdgeJourney } from "../edge/journey";
import { httpResponse, ipv4, modelHash, tcp, tcpFlow, tls, withTtl } from "../edge/packets";
import { natAddress, natPort, WEB_NODE_PORT } from "./believed";
import { believedMiddlebox, overlay, type PodConnection } from "./vpc";

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
/**
 * The source the node and the Pod see: the GFE's proxy address — or, under cloud-nat-inbound, the NAT
 * gateway's address and the port it mapped the connection to.
 */
export function podSideSource(j: EdgeJourney, c: PodConnection): { ip: string; port: number } {
  return j.model === "cloud-nat-inbound" ? { ip: natAddress(j.cluster.name), port: natPort(c.sourcePort) } : { ip: c.sourceIp, port: c.sourcePort };
}
const podTuple = (j: EdgeJourney, c: PodConnection) => {
  const from = podSideSource(j, c);
  return formatFiveTuple(tcpFlow(from.ip, from.port, c.pod.ip, c.pod.port));
};
/** Under kube-proxy-on-neg-path, the node port the GFE is believed to send to. */
const nodePortTuple = (c: GkeConnection) => formatFiveTuple(tcpFlow(c.sourceIp, c.sourcePort, c.pod.nodeAddress, WEB_NODE_PORT));

/** Leg 4 on the node and in the Pod: out of the overlay, conntrack, the /32 route to the veth, delivery. */
export function nodeToPod(j: EdgeJourney, c: GkeConnection, onBackbone: Packet): void {
  const e = c.pod;
  const arrived = withTtl(decapsulate(onBackbone, overlay(c, c.gfeHost, c.nodeHost).length), 1);
  const established = j.cold
    ? "The SYN one round trip earlier created the entry and the handshake's last ACK made it ESTABLISHED; this request matches it."
    : "The GFE's connection has carried earlier requests; its entry has long been ESTABLISHED.";
  const events: TraceEvent[] = [{ type: "decap", protocol: "geneve" }];
  let atPod = arrived;
  if (j.model === "kube-proxy-on-neg-path") {
    // The belief: the packet is addressed to a node port, and kube-proxy's rules translate it.
    atPod = { layers: arrived.layers.map((l) => (l.kind === "ipv4" ? { ...l, dst: e.ip } : l.kind === "tcp" ? { ...l, dstPort: e.port } : l)) };
    events.push(
      { type: "conntrack", state: "established", tuple: nodePortTuple(c), nat: "dnat", note: `${established} In this model the entry also holds kube-proxy's DNAT to ${e.ip}:${e.port}.` },
      { type: "dnat", from: `${e.nodeAddress}:${WEB_NODE_PORT}`, to: `${e.ip}:${e.port}` },
      { type: "forward", to: "pod", via: `KUBE-NODEPORTS → KUBE-SVC → KUBE-SEP, as this model believes, then route ${e.ip} dev ${e.veth}` },
    );
  } else {
    events.push(
      { type: "conntrack", state: "established", tuple: podTuple(j, c), nat: "none", note: established },
      {
        type: "forward", to: "pod",
        via: `route ${e.ip} dev ${e.veth} scope link — a /32 route per Pod to that Pod's veth, as Google's CNI installs them; destination unchanged (no DNAT, no kube-proxy). Under GKE Dataplane V2, an eBPF program delivers it instead and tracks the flow in its own table`,
      },
    );
  }
  addHop(j, "request", 4, nodeDevice(j, e), onBackbone, atPod, events);
  addHop(j, "request", 4, podDevice(j, e), atPod, null, [
    ...(j.model === "tls-at-pod"
      ? [{
          type: "tls-terminate", ordinal: nextTlsOrdinal(j), certificate: j.originCert.names.join(", "), issuer: j.originCert.issuer, client: "browser", sni: j.host,
        } satisfies TraceEvent]
      : []),
    { type: "deliver", to: `the web container listening on ${e.port}` },
  ]);
}

/** Leg 5 from the Pod: the application answers; the node matches conntrack and tunnels the reply back. Returns it on the backbone. */
export function podAnswers(j: EdgeJourney, c: GkeConnection): Packet {
  const e = c.pod;
  const to = podSideSource(j, c);
  // Under tls-at-pod the application's answer goes out on the browser's own TLS session.
  const session = j.model === "tls-at-pod" ? [tls("browser", "pod", j.host, j.originCert)] : [];
  const reply: Packet = { layers: [ipv4(e.ip, to.ip), tcp(e.port, to.port), ...session, httpResponse("200 OK", { cacheControl: APP_CACHE_CONTROL })] };
  addHop(j, "response", 5, podDevice(j, e), null, reply, [
    { type: "respond", status: "200 OK", by: "application" },
    { type: "forward", to: "node", via: "the Pod's veth" },
  ]);
  const box = believedMiddlebox(j);
  const tunnelEnd = box ? box.host : c.gfeHost;
  let leaving = withTtl(reply, 1);
  const events: TraceEvent[] = [];
  if (j.model === "kube-proxy-on-neg-path") {
    // The belief's other half: conntrack undoes kube-proxy's DNAT, so the reply comes from the node port.
    leaving = { layers: leaving.layers.map((l) => (l.kind === "ipv4" ? { ...l, src: e.nodeAddress } : l.kind === "tcp" ? { ...l, srcPort: WEB_NODE_PORT } : l)) };
    events.push({
      type: "conntrack", state: "established", tuple: nodePortTuple(c), nat: "dnat",
      note: `The reply matches the entry; the source ${e.ip}:${e.port} is translated back to ${e.nodeAddress}:${WEB_NODE_PORT}, as this model believes.`,
    });
  } else {
    events.push({ type: "conntrack", state: "established", tuple: podTuple(j, c), nat: "none" });
  }
  const onBackbone = encapsulate(leaving, overlay(c, c.nodeHost, tunnelEnd));
  addHop(j, "response", 5, nodeDevice(j, e), reply, onBackbone, [
    ...events,
    {
      type: "encap", protocol: "geneve", outerSrc: c.nodeHost, outerDst: tunnelEnd,
      note: encapNote(j, box ? `Back towards the ${box.id === "cloud-nat" ? "NAT gateway" : "appliance"} this model puts on the path, which must undo its translation.` : "Back towards the GFE host that owns the connection."),
    },
    { type: "forward", to: box ? box.id : "backbone", via: "the VPC" },
  ]);
  return onBackbone;
}
