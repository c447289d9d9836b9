/**
 * One request's fate, computed: the packet walks the node's kube-proxy rules (iptables or IPVS, via
 * `kubeProxyWalk`), and where it is DNATed the chosen Pod either listens on that port (the app
 * answers) or does not (the kernel answers the SYN with a RST). From the walk come what curl prints,
 * the packets tcpdump would show and the conntrack entry left behind.
 *
 * Simplifications, said aloud: names resolve as cluster DNS would (`app` → its ClusterIP) without
 * modelling DNS; only the first packet of a connection is walked (the rest follow its conntrack
 * entry); the application answers 200 to any path.
 */
import { kubeProxyWalk, type KubeProxyWalkResult } from "../proxy";
import { loadManifests } from "../manifest/index";
import type { ClusterState } from "../model";
import { buildCase, CLIENT_POD, INGRESS_IP, NODES, OUTSIDE_CLIENT, type TroubleCase } from "./cases";
import { INGRESS_KIND, routeIngress, type Ingress } from "./ingress";

export interface CaseCluster {
  readonly trouble: TroubleCase;
  /** The cluster as kube-proxy on node-a sees it (the node the lab's shell runs on). */
  readonly state: ClusterState;
  readonly ingresses: readonly Ingress[];
  /** kube-proxy's view from either node, for requests that arrive at node-b. */
  readonly onNode: (node: "node-a" | "node-b") => ClusterState;
}

/** Loads a case's YAML through the manifest model (and again as node-b's kube-proxy, on demand). */
export function loadCase(trouble: TroubleCase): CaseCluster {
  const load = (yaml: string) => loadManifests([{ name: `${trouble.id}.yaml`, text: yaml }], { kinds: { Ingress: INGRESS_KIND } });
  const a = load(trouble.yaml);
  let b: ClusterState | null = null;
  return {
    trouble,
    state: a.state,
    ingresses: (a.extra["Ingress"] ?? []) as Ingress[],
    onNode: (node) => (node === "node-a" ? a.state : (b ??= load(buildCase(trouble.family, trouble.params, "node-b").yaml).state)),
  };
}

export type ProbeOutcome = "ok" | "refused" | "timeout" | "rejected" | "not-found";

export interface Packet {
  readonly iface: string;
  readonly direction: "In" | "Out";
  readonly text: string;
  readonly ports: readonly number[];
  readonly hosts: readonly string[];
  readonly icmp: boolean;
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
}

export interface ProbeRequest {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly hostHeader: string | null;
  readonly verbose: boolean;
}

function vethOf(ip: string): string {
  // A stable, made-up interface name per Pod address, in the form GKE's CNI uses (gke + 11 hex).
  let h = 2166136261;
  for (const ch of ip) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `gke${h.toString(16).padStart(8, "0")}abc`.slice(0, 14);
}

function tcp(iface: string, direction: "In" | "Out", src: string, sport: number, dst: string, dport: number, flags: string, extra = ""): Packet {
  return { iface, direction, text: `IP ${src}.${sport} > ${dst}.${dport}: Flags [${flags}]${extra}, length 0`, ports: [sport, dport], hosts: [src, dst], icmp: false };
}

/** Where a name or address leads: a Service's ClusterIP, or the address itself. */
function resolve(state: ClusterState, namespace: string, host: string): string | null {
  if (/^[\d.]+$/.test(host)) return host;
  const name = host.split(".")[0]!;
  const svc = state.services.find((s) => s.metadata.name === name && s.metadata.namespace === (host.split(".")[1] ?? namespace));
  return svc?.clusterIP ?? null;
}

const SEQ = 1_000_000_001;

