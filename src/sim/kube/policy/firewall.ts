/**
 * The layer under NetworkPolicy on GKE: VPC firewall rules on the node VMs, and the rules GKE writes
 * for a `type: LoadBalancer` Service (an external passthrough Network Load Balancer).
 *
 * VPC firewall (cloud.google.com/firewall/docs/firewalls): each rule has a direction, a priority
 * 0–65535 (a LOWER number wins), allow or deny, source ranges and protocols with ports. Of the rules
 * that match a packet the highest-priority one decides; at equal priority a deny rule beats an allow
 * rule. Every VPC network ends in two implied rules at priority 65535 that cannot be removed: deny
 * all ingress, allow all egress. Rules are stateful: once a connection is allowed in one direction,
 * its return packets pass whatever the rules of the other direction say.
 *
 * Left out, and said so: target tags and service accounts (every rule here applies to every node),
 * destination ranges, hierarchical firewall policies (evaluated before VPC rules) and network firewall
 * policies (after them by default), logging.
 */
import type { Service } from "../model";
import { cidrContains, parseCidr, parseIp } from "../manifest/ip";

export type FirewallProtocol = "tcp" | "udp" | "sctp" | "icmp" | "all";

export interface FirewallRule {
  readonly name: string;
  /** 0–65535; a lower number is a higher priority. GKE writes its rules at 1000, the default. */
  readonly priority: number;
  readonly action: "allow" | "deny";
  /** INGRESS by default. */
  readonly direction?: "INGRESS" | "EGRESS";
  /** For ingress: the packet's source must be in one of these. For egress: its destination. */
  readonly sourceRanges: readonly string[];
  /** Protocol → ports ("80", "8000-8100"); an empty list means every port of the protocol. */
  readonly allowed: readonly { readonly protocol: FirewallProtocol; readonly ports: readonly string[] }[];
  /** Who wrote it: GKE's Service controller, or the user. */
  readonly origin?: "gke" | "user";
}

/** One packet as the VPC firewall sees it. For ingress `peer` is the source; for egress the destination. */
export interface FirewallPacket {
  readonly peer: string;
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly port: number;
  readonly direction?: "INGRESS" | "EGRESS";
}

export interface FirewallCheck {
  readonly rule: string;
  readonly priority: number;
  readonly action: "allow" | "deny";
  readonly matched: boolean;
  readonly detail: string;
}

export interface FirewallVerdict {
  readonly allowed: boolean;
  /** The deciding rule's name, or IMPLIED_DENY_INGRESS / IMPLIED_ALLOW_EGRESS. */
  readonly rule: string;
  readonly priority: number;
  /** Every rule of the packet's direction, in evaluation order (priority, deny first at a tie). */
  readonly checks: readonly FirewallCheck[];
  readonly reason: string;
}

export const IMPLIED_DENY_INGRESS = "implied-deny-ingress";
export const IMPLIED_ALLOW_EGRESS = "implied-allow-egress";

/**
 * Wrong models of rule order a learner may hold, runnable: `allow-wins-tie` lets an allow rule win
 * over a deny rule of the same priority (the real firewall does the opposite).
 */
export type FirewallOrderModel = "allow-wins-tie";

function portIn(spec: string, port: number): boolean {
  const [lo, hi] = spec.split("-").map(Number) as [number, number | undefined];
  return port >= lo && port <= (hi ?? lo);
}

function inAny(ranges: readonly string[], address: string): boolean {
  const ip = parseIp(address);
  if (ip === null) return false;
  return ranges.some((r) => {
    const block = parseCidr(r);
    return block !== null && cidrContains(block, ip);
  });
}

function describeAllowed(rule: FirewallRule): string {
  return rule.allowed.map((a) => (a.protocol === "all" ? "all" : a.ports.length ? `${a.protocol}:${a.ports.join(",")}` : a.protocol)).join(" ");
}

function check(rule: FirewallRule, packet: FirewallPacket): FirewallCheck {
  const base = { rule: rule.name, priority: rule.priority, action: rule.action };
  if (!inAny(rule.sourceRanges, packet.peer)) {
    return { ...base, matched: false, detail: `${packet.peer} is not in ${rule.sourceRanges.join(", ") || "(no ranges)"}` };
  }
  const proto = rule.allowed.some((a) => a.protocol === "all" || a.protocol === packet.protocol);
  if (!proto) return { ...base, matched: false, detail: `${packet.protocol} is not among ${describeAllowed(rule)}` };
  const port = rule.allowed.some((a) => (a.protocol === "all" || a.protocol === packet.protocol) && (a.ports.length === 0 || a.ports.some((p) => portIn(p, packet.port))));
  if (!port) return { ...base, matched: false, detail: `port ${packet.port} is not among ${describeAllowed(rule)}` };
  return { ...base, matched: true, detail: `${packet.peer} in ${rule.sourceRanges.join(", ")}, ${packet.protocol}:${packet.port} in ${describeAllowed(rule)}` };
}

