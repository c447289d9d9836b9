/**
 * One request's fate, computed: the packet walks the node's kube-proxy rules (iptables or IPVS, via
 * `kubeProxyWalk`), and where it is DNATed the chosen Pod either listens on that port (the app
 * answers) or does not (the kernel answers the SYN with a RST). From the walk come what curl prints,
 * the packets tcpdump would show and the conntrack entry left behind.
 *
 * Names resolve through the DNS model (src/sim/kube/dns/): the client Pod's resolv.conf (ClusterFirst),
 * glibc's search order, the records cluster DNS serves. Where the cluster runs kube-dns as a Pod and a
 * NetworkPolicy governs the client, whether the queries reach it is the policy model's decision
 * (src/sim/kube/policy/), and so is every connection from the client Pod to another Pod. A request to
 * an Ingress address is routed by the L7 model's matcher (src/sim/kube/l7/), the same one the route
 * matcher lab and the GFE's URL map use. The MTU case's upload is decided by src/sim/kube/mtu/path.ts.
 *
 * Simplifications, said aloud: only the first packet of a connection is walked through kube-proxy (the
 * rest follow its conntrack entry); the application answers 200 to any path.
 */
import { kubeProxyWalk, type KubeProxyWalkResult } from "../proxy";
import { loadManifests } from "../manifest/index";
import type { ClusterState, Pod } from "../model";
import { clusterRecords, type ClusterZone } from "../dns/records";
import { resolveName } from "../dns/resolve";
import { searchOrder } from "../dns/search";
import { podResolvConf, type ResolvConf } from "../dns/resolv-conf";
import { matchIngress } from "../l7/ingress";
import { INGRESS_KIND, type Ingress } from "../l7/ingress-read";
import { parseRouteRequest } from "../l7/request";
import { evaluateConnection, type PolicyVerdict, type PolicyWorld } from "../policy/evaluate";
import { networkPolicyKind } from "../policy/read";
import type { NetworkPolicy } from "../policy/types";
import { mtuPath, MTU_PATH_DEFAULTS, type MtuPathResult } from "../mtu/path";
import { buildCase, CLIENT_POD, KUBE_DNS_IP, NODES, OUTSIDE_CLIENT, type TroubleCase } from "./cases";

export interface CaseCluster {
  readonly trouble: TroubleCase;
  /** The cluster as kube-proxy on node-a sees it (the node the lab's shell runs on). */
  readonly state: ClusterState;
  /** Read by the L7 model's reader; the address each holds is the case's `ingressAddress`. */
  readonly ingresses: readonly Ingress[];
  readonly policies: readonly NetworkPolicy[];
  /** The policy model's world: the policies and the namespaces the cluster's Pods live in. */
  readonly world: PolicyWorld;
  /** The client Pod's /etc/resolv.conf, as kubelet writes it for dnsPolicy ClusterFirst. */
  readonly resolvConf: ResolvConf;
  /** The records cluster DNS serves for this cluster. */
  readonly zone: ClusterZone;
  /** kube-proxy's view from either node, for requests that arrive at node-b. */
  readonly onNode: (node: "node-a" | "node-b") => ClusterState;
}

/** Loads a case's YAML through the manifest model (and again as node-b's kube-proxy, on demand). */
export function loadCase(trouble: TroubleCase): CaseCluster {
  const load = (yaml: string) => loadManifests([{ name: `${trouble.id}.yaml`, text: yaml }], { kinds: { Ingress: INGRESS_KIND, NetworkPolicy: networkPolicyKind } });
  const a = load(trouble.yaml);
  let b: ClusterState | null = null;
  const policies = (a.extra["NetworkPolicy"] ?? []) as NetworkPolicy[];
  const names = [...new Set([...a.state.pods.map((p) => p.metadata.namespace), ...policies.map((p) => p.namespace)])];
  return {
    trouble,
    state: a.state,
    ingresses: (a.extra["Ingress"] ?? []) as Ingress[],
    policies,
    world: { policies, namespaces: names.map((name) => ({ name, labels: { "kubernetes.io/metadata.name": name } })) },
    resolvConf: podResolvConf({ namespace: trouble.params.namespace, dnsPolicy: "ClusterFirst", kubeDnsIp: KUBE_DNS_IP }),
    zone: clusterRecords(a.state),
    onNode: (node) => (node === "node-a" ? a.state : (b ??= load(buildCase(trouble.family, trouble.params, "node-b", trouble.fixed).yaml).state)),
  };
}

