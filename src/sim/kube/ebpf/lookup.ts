import { maglevFlowHash, maglevTable } from "../../edge/maglev";
import { seededRandom } from "../../random";
import { bucketBy } from "../ipvs/hash-index";
import { WILDCARD_ADDRESS, type EbpfServiceMaps, type Lb4Backend, type Lb4Protocol, type Lb4RevNat, type Lb4ServiceEntry, type LbScope } from "./maps";

/** "10.4.1.5:8080", or "[fd00:10:244::5]:8080" for IPv6, as cilium prints a backend. */
const hostPort = (address: string, port: number) => (address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`);

export interface EbpfPacket {
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
}

/**
 * A datapath state entry this lookup reads or creates.
 *   - "service": the CT_SERVICE conntrack entry lb4_local() creates at tc (ct_create4 with
 *     backend_id and rev_nat_index), which keeps later packets of the flow on the same backend;
 *   - "reverse-sk": the socket-LB reverse-NAT entry (cilium_lb4_reverse_sk, keyed by socket cookie and
 *     backend) that makes getpeername()/recvmsg() show the Service address;
 *   - "affinity": a cilium_lb4_affinity entry (client → backend) for sessionAffinity: ClientIP.
 */
export interface EbpfConntrackEntry {
  readonly kind: "service" | "reverse-sk" | "affinity";
  readonly proto: Lb4Protocol;
  readonly client: string;
  readonly clientPort: number;
  readonly frontend: string;
  readonly frontendPort: number;
  readonly backendId: number;
  readonly revNatIndex: number;
  /** One line for people: "TCP 10.4.1.7:40000 -> 10.96.0.10:80 service backend_id=3 rev_nat_index=2". */
  readonly text: string;
}

export interface EbpfLookupResult {
  /** "ip:port" of the backend ("[ip]:port" for IPv6), or null. */
  readonly chosen: string | null;
  readonly candidates: string[];
  readonly steps: { what: string; detail: string }[];
  /** The entries the datapath holds after this packet (those given plus the ones it created). */
  readonly conntrack: EbpfConntrackEntry[];
}

export interface EbpfLookupOptions {
  /** Stands for get_prandom_u32() (and, for UDP socket-LB, the socket cookie). */
  seed?: number;
  /** true: the packet's socket belongs to a Pod on this node and connect() is translated (bpf_sock.c). */
  socketLb?: boolean;
  /** --bpf-lb-algorithm: "random" (Cilium's default, and GKE Dataplane V2's) or "maglev". */
  algorithm?: "random" | "maglev";
  /** Existing state (conntrack, affinity) from earlier lookups. */
  conntrack?: readonly EbpfConntrackEntry[];
}

/** Cilium's default --bpf-lb-maglev-table-size: a prime, as Maglev needs. */
export const CILIUM_MAGLEV_TABLE_SIZE = 16381;

/**
 * cilium_lb4_services_v2, cilium_lb4_backends_v3 and cilium_lb4_reverse_nat are BPF hash maps; the
 * model holds them as arrays. This index gives a lookup the hash map's constant cost: built on the
 * first lookup in a maps object (and rebuilt if one of its arrays is replaced or grows), with each
 * bucket in array order and every lookup still testing the exact key, so it finds what a scan of
 * the array finds.
 */
interface MapsIndex {
  readonly arrays: readonly [readonly Lb4ServiceEntry[], readonly Lb4Backend[], readonly Lb4RevNat[]];
  readonly lengths: readonly [number, number, number];
  /** By frontendKey(address, dport, proto, scope): a frontend's master and slot entries. */
  readonly services: Map<string, Lb4ServiceEntry[]>;
  readonly backends: Map<number, Lb4Backend[]>;
  readonly revNat: Map<number, Lb4RevNat[]>;
}

const mapsIndexes = new WeakMap<EbpfServiceMaps, MapsIndex>();

/** struct lb4_key without the slot. */
function frontendKey(address: string, dport: number, proto: string, scope: string): string {
  return `${address} ${dport} ${proto} ${scope}`;
}

function indexOf(maps: EbpfServiceMaps): MapsIndex {
  const cached = mapsIndexes.get(maps);
  if (
    cached &&
    cached.arrays[0] === maps.services &&
    cached.arrays[1] === maps.backends &&
    cached.arrays[2] === maps.revNat &&
    cached.lengths[0] === maps.services.length &&
    cached.lengths[1] === maps.backends.length &&
    cached.lengths[2] === maps.revNat.length
  ) {
    return cached;
  }
  const index: MapsIndex = {
    arrays: [maps.services, maps.backends, maps.revNat],
    lengths: [maps.services.length, maps.backends.length, maps.revNat.length],
    services: bucketBy(maps.services, (e) => frontendKey(e.address, e.dport, e.proto, e.scope)),
    backends: bucketBy(maps.backends, (b) => b.id),
    revNat: bucketBy(maps.revNat, (r) => r.index),
  };
  mapsIndexes.set(maps, index);
  return index;
}

/** The entries of one frontend (any slot), in array order. */
function frontendEntries(index: MapsIndex, address: string, dport: number, proto: Lb4Protocol, scope: LbScope): readonly Lb4ServiceEntry[] {
  return index.services.get(frontendKey(address, dport, proto, scope)) ?? [];
}

function isEntry(e: Lb4ServiceEntry, address: string, dport: number, proto: Lb4Protocol, scope: LbScope, slot: number): boolean {
  return e.backendSlot === slot && e.address === address && e.dport === dport && e.proto === proto && e.scope === scope;
}

function findBackend(index: MapsIndex, id: number): Lb4Backend | undefined {
  const bucket = index.backends.get(id);
  if (!bucket) return undefined;
  for (const b of bucket) if (b.id === id) return b;
  return undefined;
}

function findRevNat(index: MapsIndex, revNatIndex: number): Lb4RevNat | undefined {
  const bucket = index.revNat.get(revNatIndex);
  if (!bucket) return undefined;
  for (const r of bucket) if (r.index === revNatIndex) return r;
  return undefined;
}

/** The slot-0 entry of lb4_key {address, dport, proto, scope}. */
function findMaster(index: MapsIndex, address: string, dport: number, proto: Lb4Protocol, scope: LbScope): Lb4ServiceEntry | undefined {
  for (const e of frontendEntries(index, address, dport, proto, scope)) if (isEntry(e, address, dport, proto, scope, 0)) return e;
  return undefined;
}

/** The backends of slots 1…count (lb4_lookup_backend_slot, then the backend map), skipping any missing. */
function slots(index: MapsIndex, master: Lb4ServiceEntry): Lb4Backend[] {
  // The first entry of each slot, in one pass over the frontend's entries.
  const bySlot: (Lb4ServiceEntry | undefined)[] = [];
  for (const e of frontendEntries(index, master.address, master.dport, master.proto, master.scope)) {
    const slot = e.backendSlot;
    if (Number.isInteger(slot) && slot >= 1 && slot <= master.count && bySlot[slot] === undefined && isEntry(e, master.address, master.dport, master.proto, master.scope, slot)) {
      bySlot[slot] = e;
    }
  }
  const out: Lb4Backend[] = [];
  for (let slot = 1; slot <= master.count; slot++) {
    const entry = bySlot[slot];
    const backend = entry ? findBackend(index, entry.backendId) : undefined;
    if (backend) out.push(backend);
  }
  return out;
}

/**
 * bpf/lib/lb.h lb4_lookup_service: look the frontend up with scope EXT and slot 0; if the entry has
 * two scopes and the caller may switch scope (traffic from inside the cluster), look again with
 * scope INT.
 */
function lookupService(
  index: MapsIndex,
  address: string,
  dport: number,
  proto: Lb4Protocol,
  scopeSwitch: boolean,
): Lb4ServiceEntry | undefined {
  const ext = findMaster(index, address, dport, proto, "external");
  if (!ext) return undefined;
  if (!scopeSwitch || !ext.flags.includes("TwoScopes")) return ext;
  return findMaster(index, address, dport, proto, "internal");
}

/**
 * A packet (or, with socket-LB, a connect()) through Cilium's Service datapath.
 *
 * Follows Cilium's source: the lookup key (address, port, protocol, scope) and the slot-0 master
 * entry; scope switching for in-cluster clients; random selection as `slot = (prandom % count) + 1`
 * (lb4_select_backend_id_random at tc, sock_select_slot in bpf_sock.c); Maglev as
 * `lut[hash(tuple) % M]`; the CT_SERVICE entry that pins an established flow at tc; the rev-NAT
 * index carried for the reply; socket-LB rewriting the socket's destination once at connect(), so no
 * packet of the flow is ever NATed and there is no per-packet Service lookup afterwards.
 *
 * Simplified: the Maglev permutation uses this project's SipHash-based backend hashing (go-maglev's)
 * rather than Cilium's murmur3 with a cluster-wide seed, and the flow hash is SipHash of the 5-tuple
 * text rather than the datapath's jhash — so which backend Maglev picks differs from a real node,
 * while the properties (same tuple → same backend on every node, balanced slots) hold. The
 * wildcard NodePort lookup is reduced to "destination is one of this node's addresses". Socket-LB
 * with Maglev is not modelled (bpf_sock.c picks a random slot).
 *
 * An IPv6 packet is looked up in the lb6 maps (`ebpfServiceMaps(state, "IPv6")`) by the IPv6 twins of
 * the same functions — lb6_lookup_service, lb6_local, __sock6_xlate_fwd at cgroup/connect6 — which
 * follow the same steps.
 */
export function ebpfLookup(maps: EbpfServiceMaps, packet: EbpfPacket, options: EbpfLookupOptions = {}): EbpfLookupResult {
  const proto = packet.protocol.toUpperCase() as Lb4Protocol;
  const socketLb = options.socketLb ?? false;
  const algorithm = options.algorithm ?? "random";
  const conntrack = [...(options.conntrack ?? [])];
  const steps: { what: string; detail: string }[] = [];
  const family = maps.family ?? "IPv4";
  // The datapath's own names carry the family: lb4_* / lb6_*, sock4_* / sock6_*.
  const v = family === "IPv6" ? "6" : "4";
  const wildcard = WILDCARD_ADDRESS[family];
  const where = socketLb ? `cgroup/connect${v} (bpf_sock.c __sock${v}_xlate_fwd)` : `tc ingress (bpf_host.c / nodeport.h, lb${v}_local)`;
  const done = (chosen: string | null, candidates: string[]): EbpfLookupResult => ({ chosen, candidates, steps, conntrack });

  const index = indexOf(maps);
  let svc = lookupService(index, packet.dst, packet.dstPort, proto, socketLb);
  steps.push({
    what: `lb${v}_lookup_service`,
    detail: `${where}: key {${packet.dst}, ${packet.dstPort}, ${proto}, slot 0, scope ${svc?.scope ?? "external"}} → ${
      svc ? `${svc.frontendType} of ${svc.service}, count ${svc.count}, rev_nat_index ${svc.revNatIndex}` : "no entry"
    }`,
  });
  if (!svc && maps.nodeAddresses.includes(packet.dst)) {
    svc = lookupService(index, wildcard, packet.dstPort, proto, socketLb);
    steps.push({
      what: "wildcard lookup",
      detail: `${packet.dst} is a node address: retry with the ${hostPort(wildcard, packet.dstPort)} NodePort surrogate → ${svc ? `count ${svc.count}` : "no entry"}`,
    });
  }
  if (!svc) {
    steps.push({ what: "no service", detail: "not a Service frontend: the packet is not translated" });
    return done(null, []);
  }
  const backends = slots(index, svc);
  const candidates = backends.map((b) => hostPort(b.address, b.port));
  if (svc.count === 0) {
    steps.push({
      what: "no backend",
      detail: socketLb ? "count is 0: connect() fails with EHOSTUNREACH" : "count is 0: dropped (DROP_NO_SERVICE), an ICMP unreachable may be sent",
    });
    return done(null, candidates);
  }

  const front = svc;
  let chosen: Lb4Backend | undefined;

  if (!socketLb) {
    const ct = conntrack.find(
      (c) => c.kind === "service" && c.proto === proto && c.client === packet.src && c.clientPort === packet.srcPort && c.frontend === front.address && c.frontendPort === front.dport,
    );
    const pinned = ct ? backends.find((b) => b.id === ct.backendId) : undefined;
    if (ct && pinned) {
      steps.push({ what: `ct_lazy_lookup${v}`, detail: `CT_ESTABLISHED: the flow keeps backend_id ${pinned.id} (${hostPort(pinned.address, pinned.port)})` });
      chosen = pinned;
    } else {
      steps.push({ what: `ct_lazy_lookup${v}`, detail: ct ? "CT entry's backend is gone: select again" : "CT_NEW: no service conntrack entry for this tuple" });
    }
  }

  if (!chosen && front.affinityTimeout !== null) {
    const aff = conntrack.find((c) => c.kind === "affinity" && c.client === packet.src && c.revNatIndex === front.revNatIndex);
    const pinned = aff ? backends.find((b) => b.id === aff.backendId) : undefined;
    if (pinned) {
      chosen = pinned;
      steps.push({ what: `lb${v}_affinity_backend_id_by_addr`, detail: `client ${packet.src} is pinned to backend_id ${pinned.id} (timeout ${front.affinityTimeout} s)` });
    }
  }

  if (!chosen) {
    if (algorithm === "maglev" && !socketLb) {
      const names = backends.map((b) => hostPort(b.address, b.port));
      const table = maglevTable(names, CILIUM_MAGLEV_TABLE_SIZE);
      const index = Number(maglevFlowHash(`${proto} ${hostPort(packet.src, packet.srcPort)} ${hostPort(packet.dst, packet.dstPort)}`) % BigInt(CILIUM_MAGLEV_TABLE_SIZE));
      chosen = backends[table.entries[index]!];
      steps.push({ what: `lb${v}_select_backend_id_maglev`, detail: `hash(5-tuple) % ${CILIUM_MAGLEV_TABLE_SIZE} = ${index} → ${hostPort(chosen!.address, chosen!.port)}` });
    } else {
      const prandom = Math.floor(seededRandom(options.seed ?? 0)() * 0x100000000);
      const slot = (prandom % front.count) + 1;
      chosen = backends[slot - 1];
      steps.push({
        what: socketLb ? "sock_select_slot" : `lb${v}_select_backend_id_random`,
        detail: `${socketLb && proto === "UDP" ? "socket cookie" : "get_prandom_u32()"} = ${prandom}; slot = ${prandom} % ${front.count} + 1 = ${slot} → backend_id ${chosen!.id} (${hostPort(chosen!.address, chosen!.port)})`,
      });
    }
    if (front.affinityTimeout !== null) {
      conntrack.push({
        kind: "affinity",
        proto,
        client: packet.src,
        clientPort: 0,
        frontend: front.address,
        frontendPort: front.dport,
        backendId: chosen!.id,
        revNatIndex: front.revNatIndex,
        text: `affinity ${packet.src} rev_nat_index=${front.revNatIndex} -> backend_id=${chosen!.id}`,
      });
    }
  }
  const backend = chosen!;
  const target = hostPort(backend.address, backend.port);
  if (findBackend(index, backend.id) === undefined) return done(null, candidates);

  if (socketLb) {
    conntrack.push({
      kind: "reverse-sk",
      proto,
      client: packet.src,
      clientPort: packet.srcPort,
      frontend: front.address,
      frontendPort: front.dport,
      backendId: backend.id,
      revNatIndex: front.revNatIndex,
      text: `reverse_sk cookie(${hostPort(packet.src, packet.srcPort)}) ${target} -> ${hostPort(front.address, front.dport)} rev_nat_index=${front.revNatIndex}`,
    });
    steps.push({
      what: `sock${v}_update_revnat + rewrite`,
      detail: `connect() now targets ${target} (ctx->user_ip${v}/user_port rewritten); packets leave the Pod already addressed to the backend, so no per-packet NAT and no iptables`,
    });
  } else {
    if (!conntrack.some((c) => c.kind === "service" && c.client === packet.src && c.clientPort === packet.srcPort && c.frontend === front.address && c.frontendPort === front.dport && c.proto === proto)) {
      conntrack.push({
        kind: "service",
        proto,
        client: packet.src,
        clientPort: packet.srcPort,
        frontend: front.address,
        frontendPort: front.dport,
        backendId: backend.id,
        revNatIndex: front.revNatIndex,
        text: `${proto} ${hostPort(packet.src, packet.srcPort)} -> ${hostPort(front.address, front.dport)} service backend_id=${backend.id} rev_nat_index=${front.revNatIndex}`,
      });
    }
    const rev = findRevNat(index, front.revNatIndex);
    steps.push({
      what: `lb${v}_xlate`,
      detail: `DNAT ${hostPort(packet.dst, packet.dstPort)} → ${target}; replies are rewritten back to ${rev ? hostPort(rev.address, rev.port) : "the frontend"} by lb${v}_rev_nat (rev_nat_index ${front.revNatIndex})`,
    });
  }
  return done(target, candidates);
}
