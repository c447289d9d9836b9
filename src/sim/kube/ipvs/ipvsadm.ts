import { parseIpv6 } from "../../netfilter/address";
import { dottedQuadValue } from "../../netfilter/dotted-quad";

export type IpvsProtocol = "TCP" | "UDP" | "SCTP";

export interface RealServer {
  readonly address: string;
  readonly port: number;
  /** kube-proxy always writes weight 1 (syncEndpoint). */
  readonly weight: number;
  /**
   * kube-proxy asks for masquerading (conn_flags 0); the kernel turns that into "Local" when the
   * destination address is one of the node's own (__ip_vs_update_dest: inet_addr_type == RTN_LOCAL).
   */
  readonly forward: "Masq" | "Local";
}

export interface VirtualServer {
  readonly protocol: IpvsProtocol;
  readonly address: string;
  readonly port: number;
  readonly scheduler: string;
  /** `-p` timeout in seconds for ClientIP session affinity (IP_VS_SVC_F_PERSISTENT); null otherwise. */
  readonly persistentTimeout: number | null;
  /** Which address of the Service this is. */
  readonly kind: "ClusterIP" | "ExternalIP" | "LoadBalancer" | "NodePort";
  /** ServicePortName, "ns/name:port". */
  readonly service: string;
  /**
   * Destinations in the kernel's list order. kube-proxy adds them one by one and the kernel links each
   * new one at the head of svc->destinations (list_add_rcu), so this is the reverse of the add order.
   * kube-proxy adds from a Go set (random order); this model adds in address order.
   */
  readonly realServers: readonly RealServer[];
}

/** One line of /proc/net/ip_vs_conn, as `ipvsadm -Lnc` lists it. */
export interface IpvsConnection {
  readonly protocol: IpvsProtocol;
  readonly client: string;
  /** 0 for a persistence template. */
  readonly clientPort: number;
  readonly virtual: string;
  readonly virtualPort: number;
  readonly destination: string;
  readonly destinationPort: number;
  /** TCP: "SYN_RECV", "ESTABLISHED" …; UDP: "UDP"; SCTP: "INIT1" …; templates: "NONE". */
  readonly state: string;
  readonly expiresSeconds: number;
  /** IP_VS_CONN_F_TEMPLATE: the persistence record that pins a client to a real server. */
  readonly template: boolean;
}

const PROTO_NUMBER: Record<IpvsProtocol, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/** C's `int r = (unsigned)a - (unsigned)b;`: the difference wraps to a signed 32-bit int. */
function wrappedDiff(a: number, b: number): number {
  return (a - b) | 0;
}

const isIpv6 = (address: string) => address.includes(":");

/** AF_INET is 2 and AF_INET6 is 10: libipvs compares `af` before the address. */
const af = (address: string) => (isIpv6(address) ? 10 : 2);

/** An IPv6 address as the four host-order 32-bit words libipvs compares (s6_addr32[0..3], ntohl'd). */
function ipv6Words(address: string): number[] {
  const value = parseIpv6(address);
  return [96n, 64n, 32n, 0n].map((shift) => Number((value >> shift) & 0xffffffffn));
}

/**
 * The address part of ipvs_cmp_services / ipvs_cmp_dests: IPv4 as one wrapped difference; IPv6 word
 * by word, each difference wrapped the same way, the first non-zero one deciding.
 */
function compareAddressWords(a: string, b: string): number {
  if (!isIpv6(a) || !isIpv6(b)) return wrappedDiff(dottedQuadValue(a), dottedQuadValue(b));
  const x = ipv6Words(a);
  const y = ipv6Words(b);
  for (let i = 0; i < 4; i++) {
    const r = wrappedDiff(x[i]!, y[i]!);
    if (r !== 0) return r;
  }
  return 0;
}

