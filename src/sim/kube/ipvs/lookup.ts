import { randomInt, seededRandom } from "../../random";
import { ipvsAddrPort, type IpvsConnection, type IpvsProtocol, type RealServer, type VirtualServer } from "./ipvsadm";
import type { KubeProxyIpvsResult } from "./proxier";
import { bucketBy } from "./hash-index";
import { foldedAddress, SCHEDULERS } from "./schedulers";

export interface IpvsPacket {
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
}

export interface IpvsLookupResult {
  readonly virtualServer: VirtualServer | null;
  /** "ip:port" of the real server the packet goes to ("[ip]:port" for IPv6), or null. */
  readonly chosen: string | null;
  /** Destinations the scheduler could pick (weight > 0), in kernel list order. */
  readonly candidates: string[];
  readonly scheduler: string;
  readonly steps: { what: string; detail: string }[];
  /** The connection table after this packet: the given entries plus any the kernel created for it. */
  readonly connections: IpvsConnection[];
}

/** ip_vs_svc_table has 2^IP_VS_SVC_TAB_BITS = 256 buckets. */
const SVC_TAB_BITS = 8;
const PROTO_NUMBER: Record<IpvsProtocol, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/**
 * ip_vs_ctl.c ip_vs_svc_hashkey: (proto ^ ntohl(addr) ^ (port >> 8) ^ port) & 255, an IPv6 address
 * folded to the XOR of its four 32-bit words first (`foldedAddress`). The kernel also
 * XORs in `(size_t)ipvs >> 8`, the address of the namespace's IPVS state — a pointer, different on
 * every boot — which this model leaves out, so the bucket shown is the unsalted one.
 */
export function serviceBucket(protocol: IpvsProtocol, address: string, port: number): number {
  const ahash = foldedAddress(address);
  return ((PROTO_NUMBER[protocol] ^ ahash ^ (port >>> SVC_TAB_BITS) ^ port) >>> 0) & ((1 << SVC_TAB_BITS) - 1);
}

/**
 * The state a new connection enters and its timeout: the first TCP SYN moves sNO → SYN_RECV (60 s,
 * tcp_timeouts); UDP is a single state "UDP" (5 min, udp_timeouts); an SCTP INIT moves NONE → INIT1
 * (4 s, sctp_timeouts).
 */
const NEW_CONNECTION: Record<IpvsProtocol, { state: string; timeout: number }> = {
  TCP: { state: "SYN_RECV", timeout: 60 },
  UDP: { state: "UDP", timeout: 300 },
  SCTP: { state: "INIT1", timeout: 4 },
};

const key = (rs: RealServer) => ipvsAddrPort(rs.address, rs.port);

/**
 * ip_vs_svc_table is a hash table keyed by <protocol, address, port>; the model keeps the virtual
 * servers in an array, in `ipvsadm -Ln` order. This index gives a lookup the hash table's constant
 * cost: built on the first lookup in a table (rebuilt if an array is replaced or grows), each bucket
 * in array order and every lookup still testing the exact key, so it finds what a scan would.
 */
interface TableIndex {
  readonly virtualServerCount: number;
  readonly byService: Map<string, VirtualServer[]>;
  readonly dummyAddresses: readonly string[];
  readonly dummyAddressCount: number;
  readonly onDummy: Set<string>;
}

const tableIndexes = new WeakMap<readonly VirtualServer[], TableIndex>();

function serviceKey(protocol: string, address: string, port: number): string {
  return `${protocol} ${address} ${port}`;
}

function indexOf(table: Pick<KubeProxyIpvsResult, "virtualServers" | "dummyInterfaceAddresses">): TableIndex {
  const cached = tableIndexes.get(table.virtualServers);
  if (
    cached &&
    cached.virtualServerCount === table.virtualServers.length &&
    cached.dummyAddresses === table.dummyInterfaceAddresses &&
    cached.dummyAddressCount === table.dummyInterfaceAddresses.length
  ) {
    return cached;
  }
  const index: TableIndex = {
    virtualServerCount: table.virtualServers.length,
    byService: bucketBy(table.virtualServers, (v) => serviceKey(v.protocol, v.address, v.port)),
    dummyAddresses: table.dummyInterfaceAddresses,
    dummyAddressCount: table.dummyInterfaceAddresses.length,
    onDummy: new Set(table.dummyInterfaceAddresses),
  };
  tableIndexes.set(table.virtualServers, index);
  return index;
}