/**
 * ok: answered; refused: a RST from a Pod; rejected: kube-proxy's ICMP unreachable; timeout: the SYN
 * vanished; not-found: the load balancer's 404; unresolved: NXDOMAIN for every name tried;
 * resolve-timeout: the DNS queries were never answered; stalled: connected, but the data never arrived.
 */
export type ProbeOutcome = "ok" | "refused" | "timeout" | "rejected" | "not-found" | "unresolved" | "resolve-timeout" | "stalled";

export interface Packet {
  readonly iface: string;
  readonly direction: "In" | "Out";
  readonly text: string;
  readonly ports: readonly number[];
  readonly hosts: readonly string[];
  readonly icmp: boolean;
  /** When the packet was seen, in ms after the request started (0 when omitted). */
  readonly atMs?: number;
}

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  readonly curl: string;
  readonly packets: readonly Packet[];
  /** `conntrack -L` lines after the request. */
  readonly conntrack: readonly string[];
  readonly walk: KubeProxyWalkResult | null;
  /** The Pod the request reached, if any. */
  readonly endpoint: { readonly pod: string; readonly ip: string; readonly port: number } | null;
  /** For Ingress requests: which rule decided. */
  readonly rule: string | null;
  /** For a name: the DNS queries sent and whether the policy model let them reach kube-dns. */
  readonly dns?: DnsAttempt | null;
  /** For the MTU case's upload: the MTU model's walk of a full-size segment. */
  readonly mtu?: MtuPathResult | null;
}

export interface DnsAttempt {
  readonly names: readonly string[];
  /** The policy model's verdict for the client Pod → kube-dns Pod on UDP 53; null when nothing governs DNS here. */
  readonly verdict: PolicyVerdict | null;
  readonly answered: boolean;
  readonly addresses: readonly string[];
}

export interface ProbeRequest {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly hostHeader: string | null;
  readonly verbose: boolean;
  /** A request body's size in bytes (curl --data-binary); 0 or absent: none. */
  readonly bodyBytes?: number;
  /** curl -m: the whole request's limit in seconds. */
  readonly maxTime?: number | null;
}

export function vethOf(ip: string): string {
  // A stable, made-up interface name per Pod address, in the form GKE's CNI uses (gke + 11 hex).
  let h = 2166136261;
  for (const ch of ip) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `gke${h.toString(16).padStart(8, "0")}abc`.slice(0, 14);
}

function tcp(iface: string, direction: "In" | "Out", src: string, sport: number, dst: string, dport: number, flags: string, extra = ""): Packet {
  return { iface, direction, text: `IP ${src}.${sport} > ${dst}.${dport}: Flags [${flags}]${extra}, length 0`, ports: [sport, dport], hosts: [src, dst], icmp: false };
}

/** The client Pod as the policy model sees it. */
export function clientPod(cluster: CaseCluster): Pod | undefined {
  return cluster.state.pods.find((p) => p.podIPs.includes(CLIENT_POD.ip));
}

/** The Pods backing kube-dns (kube-system/kube-dns's ready endpoints), if the cluster runs it as a Pod. */
function kubeDnsPods(cluster: CaseCluster): Pod[] {
  const ips = cluster.state.endpointSlices.filter((e) => e.serviceName === "kube-dns" && e.metadata.namespace === "kube-system")
    .flatMap((e) => e.endpoints).filter((ep) => ep.conditions.ready).flatMap((ep) => ep.addresses);
  return cluster.state.pods.filter((p) => p.podIPs.some((ip) => ips.includes(ip)));
}

/**
 * Whether the client Pod's DNS queries reach kube-dns: the policy model decides the connection to the
 * kube-dns Pod on UDP 53 (the destination after kube-proxy's DNAT, which is what NetworkPolicy sees).
 * Null when the cluster has no kube-dns Pod or no policy (then DNS is simply answered).
 */
