import { greatCircleKm, site, type SiteId } from "../geo";
import { cidrContains, parseCidr } from "../net/cidr";
import { parseIpv4 } from "../net/ipv4";
import type { Layer, Packet } from "../net/packet";
import { decapsulate, encapsulate } from "../net/packet";
import type { Device, TraceEvent } from "../trace";
import { GOOGLE_PROXY_RANGES } from "../edge/gfe";
import { addHop, encapNote, type EdgeJourney } from "../edge/journey";
import { APPLIANCE_HOST, NAT_HOST } from "./believed";
import { ipv4 } from "../edge/packets";

/**
 * The VPC between the GFE and a node: Google's backbone, and Andromeda, which knows each node's Pod
 * range as an alias IP range of that VM and tunnels packets for it to the VM's physical host, where
 * it also enforces the VPC firewall. Andromeda's real encapsulation is not public; Geneve (RFC 8926)
 * stands in for it. Physical host addresses (10.255.x) are illustrative.
 */

/**
 * The firewall rule ingress-gce creates for an Ingress's load balancer: `k8s-fw-l7--` and the
 * cluster's UID (illustrative here), allowing the proxy ranges to the node ports and the NEG's
 * target ports.
 */
export const INGRESS_FIREWALL_RULE = { name: "k8s-fw-l7--3f9a7c2e1b4d6a80", ports: "tcp:30000-32767,tcp:8080" };

/** The VPC's virtual network identifier in the stand-in Geneve header. */
const GENEVE_VNI = 4242;

/** The GFE's connection to a Pod, as legs 4 and 5 carry it. */
export interface PodConnection {
  /** The Pod's address and the node that holds its alias range. */
  readonly pod: { readonly ip: string; readonly port: number; readonly node: string; readonly podRange: string };
  /** The physical host of the Pod's node VM: the tunnel's far end. */
  readonly nodeHost: string;
  /** The GFE's proxy address and port, and its host: the tunnel's near end. */
  readonly sourceIp: string;
  readonly sourcePort: number;
  readonly gfeHost: string;
  /** Where the GFE is; the Pod is in the cluster's region. */
  readonly gfeSite: SiteId;
  /** Under separate-lb-box: the health check and the choice, recorded at the model's appliance. */
  readonly selection?: readonly TraceEvent[];
}

/**
 * The device a wrong model puts between the backbone and the node (`gcp/middlebox.ts`), as the VPC
 * sees it: its id and the physical host it would be tunnelled to; null on the real path.
 */
export function believedMiddlebox(j: EdgeJourney): { readonly id: "lb-appliance" | "cloud-nat"; readonly host: string } | null {
  if (j.model === "separate-lb-box") return { id: "lb-appliance", host: APPLIANCE_HOST };
  if (j.model === "cloud-nat-inbound") return { id: "cloud-nat", host: NAT_HOST };
  return null;
}

/** The outer headers, one UDP source port per inner flow (so the fabric's ECMP keeps a flow on one path). */
export function overlay(c: PodConnection, src: string, dst: string): Layer[] {
  return [ipv4(src, dst), { kind: "udp", srcPort: 49152 + (c.sourcePort % 16384), dstPort: 6081 }, { kind: "geneve", vni: GENEVE_VNI }];
}

const backbone = (c: PodConnection): Device => ({ id: "backbone", kind: "sdn-fabric", location: c.gfeSite, name: "Google backbone and Andromeda (VPC)" });
const distanceKm = (j: EdgeJourney, c: PodConnection) => Math.round(greatCircleKm(site(c.gfeSite), site(j.cluster.site)));

/** Leg 4 on the backbone: into the overlay, straight to the Pod IP's node; the firewall rule that lets the proxies in. */
export function backboneToNode(j: EdgeJourney, c: PodConnection, toPod: Packet): Packet {
  const box = believedMiddlebox(j);
  const tunnelEnd = box ? box.host : c.nodeHost;
  const outer = overlay(c, c.gfeHost, tunnelEnd);
  const onBackbone = encapsulate(toPod, outer);
  const sourceRange = GOOGLE_PROXY_RANGES.find((r) => cidrContains(parseCidr(r), parseIpv4(c.sourceIp)))!;
  addHop(j, "request", 4, backbone(c), toPod, onBackbone, [
    {
      type: "encap", protocol: "geneve", outerSrc: c.gfeHost, outerDst: tunnelEnd,
      note: encapNote(j, box
        ? `In this model the request enters the VPC through ${box.id === "cloud-nat" ? "a Cloud NAT gateway" : "a load-balancer appliance"}, so the VPC tunnels it to that device's host first. Andromeda's real header is not public; Geneve stands in for it.`
        : `The VPC knows ${c.pod.podRange} as an alias range of ${c.pod.node} and tunnels to that VM's host. Andromeda's real header is not public; Geneve stands in for it.`),
    },
    {
      type: "firewall", rule: INGRESS_FIREWALL_RULE.name, action: "allow", sources: GOOGLE_PROXY_RANGES.join(", "), ports: INGRESS_FIREWALL_RULE.ports,
      note: `The Ingress controller created this rule for the proxies and the health checkers. ${c.sourceIp} is in ${sourceRange}; either range can carry both kinds of traffic. Because the Pod only ever sees these addresses, no VPC rule can tell Cloudflare's requests from anyone else's.`,
    },
    { type: "forward", to: box ? box.id : "node", via: `Google's private backbone, ${site(c.gfeSite).name} to ${site(j.cluster.site).name}`, distanceKm: distanceKm(j, c) },
  ]);
  return onBackbone;
}

/** Leg 5 on the backbone: out of the overlay at the GFE's host. Returns the reply as the GFE receives it. */
export function backboneToGfe(j: EdgeJourney, c: PodConnection, replyOnBackbone: Packet): Packet {
  const replyAtGfe = decapsulate(replyOnBackbone, overlay(c, c.nodeHost, c.gfeHost).length);
  addHop(j, "response", 5, backbone(c), replyOnBackbone, replyAtGfe, [
    { type: "decap", protocol: "geneve" },
    { type: "forward", to: "gfe", via: `Google's private backbone, ${site(j.cluster.site).name} to ${site(c.gfeSite).name}`, distanceKm: distanceKm(j, c) },
  ]);
  return replyAtGfe;
}