/** The order the firewall evaluates rules in: priority, then deny before allow at equal priority. */
export function firewallOrder(rules: readonly FirewallRule[], model: FirewallOrderModel | null = null): FirewallRule[] {
  const first = model === "allow-wins-tie" ? "allow" : "deny";
  return rules
    .map((rule, i) => ({ rule, i }))
    .sort((a, b) => a.rule.priority - b.rule.priority || (a.rule.action === b.rule.action ? a.i - b.i : a.rule.action === first ? -1 : 1))
    .map(({ rule }) => rule);
}

/**
 * The verdict for one packet at a node VM: the highest-priority matching rule of the packet's
 * direction (deny first at a tie), else the implied rule at 65535.
 *
 * @example
 * evaluateFirewall([{ name: "web", priority: 1000, action: "allow", sourceRanges: ["0.0.0.0/0"], allowed: [{ protocol: "tcp", ports: ["443"] }] }],
 *   { peer: "198.51.100.7", protocol: "tcp", port: 443 }).rule // "web"
 */
export function evaluateFirewall(rules: readonly FirewallRule[], packet: FirewallPacket, model: FirewallOrderModel | null = null): FirewallVerdict {
  const direction = packet.direction ?? "INGRESS";
  const ordered = firewallOrder(rules.filter((r) => (r.direction ?? "INGRESS") === direction), model);
  const checks = ordered.map((r) => check(r, packet));
  const hit = checks.find((c) => c.matched);
  if (hit === undefined) {
    const ingress = direction === "INGRESS";
    return {
      allowed: !ingress,
      rule: ingress ? IMPLIED_DENY_INGRESS : IMPLIED_ALLOW_EGRESS,
      priority: 65535,
      checks,
      reason: ingress
        ? `no rule matches ${packet.peer} → ${packet.protocol}:${packet.port}, so the implied deny-ingress rule (priority 65535) drops it`
        : `no egress rule matches, so the implied allow-egress rule (priority 65535) lets it out`,
    };
  }
  const tie = checks.filter((c) => c.matched && c.priority === hit.priority && c.action !== hit.action);
  return {
    allowed: hit.action === "allow",
    rule: hit.rule,
    priority: hit.priority,
    checks,
    reason: `${hit.rule} (priority ${hit.priority}, ${hit.action}) is the highest-priority rule that matches`
      + (tie.length ? `; ${tie.map((t) => t.rule).join(", ")} match${tie.length === 1 ? "es" : ""} at the same priority, and ${hit.action === "deny" ? "deny beats allow at a tie" : "this model lets allow win a tie"}` : ""),
  };
}

/**
 * A reply of a connection: the firewall is stateful, so when the connection's first packet was
 * allowed in, its replies leave whatever the egress rules say (and a reply's own direction's rules
 * are not consulted). A reply of a connection that was never allowed has nothing to be a reply of.
 */
export function evaluateReply(rules: readonly FirewallRule[], request: FirewallPacket, model: FirewallOrderModel | null = null): FirewallVerdict {
  const first = evaluateFirewall(rules, request, model);
  if (!first.allowed) return { ...first, reason: `the connection was never allowed (${first.rule}), so there is no reply` };
  return { allowed: true, rule: "connection-tracking", priority: first.priority, checks: [], reason: `the firewall is stateful: ${first.rule} allowed the connection, so its replies pass without consulting the rules of the other direction` };
}

/**
 * Where Google's health-check probes for an external passthrough Network Load Balancer come from
 * (cloud.google.com/load-balancing/docs/health-check-concepts, "Probe IP ranges"). Other Google
 * load balancers probe from 35.191.0.0/16 and 130.211.0.0/22.
 */
export const NLB_PROBE_RANGES = ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"] as const;
/** One probe address from each range, for the model's health checks. */
export const NLB_PROBE_SOURCES = ["35.191.0.8", "209.85.152.8", "209.85.204.8"] as const;
/**
 * The source ranges of GKE's health-check firewall rules for LoadBalancer Services: every Google
 * probe range, the external passthrough NLB's three and 130.211.0.0/22 (which those probes do not use).
 */