export function dnsVerdict(cluster: CaseCluster, protocol: "UDP" | "TCP" = "UDP"): PolicyVerdict | null {
  const client = clientPod(cluster);
  const dns = kubeDnsPods(cluster)[0];
  if (client === undefined || dns === undefined || cluster.policies.length === 0) return null;
  return evaluateConnection(cluster.world, { from: { kind: "pod", pod: client }, to: { kind: "pod", pod: dns }, port: 53, protocol });
}

/** A name through the client's resolver: the glibc search order, each name as A and AAAA, until one answers. */
export function resolveFromClient(cluster: CaseCluster, host: string): DnsAttempt {
  const conf = cluster.resolvConf;
  const verdict = dnsVerdict(cluster);
  const r = resolveName(cluster.zone, host, conf.ndots, conf.search);
  if (verdict !== null && !verdict.allowed) {
    // glibc's __res_context_search (resolv/res_query.c): a timeout is TRY_AGAIN without SERVFAIL, which
    // ends the search-list loop after its first domain — but the name as typed is still tried after the
    // loop, unless it was tried first (dots ≥ ndots) or the root was on the list. That is exactly the
    // search order with the list cut to its first domain: for `web`, web.<ns>.svc.cluster.local. then web.
    // Each name is asked `attempts` (2) times, `timeout` (5 s) apart: about twenty seconds in all.
    return { names: searchOrder(host, conf.ndots, conf.search.slice(0, 1)).map((c) => c.name), verdict, answered: false, addresses: [] };
  }
  return { names: r.queries, verdict, answered: r.outcome.found, addresses: r.outcome.addresses };
}

/** The UDP payload length of a query for `name` (header 12 + encoded name + type and class 4; no EDNS). */
export function queryLength(name: string): number {
  const labels = name.replace(/\.$/, "").split(".").filter((l) => l !== "");
  return 12 + labels.reduce((n, l) => n + 1 + l.length, 0) + 1 + 4;
}

/** The resolver's timing (glibc defaults: options timeout:5 attempts:2, none of which kubelet sets). */
export const RES_TIMEOUT_S = 5;
export const RES_ATTEMPTS = 2;

function dnsPackets(cluster: CaseCluster, attempt: DnsAttempt, sport: number): Packet[] {
  const iface = vethOf(CLIENT_POD.ip);
  const out: Packet[] = [];
  const tries = attempt.answered ? 1 : RES_ATTEMPTS;
  let id = 0x1234;
  attempt.names.forEach((name, n) => {
    // Each name is a new res_send: new query IDs, and a new socket (glibc closes its UDP socket once a
    // name is answered or has used up its tries), so a new source port. A retry of the same name resends
    // the same queries, IDs and all, from the same socket (send_dg reuses the buffer).
    const ids = ["A", "AAAA"].map(() => (id = (id * 75 + 74) % 65537 & 0xffff));
    const port = 40000 + ((((sport - 40000 + n * 7919) % 20000) + 20000) % 20000);
    for (let t = 0; t < tries; t++) {
      // Answered names follow each other at once; unanswered tries are `timeout` seconds apart.
      const atMs = attempt.answered ? n : (n * tries + t) * RES_TIMEOUT_S * 1000;
      for (const [k, type] of ["A", "AAAA"].entries()) {
        const id = ids[k]!;
        out.push({ iface, direction: "In", text: `IP ${CLIENT_POD.ip}.${port} > ${KUBE_DNS_IP}.53: ${id}+ ${type}? ${name} (${queryLength(name)})`, ports: [port, 53], hosts: [CLIENT_POD.ip, KUBE_DNS_IP], icmp: false, atMs });
      }
    }
  });
  void cluster;
  return out;
}

const SEQ = 1_000_000_001;

/**
 * The receive window Linux offers in a SYN (tcp_select_initial_window): the largest multiple of the MSS
 * it will use that fits the unscaled 16-bit field — 64240 for MSS 1460, 65320 for 1420. A listener that
 * agreed to timestamps rounds by the MSS less the 12 option bytes: 65160 (45 × 1448) in its SYN-ACK.
 */
export function synWindow(mss: number): number {
  return Math.floor(65535 / mss) * mss;
}

/** The window field of the first segments after the handshake: the SYN's window over 2^7 (wscale 7), rounded up. */
function scaledWindow(window: number): number {
  return Math.ceil(window / 128);
}

