import type { Trace } from "../../../sim/core/trace";
import type { PacketUnit } from "../../../sim/net/packet-unit";
import { randomInt, seededRandom } from "../../../sim/random";
import type { LabLink } from "../../engine/types";
import { drawCluster, type DrawnCluster } from "./cluster-yaml";
import { pasteJourney, pasteLab, type PastePacket } from "./shared";

/**
 * A Pod calling a ClusterIP Service, drawn from a seed: how many nodes and endpoints, where the client
 * runs, TCP or UDP, and the seed of the connection (its ephemeral port and kube-proxy's statistic
 * draw). Several templates ask about the same kind of call; each reads its own facts off the trace.
 */
export interface ClusterIpParams {
  readonly nodes: number;
  readonly endpoints: number;
  readonly clientNode: number;
  readonly protocol: "tcp" | "udp";
  readonly connection: number;
  readonly layout: number;
  readonly [key: string]: string | number;
}

export function clusterIpParams(seed: number, endpoints: readonly [number, number] = [2, 5]): ClusterIpParams {
  const random = seededRandom(seed);
  const nodes = randomInt(random, 2, 3);
  return {
    nodes,
    endpoints: randomInt(random, endpoints[0], endpoints[1]),
    clientNode: randomInt(random, 0, nodes - 1),
    protocol: random() < 0.75 ? "tcp" : "udp",
    connection: randomInt(random, 0, 99_999),
    layout: randomInt(random, 0, 999_999),
  };
}

export interface ClusterIpCase {
  readonly cluster: DrawnCluster;
  readonly packet: PastePacket;
  readonly trace: Trace<PacketUnit>;
  readonly lab: LabLink;
  readonly run: (model: string | null) => Trace<PacketUnit>;
}

export function clusterIpCase(p: ClusterIpParams): ClusterIpCase {
  const cluster = drawCluster(seededRandom(p.layout), {
    type: "ClusterIP",
    endpoints: p.endpoints,
    nodes: p.nodes,
    clientNode: p.clientNode,
    proxyNode: p.clientNode,
    protocol: p.protocol === "udp" ? "UDP" : "TCP",
  });
  const packet: PastePacket = { src: cluster.client!.ip, dst: `${cluster.service.clusterIP}:${cluster.service.port}`, protocol: p.protocol };
  const run = (model: string | null) => pasteJourney(cluster.yaml, packet, p.connection, model);
  return { cluster, packet, trace: run(null), lab: pasteLab(cluster.yaml, packet, p.connection), run };
}