export const GKE_HEALTH_CHECK_RULE_RANGES = ["130.211.0.0/22", "35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"] as const;
/** kube-proxy's health server (`healthzBindAddress`, 0.0.0.0:10256): what the LB probes under externalTrafficPolicy: Cluster. */
export const KUBE_PROXY_HEALTHZ_PORT = 10256;
/**
 * The cluster id GKE's L4 controller writes into resource names: the first 8 hex digits of a hash of
 * the kube-system namespace's UID (ingress-gce, pkg/utils/namer/l4_namer.go, `v2ClusterUID`); an
 * illustrative one.
 */
export const DEFAULT_CLUSTER_ID = "3f9c2a1b";

/** ingress-gce's `maximumL4CombinedLength`: namespace and name together get at most 39 characters. */
const MAX_L4_COMBINED_LENGTH = 39;

/** ingress-gce's `TrimFieldsEvenly`: shortens each field in proportion to its length until they fit. */
function trimFieldsEvenly(max: number, fields: readonly string[]): string[] {
  const total = fields.reduce((n, f) => n + f.length, 0);
  if (total <= max) return [...fields];
  const excess = total - max;
  const lengths = fields.map((f) => f.length - Math.floor((f.length * excess) / total) - 1);
  let remaining = max - lengths.reduce((n, l) => n + l, 0);
  for (let i = 0; remaining > 0; i++, remaining--) lengths[i]! += 1;
  return fields.map((f, i) => f.slice(0, lengths[i]));
}

/**
 * The 8-character per-Service suffix. ingress-gce hashes `clusterUID;namespace;name` (its `ContentHash`);
 * the model uses FNV-1a as a stable stand-in, so the suffix is the right shape, not Google's value.
 */