/** TCP timestamps (RFC 7323), negotiated in the SYN and SYN-ACK: 12 option bytes in every later segment. */
const TS_OPTION_BYTES = 12;

/** Runs one request from the client Pod (or, for node and load-balancer addresses, from outside). */
export function probe(cluster: CaseCluster, req: ProbeRequest, seed = 0): ProbeResult {
  const ns = cluster.trouble.params.namespace;
  const nodeOf = NODES.find((n) => n.ip === req.host || n.external === req.host);
  const external = nodeOf !== undefined || req.host === cluster.trouble.ingressAddress || req.host.startsWith("203.0.113.");
  const display = `${req.host}${req.port === 80 ? "" : `:${req.port}`}`;
  const curlLines: string[] = [];
  const say = (line: string) => { if (req.verbose) curlLines.push(line); };

  if (cluster.trouble.ingressAddress !== null && req.host === cluster.trouble.ingressAddress) return ingressProbe(cluster, req, seed);
  void ns;

  let ip: string;
  let dnsIn: Packet[] = [];
  let dns: DnsAttempt | null = null;
  if (/^[\d.]+$/.test(req.host)) ip = req.host;
  else {
    dns = resolveFromClient(cluster, req.host);
    dnsIn = dnsPackets(cluster, dns, 40000 + (seed % 20000));
    if (!dns.answered || dns.addresses.length === 0) {
      const timedOut = dns.verdict !== null && !dns.verdict.allowed;
      say(`* Could not resolve host: ${req.host}`);
      say("* Closing connection 0");
      return { outcome: timedOut ? "resolve-timeout" : "unresolved", curl: [...curlLines, `curl: (6) Could not resolve host: ${req.host}`].join("\n"), packets: dnsIn, conntrack: [], walk: null, endpoint: null, rule: null, dns };
    }
    ip = dns.addresses[0]!;
  }
  if (cluster.trouble.onPrem !== null && ip === cluster.trouble.onPrem.server) return onPremProbe(cluster, req);
  const r = connect(ip);
  return dnsIn.length ? { ...r, packets: [...dnsIn, ...r.packets], dns } : r;

  function connect(ip: string): ProbeResult {
  const state = cluster.onNode(nodeOf?.name === "node-b" ? "node-b" : "node-a");
  const src = external ? OUTSIDE_CLIENT : CLIENT_POD.ip;
  const walk = kubeProxyWalk(state, { src, dst: `${ip}:${req.port}`, protocol: "tcp", seed, mode: state.proxyConfig.mode === "ipvs" ? "ipvs" : "iptables" });
  const sport = walk.packet.srcPort;
  const inIface = external ? "eth0" : vethOf(src);
  say(`*   Trying ${ip}:${req.port}...`);
  const syn = tcp(inIface, "In", src, sport, ip, req.port, "S", `, seq ${SEQ}, win ${synWindow(1460)}, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]`);
  const fail = (code: number, why: string, outcome: ProbeOutcome, packets: Packet[], conntrack: string[]): ProbeResult => {
    say(`* connect to ${ip} port ${req.port} failed: ${why}`);
    const line = code === 28 ? `curl: (28) Failed to connect to ${display.split(":")[0]} port ${req.port} after 10001 ms: Timeout was reached` : `curl: (7) Failed to connect to ${display.split(":")[0]} port ${req.port} after 1 ms: Couldn't connect to server`;
    say(`* Closing connection 0`);
    return { outcome, curl: [...curlLines, line].join("\n"), packets, conntrack, walk, endpoint: null, rule: null };
  };
  if (walk.verdict === "REJECT") {
    // REJECT answers with ICMP port unreachable; the SYN's conntrack entry is never confirmed.
    const icmp: Packet = { iface: inIface, direction: "Out", text: `IP ${NODES[0].ip} > ${src}: ICMP ${ip} tcp port ${req.port} unreachable, length 68`, ports: [], hosts: [NODES[0].ip, src, ip], icmp: true };
    return fail(7, "Connection refused", "rejected", [syn, icmp], []);
  }
  if (walk.verdict === "DROP" || walk.packetOut === null) {
    const retries = [1, 3, 7].map((s) => ({ ...syn, atMs: s * 1000 }));
    return fail(28, "Connection timed out", "timeout", [syn, ...retries], walk.conntrack ? [walk.conntrack] : []);
  }
  const out = walk.packetOut;
  const pod = state.pods.find((p) => p.podIPs.includes(out.dst));
  if (pod === undefined && walk.chosen === null) {
    // IPVS found the virtual server but no real server: ip_vs_schedule finds no destination, and
    // ip_vs_leave answers the SYN with ICMP port unreachable from the node and drops it (NF_DROP at
    // LOCAL_IN), so the conntrack entry is never confirmed. The client's kernel reports ECONNREFUSED.
    const icmp: Packet = { iface: inIface, direction: "Out", text: `IP ${NODES[0].ip} > ${src}: ICMP ${ip} tcp port ${req.port} unreachable, length 68`, ports: [], hosts: [NODES[0].ip, src, ip], icmp: true };
    return fail(7, "Connection refused", "rejected", [syn, icmp], []);
  }
  const client = external ? undefined : clientPod(cluster);
  if (client !== undefined && pod !== undefined && cluster.policies.length > 0) {
    const verdict = evaluateConnection(cluster.world, { from: { kind: "pod", pod: client }, to: { kind: "pod", pod }, port: out.dstPort, protocol: "TCP" });
    if (!verdict.allowed) {
      // The enforcing dataplane drops the SYN after the node's capture point: tcpdump sees it arrive, never leave.
      const retries = [1, 3, 7].map((s) => ({ ...syn, atMs: s * 1000 }));
      return fail(28, "Connection timed out", "timeout", [syn, ...retries], []);
    }
  }
  const podNode = pod?.nodeName === state.nodeName ? vethOf(out.dst) : "eth0";
  const fwd = tcp(podNode, "Out", out.src, out.srcPort, out.dst, out.dstPort, "S", `, seq ${SEQ}, win ${synWindow(1460)}, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]`);
  const listening = pod !== undefined && pod.ports.some((c) => c.containerPort === out.dstPort);
  const ct = walk.conntrack ?? "";
  if (!listening) {
    // Nothing listens: the Pod's kernel answers RST, ACK; conntrack moves the entry to CLOSE (10 s).
    const rst = tcp(podNode, "In", out.dst, out.dstPort, out.src, out.srcPort, "R.", `, seq 0, ack ${SEQ + 1}, win 0`);
    const rstBack = tcp(inIface, "Out", ip, req.port, src, sport, "R.", `, seq 0, ack ${SEQ + 1}, win 0`);
    const closed = ct.replace(/^(tcp\s+6) \d+ SYN_SENT/, "$1 9 CLOSE").replace(" [UNREPLIED]", "");
    return { ...fail(7, "Connection refused", "refused", [syn, fwd, rst, rstBack], closed ? [closed] : []), endpoint: pod ? { pod: pod.metadata.name, ip: out.dst, port: out.dstPort } : null };
  }
  const synackOptions = `, seq 2000000001, ack ${SEQ + 1}, win ${synWindow(1460 - TS_OPTION_BYTES)}, options [mss 1460,sackOK,TS val 9 ecr 1,nop,wscale 7]`;
  const synack = tcp(podNode, "In", out.dst, out.dstPort, out.src, out.srcPort, "S.", synackOptions);
  const synackBack = tcp(inIface, "Out", ip, req.port, src, sport, "S.", synackOptions);
  say(`* Connected to ${req.host} (${ip}) port ${req.port} (#0)`);
  say(`> GET ${req.path} HTTP/1.1`, );
  say(`> Host: ${req.hostHeader ?? display}`);
  say(`> User-Agent: curl/7.88.1`);
  say(`> Accept: */*`);
  say(`>`);
  say(`< HTTP/1.1 200 OK`);
  say(`< Content-Type: text/html`);
  say(`<`);
  // The client closes first, so after the exchange the entry sits in TIME_WAIT (120 s), ASSURED.
  const done = ct.replace(/^(tcp\s+6) \d+ SYN_SENT/, "$1 119 TIME_WAIT").replace(" [UNREPLIED]", "").replace(" mark=", " [ASSURED] mark=");
  return {
    outcome: "ok",
    curl: [...curlLines, `<html><body>${pod!.metadata.name.split("-")[0]} ok (${pod!.metadata.name})</body></html>`, ...(req.verbose ? ["* Connection #0 to host " + req.host + " left intact"] : [])].join("\n"),
    packets: [syn, fwd, synack, synackBack],
    conntrack: done ? [done] : [],
    walk,
    endpoint: { pod: pod!.metadata.name, ip: out.dst, port: out.dstPort },
    rule: null,
  };
  }
}