function findVirtualServer(index: TableIndex, protocol: IpvsProtocol, address: string, port: number): VirtualServer | null {
  const bucket = index.byService.get(serviceKey(protocol, address, port));
  if (!bucket) return null;
  for (const v of bucket) if (v.protocol === protocol && v.address === address && v.port === port) return v;
  return null;
}

/**
 * What IPVS does with a packet that reached LOCAL_IN (its destination is a node or kube-ipvs0
 * address): look up the connection table (an existing flow keeps its real server), then the service
 * table by protocol, address and port, then — for a persistent (ClientIP-affinity) service — the
 * client's template, and only then the scheduler. A new connection (and a template, for a persistent
 * service) is added to the returned connection table.
 *
 * `options.seed` stands for the history rr depends on: with a seed, svc->sched_data points at a
 * seeded-random destination (as after some earlier connections); without one the service is fresh
 * and rr starts at the list head. `options.connections` is the existing table (`ipvsadm -Lnc`), which
 * also feeds lc's counters.
 *
 * Simplified: the connection table is searched by exact tuple (the kernel hashes it with jhash and a
 * boot-time random key into 4096 buckets); expiry is not simulated.
 *
 * @example
 * ipvsLookup(table, { protocol: "udp", src: "10.4.1.7", srcPort: 40000, dst: "10.96.0.10", dstPort: 53 }).chosen
 * // "10.4.1.5:53"
 */