/** ipvsadm's addrport_to_anyname with FMT_NUMERIC: "10.96.0.10:53", IPv6 in brackets "[fd00::a]:53". */
export function ipvsAddrPort(address: string, port: number): string {
  return isIpv6(address) ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * libipvs ipvs_cmp_services: fwmark, af, protocol, then `ntohl(addr1) - ntohl(addr2)` as an int,
 * then port. Because the address difference wraps, two addresses 2^31 or more apart compare the
 * "wrong" way round (10.96.0.10 sorts after 192.168.0.5), and the order is not even transitive —
 * which is why this model sorts with the same algorithm glibc's qsort uses. On a dual-stack node
 * the af comparison lists every IPv4 service before every IPv6 one; IPv6 addresses are compared
 * as four 32-bit words, each difference wrapping the same way.
 */
export function compareServices(a: VirtualServer, b: VirtualServer): number {
  const f = af(a.address) - af(b.address);
  if (f !== 0) return f;
  const p = PROTO_NUMBER[a.protocol] - PROTO_NUMBER[b.protocol];
  if (p !== 0) return p;
  const r = compareAddressWords(a.address, b.address);
  if (r !== 0) return r;
  return a.port - b.port;
}

/** libipvs ipvs_cmp_dests: the same wrapped address difference (word by word for IPv6), then port. */
export function compareDests(a: RealServer, b: RealServer): number {
  const r = compareAddressWords(a.address, b.address);
  if (r !== 0) return r;
  return a.port - b.port;
}

/**
 * glibc 2.36 qsort (Debian 12, where ipvsadm 1.31 runs): msort_with_tmp, a top-down merge sort that
 * splits n into n/2 and n − n/2 and takes from the left run while cmp(left, right) <= 0. With a
 * consistent comparator any stable sort would do; with ipvsadm's wrapping comparator only the same
 * algorithm gives the same order.
 */
export function glibcMsort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  const b = items.slice();
  // One scratch buffer for every merge, as msort_with_tmp uses one.
  const tmp = new Array<T>(b.length);
  const sort = (lo: number, n: number): void => {
    if (n <= 1) return;
    const n1 = Math.floor(n / 2);
    const n2 = n - n1;
    sort(lo, n1);
    sort(lo + n1, n2);
    let k = 0;
    let i = lo;
    let j = lo + n1;
    let r1 = n1;
    let r2 = n2;
    while (r1 > 0 && r2 > 0) {
      if (cmp(b[i]!, b[j]!) <= 0) {
        tmp[k++] = b[i++]!;
        r1--;
      } else {
        tmp[k++] = b[j++]!;
        r2--;
      }
    }
    while (r1 > 0) {
      tmp[k++] = b[i++]!;
      r1--;
    }
    for (let m = 0; m < k; m++) b[lo + m] = tmp[m]!;
  };
  sort(0, b.length);
  return b;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

/** Per-destination counters as the kernel keeps them: ESTABLISHED TCP is active, the rest inactive. */
function counters(vs: VirtualServer, rs: RealServer, connections: readonly IpvsConnection[]): { active: number; inactive: number } {
  let active = 0;
  let inactive = 0;
  for (const c of connections) {
    if (c.template) continue;
    if (c.protocol !== vs.protocol || c.virtual !== vs.address || c.virtualPort !== vs.port) continue;
    if (c.destination !== rs.address || c.destinationPort !== rs.port) continue;
    // ip_vs_bind_dest starts every connection IP_VS_CONN_F_INACTIVE; only TCP (and SCTP) state
    // changes move it to the active counter, so UDP connections stay inactive for their whole life.
    if ((c.protocol === "TCP" || c.protocol === "SCTP") && c.state === "ESTABLISHED") active++;
    else inactive++;
  }
  return { active, inactive };
}

/**
 * `ipvsadm -Ln` (ipvsadm 1.31 list_all / print_service_entry): the version line with the connection
 * table size (CONFIG_IP_VS_TAB_BITS=12 → 4096), the two title lines, then each service sorted by
 * ipvs_cmp_services and its destinations sorted by ipvs_cmp_dests. A service line is
 * `"%s  %s"` (protocol, addr:port, cut at 33 characters) then `" %s"` scheduler and, for a persistent
 * service, `" persistent %u"`. A destination line is `"  -> %-28s %-7s %-6d %-10u %-10u\n"` — so it
 * ends in padding spaces, exactly as the real tool prints it. IPv6 addresses are bracketed
 * (`TCP  [fd00:10:96::a]:80 rr`) and never cut: print_service_entry truncates only non-AF_INET6 names,
 * so a long IPv6 destination pushes the columns after it to the right.
 *
 * Simplified: scheduler flags (`sh-port`, `mh-fallback` …) are not printed; kube-proxy sets one only
 * for the "mh" scheduler.
 */
export function ipvsadmLn(virtualServers: readonly VirtualServer[], connections: readonly IpvsConnection[] = []): string {
  const lines = [
    "IP Virtual Server version 1.2.1 (size=4096)",
    "Prot LocalAddress:Port Scheduler Flags",
    "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn",
  ];
  for (const vs of glibcMsort(virtualServers, compareServices)) {
    const svcFull = `${vs.protocol}  ${ipvsAddrPort(vs.address, vs.port)}`;
    const svcName = isIpv6(vs.address) ? svcFull : svcFull.slice(0, 33);
    lines.push(`${svcName} ${vs.scheduler}${vs.persistentTimeout !== null ? ` persistent ${vs.persistentTimeout}` : ""}`);
    for (const rs of glibcMsort(vs.realServers, compareDests)) {
      const { active, inactive } = counters(vs, rs, connections);
      const dfull = ipvsAddrPort(rs.address, rs.port);
      const dname = isIpv6(rs.address) ? dfull : dfull.slice(0, 28);
      lines.push(`  -> ${pad(dname, 28)} ${pad(rs.forward, 7)} ${pad(String(rs.weight), 6)} ${pad(String(active), 10)} ${pad(String(inactive), 10)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `ipvsadm -Lnc` (list_conn / print_conn): `"%-3s %-6s %-11s %-18s %-18s %s\n"` with the expiry as
 * mm:ss (minutes are not wrapped into hours: a 3-hour template shows as 180:00). Entries are listed
 * in the order given, as /proc/net/ip_vs_conn lists them in hash-bucket order.
 */
export function ipvsadmLnc(connections: readonly IpvsConnection[]): string {
  const lines = ["IPVS connection entries", `pro expire ${pad("state", 11)} ${pad("source", 18)} ${pad("virtual", 18)} destination`];
  for (const c of connections) {
    const minutes = Math.floor(c.expiresSeconds / 60);
    const seconds = c.expiresSeconds % 60;
    const expire = `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}`;
    lines.push(
      `${pad(c.protocol, 3)} ${pad(expire, 6)} ${pad(c.state, 11)} ${pad(ipvsAddrPort(c.client, c.clientPort), 18)} ${pad(ipvsAddrPort(c.virtual, c.virtualPort), 18)} ${ipvsAddrPort(c.destination, c.destinationPort)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `ipvsadm -Sn` (the rule format `ipvsadm -R` reads back): `-A -t addr:port -s sched [-p timeout]`
 * then `-a -t addr:port -r dest:port -m -w 1` per destination. kube-proxy's Masq destinations are
 * `-m`; a Local one is saved as `-g` (fwd_switch maps LOCALNODE and DROUTE to -g).
 */
export function ipvsadmSave(virtualServers: readonly VirtualServer[]): string {
  const flag: Record<IpvsProtocol, string> = { TCP: "-t", UDP: "-u", SCTP: "--sctp-service" };
  const lines: string[] = [];
  for (const vs of glibcMsort(virtualServers, compareServices)) {
    const svc = `${flag[vs.protocol]} ${ipvsAddrPort(vs.address, vs.port)}`;
    lines.push(`-A ${svc} -s ${vs.scheduler}${vs.persistentTimeout !== null ? ` -p ${vs.persistentTimeout}` : ""}`);
    for (const rs of glibcMsort(vs.realServers, compareDests)) {
      lines.push(`-a ${svc} -r ${ipvsAddrPort(rs.address, rs.port)} ${rs.forward === "Masq" ? "-m" : "-g"} -w ${rs.weight}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