/** A request to the Ingress's address: the Google front end matches Host and path against the URL map. */
function ingressProbe(cluster: CaseCluster, req: ProbeRequest, seed: number): ProbeResult {
  const host = req.hostHeader ?? req.host;
  const ingresses = req.host === cluster.trouble.ingressAddress ? cluster.ingresses : [];
  const lines: string[] = [];
  const say = (l: string) => { if (req.verbose) lines.push(l); };
  say(`*   Trying ${req.host}:${req.port}...`);
  say(`* Connected to ${req.host} (${req.host}) port ${req.port} (#0)`);
  say(`> GET ${req.path} HTTP/1.1`);
  say(`> Host: ${host}`);
  say(`> User-Agent: curl/7.88.1`);
  say(`> Accept: */*`);
  say(`>`);
  const decision = ingresses.length > 0
    ? matchIngress(ingresses, parseRouteRequest(`http://${host}${req.path}`), { services: knownServices(cluster) })
    : { backend: null, summary: "no Ingress holds this address", status: 404 };
  if (decision.backend === null || decision.status === 404) {
    // No rule and no defaultBackend: the URL map's default service — GKE's default-http-backend in kube-system — answers 404.
    const body = "response 404 (backend NotFound), service rules for the path non-existent";
    say(`< HTTP/1.1 404 Not Found`);
    say(`< Content-Type: text/plain; charset=utf-8`);
    say(`< Via: 1.1 google`);
    say(`<`);
    return { outcome: "not-found", curl: [...lines, body].join("\n"), packets: [], conntrack: [], walk: null, endpoint: null, rule: decision.summary };
  }
  const backend = decision.backend;
  const svc = cluster.state.services.find((x) => x.metadata.name === backend.service && x.metadata.namespace === cluster.trouble.params.namespace);
  const port = typeof backend.port === "number" ? backend.port : svc?.ports.find((x) => x.name === backend.port)?.port ?? 80;
  const inner = probe(cluster, { host: backend.service, port, path: req.path, hostHeader: host, verbose: false }, seed);
  if (inner.outcome === "ok") {
    say(`< HTTP/1.1 200 OK`);
    say(`< Via: 1.1 google`);
    say(`<`);
  } else {
    say(`< HTTP/1.1 502 Bad Gateway`);
    say(`<`);
  }
  return { ...inner, curl: [...lines, inner.outcome === "ok" ? inner.curl : "<title>502 Server Error</title>"].join("\n"), rule: decision.summary };
}