export function ipvsLookup(
  table: Pick<KubeProxyIpvsResult, "virtualServers" | "dummyInterfaceAddresses">,
  packet: IpvsPacket,
  options: { seed?: number; connections?: readonly IpvsConnection[] } = {},
): IpvsLookupResult {
  const protocol = packet.protocol.toUpperCase() as IpvsProtocol;
  const connections = [...(options.connections ?? [])];
  const steps: { what: string; detail: string }[] = [];
  const index = indexOf(table);
  const vs = findVirtualServer(index, protocol, packet.dst, packet.dstPort);
  const scheduler = vs?.scheduler ?? "";
  const fail = (candidates: string[] = []): IpvsLookupResult => ({ virtualServer: vs, chosen: null, candidates, scheduler, steps, connections });

  const existing = connections.find(
    (c) =>
      !c.template &&
      c.protocol === protocol &&
      c.client === packet.src &&
      c.clientPort === packet.srcPort &&
      c.virtual === packet.dst &&
      c.virtualPort === packet.dstPort,
  );
  if (existing) {
    steps.push({
      what: "ip_vs_conn_in_get",
      detail: `existing ${protocol} connection ${ipvsAddrPort(packet.src, packet.srcPort)} → ${ipvsAddrPort(packet.dst, packet.dstPort)} (${existing.state}) is bound to ${ipvsAddrPort(existing.destination, existing.destinationPort)}; no scheduling`,
    });
    const chosen = ipvsAddrPort(existing.destination, existing.destinationPort);
    return { virtualServer: vs, chosen, candidates: [chosen], scheduler, steps, connections };
  }
  steps.push({ what: "ip_vs_conn_in_get", detail: "no connection entry for this tuple: a new connection" });

  const bucket = serviceBucket(protocol, packet.dst, packet.dstPort);
  if (!vs) {
    const onDummy = index.onDummy.has(packet.dst);
    steps.push({
      what: "ip_vs_service_find",
      detail: `no virtual server ${protocol} ${ipvsAddrPort(packet.dst, packet.dstPort)} in bucket ${bucket} of 256; the packet goes on to the local stack${
        onDummy ? ", where KUBE-IPVS-FILTER rejects a NEW connection to a kube-ipvs0 address (icmp-port-unreachable)" : ""
      }`,
    });
    return fail();
  }
  steps.push({
    what: "ip_vs_service_find",
    detail: `${protocol} ${ipvsAddrPort(vs.address, vs.port)} found in bucket ${bucket} of 256 (${vs.kind} of ${vs.service}), scheduler ${vs.scheduler}${
      vs.persistentTimeout !== null ? `, persistent ${vs.persistentTimeout}` : ""
    }`,
  });

  const candidates = vs.realServers.filter((rs) => rs.weight > 0);
  const candidateKeys = candidates.map(key);
  if (vs.realServers.length === 0) {
    steps.push({ what: "schedule", detail: "the virtual server has no real servers: IPVS drops the packet (no destination available) and answers with ICMP port unreachable (ip_vs_leave)" });
    return fail(candidateKeys);
  }

  let dest: RealServer | null = null;
  let templateFound = false;
  if (vs.persistentTimeout !== null) {
    // ip_vs_sched_persist: the template is <client, 0, vaddr, vport> (netmask /32 by default).
    const template = connections.find(
      (c) => c.template && c.protocol === protocol && c.client === packet.src && c.virtual === vs.address && c.virtualPort === vs.port,
    );
    const pinned = template ? vs.realServers.find((rs) => rs.address === template.destination && rs.port === template.destinationPort) : undefined;
    if (template && pinned && pinned.weight > 0) {
      dest = pinned;
      templateFound = true;
      steps.push({ what: "ip_vs_sched_persist", detail: `template ${ipvsAddrPort(packet.src, 0)} → ${ipvsAddrPort(vs.address, vs.port)} pins this client to ${key(pinned)}` });
    } else {
      steps.push({ what: "ip_vs_sched_persist", detail: `no usable template for client ${packet.src}: schedule, then record one for ${vs.persistentTimeout} s` });
    }
  }

  if (dest === null) {
    const impl = SCHEDULERS[vs.scheduler];
    if (!impl) {
      steps.push({ what: "schedule", detail: `scheduler "${vs.scheduler}" is not modelled (rr, lc and sh are)` });
      return fail(candidateKeys);
    }
    const rrPosition = options.seed === undefined ? -1 : randomInt(seededRandom(options.seed), 0, vs.realServers.length - 1);
    const dests = vs.realServers.map((server) => {
      let activeConns = 0;
      let inactConns = 0;
      for (const c of connections) {
        if (c.template || c.protocol !== protocol || c.virtual !== vs.address || c.virtualPort !== vs.port) continue;
        if (c.destination !== server.address || c.destinationPort !== server.port) continue;
        if (protocol !== "UDP" && c.state === "ESTABLISHED") activeConns++;
        else inactConns++;
      }
      return { server, activeConns, inactConns };
    });
    const result = impl.schedule({ dests, sourceAddress: packet.src, rrPosition });
    steps.push({ what: `ip_vs_${vs.scheduler}_schedule`, detail: result.detail });
    dest = result.chosen;
    if (dest === null) return fail(candidateKeys);
  }

  const fresh = NEW_CONNECTION[protocol];
  if (vs.persistentTimeout !== null && !templateFound) {
    connections.push({
      protocol,
      client: packet.src,
      clientPort: 0,
      virtual: vs.address,
      virtualPort: vs.port,
      destination: dest.address,
      destinationPort: dest.port,
      state: "NONE",
      expiresSeconds: vs.persistentTimeout,
      template: true,
    });
  }
  connections.push({
    protocol,
    client: packet.src,
    clientPort: packet.srcPort,
    virtual: vs.address,
    virtualPort: vs.port,
    destination: dest.address,
    destinationPort: dest.port,
    state: fresh.state,
    expiresSeconds: fresh.timeout,
    template: false,
  });
  steps.push({
    what: dest.forward === "Masq" ? "ip_vs_nat_xmit" : "ip_vs_null_xmit",
    detail:
      dest.forward === "Masq"
        ? `DNAT ${ipvsAddrPort(packet.dst, packet.dstPort)} → ${key(dest)}; the source stays ${packet.src} unless iptables marked the packet for masquerade`
        : `${key(dest)} is an address of this node: delivered locally (Local forwarding)`,
  });
  return { virtualServer: vs, chosen: key(dest), candidates: candidateKeys, scheduler, steps, connections };
}