function l4Suffix(clusterId: string, service: Service): string {
  const text = `${clusterId};${service.metadata.namespace};${service.metadata.name}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * The name GKE's L4 controller gives a backend-service based external passthrough NLB's resources —
 * backend service, health check (Local) and the Service's allow rule alike:
 * `k8s2-[cluster-id]-[namespace]-[name]-[suffix]`, at most 63 characters (ingress-gce `L4Namer.L4Backend`,
 * which `L4Firewall` returns unchanged).
 */
export function l4ResourceName(service: Service, clusterId = DEFAULT_CLUSTER_ID): string {
  const [ns, name] = trimFieldsEvenly(MAX_L4_COMBINED_LENGTH, [service.metadata.namespace, service.metadata.name]) as [string, string];
  return ["k8s2", clusterId, ns, name, l4Suffix(clusterId, service)].join("-").slice(0, 63);
}

/** The port the load balancer's health check probes on every node. */
export function healthCheckPort(service: Service): number {
  return service.externalTrafficPolicy === "Local" && service.healthCheckNodePort !== null ? service.healthCheckNodePort : KUBE_PROXY_HEALTHZ_PORT;
}

/**
 * The name of GKE's health-check rule for this Service (ingress-gce `L4Namer.L4HealthCheckFirewall`):
 * under Cluster every such Service shares one health check and one rule, `k8s2-[cluster-id]-l4-shared-hc-fw`;
 * under Local the Service has its own, `k8s2-[cluster-id]-[namespace]-[name]-[suffix]-fw`.
 */
export function healthCheckRuleName(service: Service, clusterId = DEFAULT_CLUSTER_ID): string {
  if (service.externalTrafficPolicy !== "Local") return `k8s2-${clusterId}-l4-shared-hc-fw`;
  return `${l4ResourceName(service, clusterId).slice(0, 63 - "-fw".length)}-fw`;
}

/**
 * The ingress allow rules GKE creates for a LoadBalancer Service (cloud.google.com/kubernetes-engine/docs/
 * concepts/firewall-rules). The names depend on the kind of load balancer, not on the GKE version; the
 * model is a backend-service based external passthrough NLB, so it writes that balancer's names
 * (ingress-gce pkg/utils/namer/l4_namer.go):
 * - `k8s2-[cluster-id]-[namespace]-[name]-[suffix]`: the Service's ports, from `loadBalancerSourceRanges`
 *   (0.0.0.0/0 when empty);
 * - the health check: `k8s2-[cluster-id]-l4-shared-hc-fw` on TCP 10256 (kube-proxy's healthz) for
 *   externalTrafficPolicy: Cluster, `k8s2-[cluster-id]-[namespace]-[name]-[suffix]-fw` on the Service's
 *   healthCheckNodePort for Local.
 * Both at priority 1000. A target-pool based NLB gets `k8s-fw-[lb-name]`, `k8s-[cluster-id]-node-http-hc`
 * and `k8s-[lb-name]-http-hc` for the same three roles; the model does not write those.
 */
export function gkeServiceFirewallRules(service: Service, clusterId = DEFAULT_CLUSTER_ID): FirewallRule[] {
  const byProtocol = new Map<FirewallProtocol, string[]>();
  for (const p of service.ports) {
    const proto = p.protocol.toLowerCase() as FirewallProtocol;
    byProtocol.set(proto, [...(byProtocol.get(proto) ?? []), String(p.port)]);
  }
  return [
    {
      name: l4ResourceName(service, clusterId),
      priority: 1000,
      action: "allow",
      sourceRanges: service.loadBalancerSourceRanges.length ? [...service.loadBalancerSourceRanges] : ["0.0.0.0/0"],
      allowed: [...byProtocol].map(([protocol, ports]) => ({ protocol, ports })),
      origin: "gke",
    },
    {
      name: healthCheckRuleName(service, clusterId),
      priority: 1000,
      action: "allow",
      sourceRanges: [...GKE_HEALTH_CHECK_RULE_RANGES],
      allowed: [{ protocol: "tcp", ports: [String(healthCheckPort(service))] }],
      origin: "gke",
    },
  ];
}

const RULE_NAME = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A rule written `NAME,PRIORITY,allow|deny,CIDR[+CIDR…],PROTO[:PORTS][+PROTO[:PORTS]…]` — e.g.
 * `office,900,allow,198.51.100.0/24+203.0.113.0/24,tcp:443` or `block,800,deny,0.0.0.0/0,all`.
 * Returns the rule or the reason it cannot be one.
 */
export function parseFirewallRule(text: string): FirewallRule | string {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length !== 5) return "a rule is NAME,PRIORITY,allow|deny,CIDR[+CIDR…],PROTO[:PORTS][+…] (five fields separated by commas)";
  const [name, prio, action, ranges, protos] = parts as [string, string, string, string, string];
  if (!RULE_NAME.test(name)) return `rule name "${name}" must be lowercase letters, digits and dashes, starting with a letter (RFC 1035, at most 63 characters)`;
  if (!/^\d+$/.test(prio) || Number(prio) > 65535) return `priority "${prio}" must be a whole number from 0 to 65535`;
  if (action !== "allow" && action !== "deny") return `action "${action}" must be allow or deny`;
  const sourceRanges = ranges.split("+").filter((r) => r !== "");
  if (sourceRanges.length === 0) return "give at least one source range";
  for (const r of sourceRanges) {
    const block = parseCidr(r.includes("/") ? r : `${r}/${r.includes(":") ? 128 : 32}`);
    if (block === null) return `source range "${r}" is not a CIDR (e.g. 198.51.100.0/24)`;
  }
  const allowed: { protocol: FirewallProtocol; ports: string[] }[] = [];
  for (const item of protos.split("+").filter((p) => p !== "")) {
    const [proto, ports] = item.toLowerCase().split(":") as [string, string | undefined];
    if (!["tcp", "udp", "sctp", "icmp", "all"].includes(proto)) return `protocol "${proto}" must be tcp, udp, sctp, icmp or all`;
    if (ports !== undefined && (proto === "icmp" || proto === "all")) return `${proto} takes no ports`;
    const list = ports === undefined ? [] : ports.split(";");
    for (const p of list) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(p);
      if (m === null || Number(m[1]) < 1 || Number(m[2] ?? m[1]) > 65535 || Number(m[2] ?? m[1]) < Number(m[1])) return `port "${p}" must be a port 1–65535 or a range like 8000-8100`;
    }
    allowed.push({ protocol: proto as FirewallProtocol, ports: list });
  }
  if (allowed.length === 0) return "give at least one protocol (tcp:443, udp, all …)";
  return { name, priority: Number(prio), action, sourceRanges: sourceRanges.map((r) => (r.includes("/") ? r : `${r}/${r.includes(":") ? 128 : 32}`)), allowed, origin: "user" };
}

/** The rule as the CLI's `--rule` takes it (parseFirewallRule's inverse). */
export function formatFirewallRule(rule: FirewallRule): string {
  const protos = rule.allowed.map((a) => (a.ports.length ? `${a.protocol}:${a.ports.join(";")}` : a.protocol)).join("+");
  return `${rule.name},${rule.priority},${rule.action},${rule.sourceRanges.join("+")},${protos}`;
}

/**
 * A LoadBalancer Service's loadBalancerSourceRanges: empty lets every client in; otherwise only the
 * listed ranges.
 */
export function sourceRangesAllow(ranges: readonly string[], client: string): boolean {
  return ranges.length === 0 || inAny(ranges, client);
}