/** The cluster's Services as the L7 matcher checks backends against them. */
function knownServices(cluster: CaseCluster) {
  return cluster.state.services.map((s) => ({ namespace: s.metadata.namespace, name: s.metadata.name, ports: s.ports.map((p) => ({ name: p.name, port: p.port })) }));
}

/** The health check GKE's load balancer sends to healthCheckNodePort: kube-proxy answers from its count of local ready endpoints. */
export function healthCheck(cluster: CaseCluster, node: "node-a" | "node-b", port: number): { status: number; text: string } | null {
  const state = cluster.onNode(node);
  const svc = state.services.find((s) => s.healthCheckNodePort === port);
  if (!svc) return null;
  const local = state.endpointSlices
    .filter((e) => e.serviceName === svc.metadata.name && e.metadata.namespace === svc.metadata.namespace)
    .flatMap((e) => e.endpoints)
    .filter((ep) => ep.nodeName === node && ep.conditions.ready).length;
  const status = local > 0 ? 200 : 503;
  const body = JSON.stringify({ service: { namespace: svc.metadata.namespace, name: svc.metadata.name }, localEndpoints: local, serviceProxyHealthy: true });
  return { status, text: [`< HTTP/1.1 ${status} ${status === 200 ? "OK" : "Service Unavailable"}`, "< Content-Type: application/json", "< X-Content-Type-Options: nosniff", `< X-Load-Balancing-Endpoint-Weight: ${local}`, "<", body].join("\n") };
}