/** Runs one request from the client Pod (or, for node and load-balancer addresses, from outside). */
export function probe(cluster: CaseCluster, req: ProbeRequest, seed = 0): ProbeResult {
  const ns = cluster.trouble.params.namespace;
  const nodeOf = NODES.find((n) => n.ip === req.host || n.external === req.host);
  const external = nodeOf !== undefined || req.host === INGRESS_IP || req.host.startsWith("203.0.113.");
  const display = `${req.host}${req.port === 80 ? "" : `:${req.port}`}`;
  const curlLines: string[] = [];
  const say = (line: string) => { if (req.verbose) curlLines.push(line); };

  if (req.host === INGRESS_IP) return ingressProbe(cluster, req, seed);

  const ip = resolve(cluster.state, ns, req.host);
  if (ip === null) {
    return { outcome: "timeout", curl: `curl: (6) Could not resolve host: ${req.host}`, packets: [], conntrack: [], walk: null, endpoint: null, rule: null };
  }
  const state = cluster.onNode(nodeOf?.name === "node-b" ? "node-b" : "node-a");
  const src = external ? OUTSIDE_CLIENT : CLIENT_POD.ip;
  const walk = kubeProxyWalk(state, { src, dst: `${ip}:${req.port}`, protocol: "tcp", seed, mode: state.proxyConfig.mode === "ipvs" ? "ipvs" : "iptables" });
  const sport = walk.packet.srcPort;
  const inIface = external ? "eth0" : vethOf(src);
  say(`*   Trying ${ip}:${req.port}...`);
  const syn = tcp(inIface, "In", src, sport, ip, req.port, "S", `, seq ${SEQ}, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]`);
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
    const retries = [1, 3, 7].map(() => ({ ...syn }));
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
  const podNode = pod?.nodeName === state.nodeName ? vethOf(out.dst) : "eth0";
  const fwd = tcp(podNode, "Out", out.src, out.srcPort, out.dst, out.dstPort, "S", `, seq ${SEQ}, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]`);
  const listening = pod !== undefined && pod.ports.some((c) => c.containerPort === out.dstPort);
  const ct = walk.conntrack ?? "";
  if (!listening) {
    // Nothing listens: the Pod's kernel answers RST, ACK; conntrack moves the entry to CLOSE (10 s).
    const rst = tcp(podNode, "In", out.dst, out.dstPort, out.src, out.srcPort, "R.", `, seq 0, ack ${SEQ + 1}, win 0`);
    const rstBack = tcp(inIface, "Out", ip, req.port, src, sport, "R.", `, seq 0, ack ${SEQ + 1}, win 0`);
    const closed = ct.replace(/^(tcp\s+6) \d+ SYN_SENT/, "$1 9 CLOSE").replace(" [UNREPLIED]", "");
    return { ...fail(7, "Connection refused", "refused", [syn, fwd, rst, rstBack], closed ? [closed] : []), endpoint: pod ? { pod: pod.metadata.name, ip: out.dst, port: out.dstPort } : null };
  }
  const synack = tcp(podNode, "In", out.dst, out.dstPort, out.src, out.srcPort, "S.", `, seq 2000000001, ack ${SEQ + 1}, win 65160`);
  const synackBack = tcp(inIface, "Out", ip, req.port, src, sport, "S.", `, seq 2000000001, ack ${SEQ + 1}, win 65160`);
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

/** A request to the Ingress's address: the Google front end matches Host and path against the URL map. */
function ingressProbe(cluster: CaseCluster, req: ProbeRequest, seed: number): ProbeResult {
  const host = req.hostHeader ?? req.host;
  const ingress = cluster.ingresses.find((i) => i.address === req.host);
  const lines: string[] = [];
  const say = (l: string) => { if (req.verbose) lines.push(l); };
  say(`*   Trying ${req.host}:${req.port}...`);
  say(`* Connected to ${req.host} (${req.host}) port ${req.port} (#0)`);
  say(`> GET ${req.path} HTTP/1.1`);
  say(`> Host: ${host}`);
  say(`> User-Agent: curl/7.88.1`);
  say(`> Accept: */*`);
  say(`>`);
  const decision = ingress ? routeIngress(ingress, host, req.path) : { backend: null, rule: "no Ingress holds this address" };
  if (decision.backend === null) {
    // No rule and no defaultBackend: the URL map's default service — GKE's default-http-backend in kube-system — answers 404.
    const body = "response 404 (backend NotFound), service rules for the path non-existent";
    say(`< HTTP/1.1 404 Not Found`);
    say(`< Content-Type: text/plain; charset=utf-8`);
    say(`< Via: 1.1 google`);
    say(`<`);
    return { outcome: "not-found", curl: [...lines, body].join("\n"), packets: [], conntrack: [], walk: null, endpoint: null, rule: decision.rule };
  }
  const inner = probe(cluster, { host: decision.backend.service, port: decision.backend.port, path: req.path, hostHeader: host, verbose: false }, seed);
  if (inner.outcome === "ok") {
    say(`< HTTP/1.1 200 OK`);
    say(`< Via: 1.1 google`);
    say(`<`);
  } else {
    say(`< HTTP/1.1 502 Bad Gateway`);
    say(`<`);
  }
  return { ...inner, curl: [...lines, inner.outcome === "ok" ? inner.curl : "<title>502 Server Error</title>"].join("\n"), rule: decision.rule };
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
