import { site } from "../geo";
import type { Packet } from "../net/packet";
import { decapsulate, encapsulate } from "../net/packet";
import { formatFiveTuple } from "../net/ports";
import type { Device, TraceEvent } from "../trace";
import { GOOGLE } from "../edge/google-edge";
import { addHop, encapNote, type EdgeJourney } from "../edge/journey";
import { tcpFlow, withTtl } from "../edge/packets";
import { applianceAddress, APPLIANCE_PORT, natAddress, natPort } from "./believed";
import type { GkeConnection } from "./gke";
import { believedMiddlebox, overlay } from "./vpc";

/**
 * The devices two wrong models put between Google's backbone and the node, and that the real path
 * does not have: under `separate-lb-box` a load-balancer appliance that picks the Pod and DNATs to it,
 * under `cloud-nat-inbound` a Cloud NAT gateway that translates the GFE's connection. Each is drawn as
 * its believers draw it: in the cluster's region, in the path both ways (a box that translates must
 * see the reply to translate it back). On the real path both functions return the packet untouched
 * and add no hop.
 */

function device(j: EdgeJourney, id: "lb-appliance" | "cloud-nat"): Device {
  const region = j.cluster.name;
  return id === "lb-appliance"
    ? { id, kind: "l4-lb", location: j.cluster.site, name: `Regional load-balancer appliance for ${GOOGLE.vip} (${region})` }
    : { id, kind: "router", location: j.cluster.site, name: `Cloud NAT gateway for the cluster's subnet (${region})` };
}

/** Rewrites the inner (first) IPv4 and TCP headers' addresses and ports. */
function rewrite(packet: Packet, change: { src?: [string, number]; dst?: [string, number] }): Packet {
  return {
    layers: packet.layers.map((l) => {
      if (l.kind === "ipv4") return { ...l, ...(change.src ? { src: change.src[0] } : {}), ...(change.dst ? { dst: change.dst[0] } : {}) };
      if (l.kind === "tcp") return { ...l, ...(change.src ? { srcPort: change.src[1] } : {}), ...(change.dst ? { dstPort: change.dst[1] } : {}) };
      return l;
    }),
  };
}

/** Leg 4 at the believed device: out of the tunnel, translated, into a new tunnel to the node. */
export function middleboxInbound(j: EdgeJourney, c: GkeConnection, onBackbone: Packet): Packet {
  const box = believedMiddlebox(j);
  if (!box) return onBackbone;
  const inner = decapsulate(onBackbone, overlay(c, c.gfeHost, box.host).length);
  const e = c.pod;
  const events: TraceEvent[] = [{ type: "decap", protocol: "geneve" }];
  let translated: Packet;
  if (box.id === "lb-appliance") {
    const vip = `${applianceAddress(j.cluster.subnet)}:${APPLIANCE_PORT}`;
    translated = rewrite(inner, { dst: [e.ip, e.port] });
    events.push(
      ...(c.selection ?? []),
      { type: "conntrack", state: "established", tuple: formatFiveTuple(tcpFlow(c.sourceIp, c.sourcePort, applianceAddress(j.cluster.subnet), APPLIANCE_PORT)), nat: "dnat" },
      { type: "dnat", from: vip, to: `${e.ip}:${e.port}` },
    );
  } else {
    const nat: [string, number] = [natAddress(j.cluster.name), natPort(c.sourcePort)];
    translated = rewrite(inner, { src: nat });
    events.push(
      { type: "conntrack", state: "established", tuple: formatFiveTuple(tcpFlow(c.sourceIp, c.sourcePort, e.ip, e.port)), nat: "snat" },
      { type: "snat", from: `${c.sourceIp}:${c.sourcePort}`, to: `${nat[0]}:${nat[1]}` },
    );
  }
  const out = encapsulate(withTtl(translated, 1), overlay(c, box.host, c.nodeHost));
  events.push(
    { type: "encap", protocol: "geneve", outerSrc: box.host, outerDst: c.nodeHost, note: encapNote(j, `On to the host of ${e.node}, which holds ${e.podRange}.`) },
    { type: "forward", to: "node", via: `the VPC in ${site(j.cluster.site).name}` },
  );
  addHop(j, "request", 4, device(j, box.id), onBackbone, out, events);
  return out;
}

/** Leg 5 at the believed device: the reply translated back and tunnelled on to the GFE's host. */
export function middleboxOutbound(j: EdgeJourney, c: GkeConnection, fromNode: Packet): Packet {
  const box = believedMiddlebox(j);
  if (!box) return fromNode;
  const inner = decapsulate(fromNode, overlay(c, c.nodeHost, box.host).length);
  const e = c.pod;
  const translated = box.id === "lb-appliance"
    ? rewrite(inner, { src: [applianceAddress(j.cluster.subnet), APPLIANCE_PORT] })
    : rewrite(inner, { dst: [c.sourceIp, c.sourcePort] });
  const tuple = box.id === "lb-appliance"
    ? formatFiveTuple(tcpFlow(c.sourceIp, c.sourcePort, applianceAddress(j.cluster.subnet), APPLIANCE_PORT))
    : formatFiveTuple(tcpFlow(c.sourceIp, c.sourcePort, e.ip, e.port));
  const out = encapsulate(withTtl(translated, 1), overlay(c, box.host, c.gfeHost));
  addHop(j, "response", 5, device(j, box.id), fromNode, out, [
    { type: "decap", protocol: "geneve" },
    {
      type: "conntrack", state: "established", tuple, nat: box.id === "lb-appliance" ? "dnat" : "snat",
      note: box.id === "lb-appliance"
        ? `The reply matches the entry; its source ${e.ip}:${e.port} is translated back to the appliance's ${applianceAddress(j.cluster.subnet)}:${APPLIANCE_PORT}.`
        : `The reply matches the entry; its destination is translated back to the GFE's ${c.sourceIp}:${c.sourcePort}.`,
    },
    { type: "encap", protocol: "geneve", outerSrc: box.host, outerDst: c.gfeHost, note: encapNote(j, "Back towards the GFE host that owns the connection.") },
    { type: "forward", to: "backbone", via: "the VPC" },
  ]);
  return out;
}