/** The MTU model's walk of one full-size segment from a Pod to the on-premises server (Dataplane V2, VPC MTU 1460). */
export function onPremPath(cluster: CaseCluster): MtuPathResult | null {
  const onPrem = cluster.trouble.onPrem;
  if (onPrem === null) return null;
  return mtuPath({ ...MTU_PATH_DEFAULTS, cni: "dataplane-v2", nodeMtu: 1460, destination: "on-prem", linkMtu: onPrem.linkMtu, icmpFiltered: onPrem.icmpFiltered, df: true, podMtu: null, size: null });
}

/** The Pod's MTU, as the MTU model gives it for the case's CNI. */
export function clientMtu(cluster: CaseCluster): number {
  return onPremPath(cluster)?.podMtu ?? 1460;
}

/** The request line and headers curl sends (bytes on the wire), for a POST with a body or a GET. */
function requestHead(req: ProbeRequest, host: string): string[] {
  const body = req.bodyBytes ?? 0;
  return [`${body > 0 ? "POST" : "GET"} ${req.path} HTTP/1.1`, `Host: ${host}`, "User-Agent: curl/7.88.1", "Accept: */*",
    ...(body > 0 ? [`Content-Length: ${body}`, "Content-Type: application/x-www-form-urlencoded", ...(body > 1024 ? ["Expect: 100-continue"] : [])] : [])];
}

/**
 * A request from the client Pod to the on-premises server. The handshake and a small request fit every
 * link; a body that fills full-size segments meets the 1400-byte link, and what happens then is the MTU
 * model's: path MTU discovery when the ICMP comes back, a black hole when the firewall eats it.
 */
function onPremProbe(cluster: CaseCluster, req: ProbeRequest): ProbeResult {
  const onPrem = cluster.trouble.onPrem!;
  const path = onPremPath(cluster)!;
  const ip = onPrem.server;
  const src = CLIENT_POD.ip;
  const sport = 41562;
  const veth = vethOf(src);
  const lines: string[] = [];
  const say = (l: string) => { if (req.verbose) lines.push(l); };
  const head = requestHead(req, req.hostHeader ?? `${req.host}${req.port === 80 ? "" : `:${req.port}`}`);
  const headBytes = head.reduce((n, l) => n + l.length + 2, 2);
  const body = req.bodyBytes ?? 0;
  // The MSS each side announces is its MTU less 40; both offer timestamps, so every segment after the
  // handshake carries 12 bytes of them and a full segment holds MSS − 12 bytes of data.
  const mss = path.podMtu - 40;
  const win = scaledWindow(synWindow(mss));
  // Each side's timestamp clock ticks in milliseconds (Linux's TCP clock); ecr echoes the peer's latest value.
  const tsClient = (atMs: number) => 1 + atMs;
  const tsServer = (atMs: number) => 9 + (atMs - 11);
  const ts = (val: number, ecr: number) => `options [nop,nop,TS val ${val} ecr ${ecr}]`;
  const both = (text: string, atMs: number, icmp = false, from = src, to = ip): Packet[] => [
    { iface: veth, direction: "In", text, ports: icmp ? [] : [sport, req.port], hosts: [from, to, ...(icmp ? [ip] : [])], icmp, atMs },
    { iface: "eth0", direction: "Out", text, ports: icmp ? [] : [sport, req.port], hosts: [from, to, ...(icmp ? [ip] : [])], icmp, atMs },
  ];
  const back = (text: string, atMs: number, icmp = false, from = ip): Packet[] => [
    { iface: "eth0", direction: "In", text, ports: icmp ? [] : [sport, req.port], hosts: [from, src, ...(icmp ? [ip] : [])], icmp, atMs },
    { iface: veth, direction: "Out", text, ports: icmp ? [] : [sport, req.port], hosts: [from, src, ...(icmp ? [ip] : [])], icmp, atMs },
  ];
  const out = `IP ${src}.${sport} > ${ip}.${req.port}`;
  const inn = `IP ${ip}.${req.port} > ${src}.${sport}`;
  const packets: Packet[] = [
    ...both(`${out}: Flags [S], seq ${SEQ}, win ${synWindow(mss)}, options [mss ${mss},sackOK,TS val ${tsClient(0)} ecr 0,nop,wscale 7], length 0`, 0),
    ...back(`${inn}: Flags [S.], seq 3000000001, ack ${SEQ + 1}, win ${synWindow(1460 - TS_OPTION_BYTES)}, options [mss 1460,sackOK,TS val ${tsServer(11)} ecr ${tsClient(0)},nop,wscale 7], length 0`, 11),
    ...both(`${out}: Flags [.], ack 1, win ${win}, ${ts(tsClient(11), tsServer(11))}, length 0`, 11),
    ...both(`${out}: Flags [P.], seq 1:${headBytes + 1}, ack 1, win ${win}, ${ts(tsClient(11), tsServer(11))}, length ${headBytes}`, 11),
    ...back(`${inn}: Flags [.], ack ${headBytes + 1}, win 509, ${ts(tsServer(22), tsClient(11))}, length 0`, 22),
  ];
  say(`*   Trying ${ip}:${req.port}...`);
  say(`* Connected to ${req.host} (${ip}) port ${req.port} (#0)`);
  for (const l of head) say(`> ${l}`);
  say(">");
  const ok = (extra: Packet[]): ProbeResult => {
    say("< HTTP/1.1 200 OK");
    say("< Content-Type: application/json");
    say("<");
    return { outcome: "ok", curl: [...lines, `{"status":"ok"${body > 0 ? `,"received":${body}` : ""}}`, ...(req.verbose ? [`* Connection #0 to host ${req.host} left intact`] : [])].join("\n"), packets: [...packets, ...extra], conntrack: [], walk: null, endpoint: null, rule: null, mtu: path };
  };
  // Nothing to send beyond the headers, or a body whose one segment (headers and timestamps included) the narrow link carries.
  if (body === 0 || body + 40 + TS_OPTION_BYTES <= onPrem.linkMtu) return ok([]);
  if (body > 1024) say("* Done waiting for 100-continue");
  const start = 1011;
  const lastServerTs = tsServer(22);
  const seg = (from: number, len: number, atMs: number) => `${out}: Flags [.], seq ${from}:${from + len}, ack 1, win ${win}, ${ts(tsClient(atMs), lastServerTs)}, length ${len}`;
  const full = mss - TS_OPTION_BYTES;
  if (path.status === "delivered-after-pmtud") {
    const icmp = `IP ${onPrem.router} > ${src}: ICMP ${ip} unreachable - need to frag (mtu ${onPrem.linkMtu}), length 556`;
    // The learned path MTU sets the MSS the socket sends with: path MTU − 40, less the timestamps.
    const small = path.pathMtu - 40 - TS_OPTION_BYTES;
    return ok([
      ...both(seg(headBytes + 1, full, start), start),
      ...back(icmp, start + 6, true, onPrem.router),
      ...both(seg(headBytes + 1, small, start + 6), start + 6),
      ...back(`${inn}: Flags [.], ack ${headBytes + 1 + small}, win 530, ${ts(tsServer(start + 17), tsClient(start + 6))}, length 0`, start + 17),
    ]);
  }
  // The black hole: the full-size segment leaves, is dropped at the narrow link, and no ICMP returns.
  const rto = [0, 208, 624, 1456];
  // Each retransmission carries the same data with a fresh TS val (the clock at the moment it is sent).
  const lost = rto.flatMap((t) => both(seg(headBytes + 1, full, start + t), start + t));
  const limit = req.maxTime ?? null;
  say(limit === null ? "(curl is still waiting: Linux retransmits the segment with a doubling timeout for about 15 minutes before it gives up; add -m 30 to stop sooner)" : `* Operation timed out after ${limit * 1000 + 1} milliseconds with 0 bytes received`);
  if (limit !== null) say("* Closing connection 0");
  const last = limit === null ? [] : [`curl: (28) Operation timed out after ${limit * 1000 + 1} milliseconds with 0 bytes received`];
  return { outcome: "stalled", curl: [...lines, ...last].join("\n"), packets: [...packets, ...lost], conntrack: [], walk: null, endpoint: null, rule: null, mtu: path };
}
