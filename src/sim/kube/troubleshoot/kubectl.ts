/**
 * `kubectl get` and `kubectl describe` for the lab's objects, printed the way kubectl prints them:
 * the table printer's columns (pkg/printers/internalversion/printers.go) laid out by Go's tabwriter
 * as kubectl configures it (minimum cell width 10, padding 3), and describe's "Field:  value" blocks.
 * Ages are fixed (the model has no clock). What describe leaves out here: annotations, events and
 * probe definitions, which the model does not hold.
 */
import type { ClusterState, EndpointSlice, Pod, Service } from "../model";
import type { Ingress, IngressServiceBackend } from "../l7/ingress-read";
import { formatSelector } from "../policy/selector";
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort } from "../policy/types";

/** What `kubectl get` reads beyond the core objects: Ingresses (and the address their load balancer holds) and NetworkPolicies. */
export interface ExtraObjects {
  readonly ingresses: readonly Ingress[];
  readonly ingressAddress: string | null;
  readonly policies: readonly NetworkPolicy[];
}

const AGE = "12m";

/** Go's tabwriter with kubectl's settings: every cell but the last padded to max(10, widest + 3). */
export function tabulate(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, Math.max(10, cell.length + 3)); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("").trimEnd()).join("\n");
}

export function selectorText(selector: Readonly<Record<string, string>> | null): string {
  if (selector === null || Object.keys(selector).length === 0) return "<none>";
  return Object.entries(selector).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(",");
}

export function labelsMatch(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function servicePorts(s: Service): string {
  return s.ports.map((p) => `${p.port}${p.nodePort !== null && s.type !== "ClusterIP" ? `:${p.nodePort}` : ""}/${p.protocol}`).join(",");
}

function externalIp(s: Service): string {
  if (s.type === "LoadBalancer") return s.loadBalancerIngress.map((i) => i.ip ?? i.hostname ?? "").join(",") || "<pending>";
  return s.externalIPs.length > 0 ? s.externalIPs.join(",") : "<none>";
}

/** The legacy Endpoints object's ENDPOINTS column: ready addresses × ports, at most three, then "+ N more...". */
export function endpointsColumn(state: ClusterState, s: Service): string {
  const pairs: string[] = [];
  for (const slice of slicesOf(state, s)) {
    for (const ep of slice.endpoints) {
      if (!ep.conditions.ready) continue;
      for (const port of slice.ports) for (const a of ep.addresses) pairs.push(`${a}:${port.port ?? ""}`);
    }
  }
  if (pairs.length === 0) return "<none>";
  return pairs.length > 3 ? `${pairs.slice(0, 3).join(",")} + ${pairs.length - 3} more...` : pairs.join(",");
}

export function slicesOf(state: ClusterState, s: Service): EndpointSlice[] {
  return state.endpointSlices.filter((e) => e.serviceName === s.metadata.name && e.metadata.namespace === s.metadata.namespace);
}

function sliceEndpointsColumn(e: EndpointSlice): string {
  const addresses = e.endpoints.flatMap((ep) => ep.addresses);
  if (addresses.length === 0) return "<unset>";
  return addresses.length > 3 ? `${addresses.slice(0, 3).join(",")} + ${addresses.length - 3} more...` : addresses.join(",");
}

function podReady(p: Pod): string {
  return `${p.ready ? 1 : 0}/1`;
}

export type Resource = "services" | "endpoints" | "endpointslices" | "pods" | "ingresses" | "networkpolicies" | "nodes";

const RESOURCE_ALIASES: Readonly<Record<string, Resource>> = {
  svc: "services", service: "services", services: "services",
  ep: "endpoints", endpoints: "endpoints",
  endpointslice: "endpointslices", endpointslices: "endpointslices",
  po: "pods", pod: "pods", pods: "pods",
  ing: "ingress" as Resource, ingress: "ingresses", ingresses: "ingresses",
  netpol: "networkpolicies", networkpolicy: "networkpolicies", networkpolicies: "networkpolicies",
  no: "nodes", node: "nodes", nodes: "nodes",
};

export function resourceOf(word: string): Resource | null {
  const r = RESOURCE_ALIASES[word.toLowerCase()];
  return r === ("ingress" as Resource) ? "ingresses" : r ?? null;
}

/** The singular kind kubectl prefixes names with when several resource types are listed. */
const PREFIX: Readonly<Record<Resource, string>> = {
  services: "service", endpoints: "endpoints", endpointslices: "endpointslice.discovery.k8s.io", pods: "pod",
  ingresses: "ingress.networking.k8s.io", networkpolicies: "networkpolicy.networking.k8s.io", nodes: "node",
};

export interface GetOptions {
  readonly namespace: string;
  readonly wide: boolean;
  readonly selector: Readonly<Record<string, string>> | null;
  readonly name: string | null;
  /** Several resource types in one get: kubectl then prefixes each name with its kind. */
  readonly prefixed: boolean;
}

/** One resource type's table; null when nothing matched (the caller says "No resources found"). */
export function getTable(state: ClusterState, extra: ExtraObjects, resource: Resource, o: GetOptions): string | null {
  const name = (n: string) => (o.prefixed ? `${PREFIX[resource]}/${n}` : n);
  const inNs = <T extends { metadata: { namespace: string; name: string; labels: Readonly<Record<string, string>> } }>(items: readonly T[]) =>
    items.filter((i) => i.metadata.namespace === o.namespace && (o.name === null || i.metadata.name === o.name) && (o.selector === null || labelsMatch(o.selector, i.metadata.labels)));
  switch (resource) {
    case "services": {
      const rows = inNs(state.services).map((s) => [name(s.metadata.name), s.type, s.clusterIP ?? "<none>", externalIp(s), servicePorts(s), AGE, ...(o.wide ? [selectorText(s.selector)] : [])]);
      return rows.length ? tabulate([["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", ...(o.wide ? ["SELECTOR"] : [])], ...rows]) : null;
    }
    case "endpoints": {
      const rows = inNs(state.services).map((s) => [name(s.metadata.name), endpointsColumn(state, s), AGE]);
      return rows.length ? tabulate([["NAME", "ENDPOINTS", "AGE"], ...rows]) : null;
    }
    case "endpointslices": {
      const rows = inNs(state.endpointSlices).map((e) => [name(e.metadata.name), e.addressType, e.ports.map((p) => String(p.port ?? "")).join(",") || "<unset>", sliceEndpointsColumn(e), AGE]);
      return rows.length ? tabulate([["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], ...rows]) : null;
    }
    case "pods": {
      const rows = inNs(state.pods).map((p) => [name(p.metadata.name), podReady(p), p.phase, "0", AGE, ...(o.wide ? [p.podIPs[0] ?? "<none>", p.nodeName ?? "<none>", "<none>", "<none>"] : [])]);
      return rows.length ? tabulate([["NAME", "READY", "STATUS", "RESTARTS", "AGE", ...(o.wide ? ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] : [])], ...rows]) : null;
    }
    case "ingresses": {
      const rows = extra.ingresses.filter((i) => i.namespace === o.namespace && (o.name === null || i.name === o.name))
        .map((i) => [name(i.name), i.className ?? "<none>", i.rules.map((r) => r.host ?? "*").join(",") || "*", extra.ingressAddress ?? "", i.tls.length ? "80, 443" : "80", AGE]);
      return rows.length ? tabulate([["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], ...rows]) : null;
    }
    case "networkpolicies": {
      // kubectl's POD-SELECTOR column: the selector's labels, "<none>" for {} (every Pod).
      const rows = extra.policies.filter((p) => p.namespace === o.namespace && (o.name === null || p.name === o.name))
        .map((p) => [name(p.name), selectorColumn(p.podSelector), AGE]);
      return rows.length ? tabulate([["NAME", "POD-SELECTOR", "AGE"], ...rows]) : null;
    }
    case "nodes": {
      const rows = state.nodes.filter((n) => o.name === null || n.metadata.name === o.name).map((n) => {
        const internal = n.addresses.find((a) => a.type === "InternalIP")?.address ?? "<none>";
        const external = n.addresses.find((a) => a.type === "ExternalIP")?.address ?? "<none>";
        return [name(n.metadata.name), "Ready", "<none>", AGE, "v1.31.5-gke.1000", ...(o.wide ? [internal, external] : [])];
      });
      return rows.length ? tabulate([["NAME", "STATUS", "ROLES", "AGE", "VERSION", ...(o.wide ? ["INTERNAL-IP", "EXTERNAL-IP"] : [])], ...rows]) : null;
    }
  }
}

/** describe's "Key:  value" block, values aligned one column as kubectl's PrefixWriter does. */
function block(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([k]) => k.length + 1)) + 2;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`.trimEnd()).join("\n");
}

function labelsText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join("\n" + " ".repeat(0)) : "<none>";
}

export function describeService(state: ClusterState, s: Service): string {
  const rows: [string, string][] = [
    ["Name", s.metadata.name], ["Namespace", s.metadata.namespace], ["Labels", labelsText(s.metadata.labels)], ["Annotations", "<none>"],
    ["Selector", selectorText(s.selector)], ["Type", s.type], ["IP Family Policy", s.ipFamilies.length > 1 ? "PreferDualStack" : "SingleStack"],
    ["IP Families", s.ipFamilies.join(",")], ["IP", s.clusterIP ?? "None"], ["IPs", s.clusterIPs.join(",")],
  ];
  if (s.type === "LoadBalancer") rows.push(["LoadBalancer Ingress", s.loadBalancerIngress.map((i) => `${i.ip ?? i.hostname} (${i.ipMode})`).join(", ")]);
  for (const p of s.ports) {
    rows.push(["Port", `${p.name || "<unset>"}  ${p.port}/${p.protocol}`]);
    rows.push(["TargetPort", `${p.targetPort}/${p.protocol}`]);
    if (p.nodePort !== null && s.type !== "ClusterIP") rows.push(["NodePort", `${p.name || "<unset>"}  ${p.nodePort}/${p.protocol}`]);
    const eps = endpointsColumn(state, s);
    rows.push(["Endpoints", eps === "<none>" ? "" : eps]);
  }
  rows.push(["Session Affinity", s.sessionAffinity]);
  if (s.externalTrafficPolicy !== null) rows.push(["External Traffic Policy", s.externalTrafficPolicy]);
  rows.push(["Internal Traffic Policy", s.internalTrafficPolicy]);
  if (s.healthCheckNodePort !== null && s.healthCheckNodePort !== 0) rows.push(["HealthCheck NodePort", String(s.healthCheckNodePort)]);
  rows.push(["Events", "<none>"]);
  return block(rows);
}

export function describePod(state: ClusterState, p: Pod): string {
  const node = state.nodes.find((n) => n.metadata.name === p.nodeName);
  const nodeIp = node?.addresses.find((a) => a.type === "InternalIP")?.address;
  const head = block([
    ["Name", p.metadata.name], ["Namespace", p.metadata.namespace], ["Node", `${p.nodeName ?? "<none>"}${nodeIp ? `/${nodeIp}` : ""}`],
    ["Labels", labelsText(p.metadata.labels).split("\n").join("\n" + " ".repeat(14))], ["Status", p.phase], ["IP", p.podIPs[0] ?? ""],
  ]);
  const container = p.metadata.name.split("-")[0];
  const ports = p.ports.length ? p.ports.map((c) => `${c.containerPort}/${c.protocol}`).join(", ") : "<none>";
  const cond = (t: string, v: boolean) => `  ${t.padEnd(18)}${v ? "True" : "False"}`;
  return [
    head,
    "Containers:",
    `  ${container}:`,
    `    Port:           ${ports}`,
    `    State:          Running`,
    `    Ready:          ${p.ready ? "True" : "False"}`,
    "Conditions:",
    `  ${"Type".padEnd(18)}Status`,
    cond("PodScheduled", true), cond("Initialized", true), cond("ContainersReady", p.ready), cond("Ready", p.ready),
    "Events:           <none>   (the model keeps no events: a real cluster would list probe failures here)",
  ].join("\n");
}

export function describeEndpointSlice(e: EndpointSlice): string {
  const head = block([
    ["Name", e.metadata.name], ["Namespace", e.metadata.namespace],
    ["Labels", Object.entries(e.metadata.labels).map(([k, v]) => `${k}=${v}`).join("\n              ") || "<none>"],
    ["Annotations", "<none>"], ["AddressType", e.addressType],
  ]);
  const ports = ["Ports:", `  ${"Name".padEnd(7)}${"Port".padEnd(6)}Protocol`, `  ${"----".padEnd(7)}${"----".padEnd(6)}--------`,
    ...e.ports.map((p) => `  ${(p.name || "<unset>").padEnd(7)}${String(p.port ?? "<unset>").padEnd(6)}${p.protocol}`)];
  const eps = e.endpoints.length === 0 ? ["Endpoints:   <none>"] : ["Endpoints:", ...e.endpoints.flatMap((ep) => [
    `  - Addresses:  ${ep.addresses.join(",")}`,
    "    Conditions:",
    `      Ready:    ${ep.conditions.ready}`,
    `    Hostname:   ${ep.hostname ?? "<unset>"}`,
    `    TargetRef:  ${ep.targetRef ? `${ep.targetRef.kind}/${ep.targetRef.name}` : "<unset>"}`,
    `    NodeName:   ${ep.nodeName ?? "<unset>"}`,
    `    Zone:       ${ep.zone ?? "<unset>"}`,
  ])];
  return [head, ...ports, ...eps, "Events:        <none>"].join("\n");
}

export function describeIngress(state: ClusterState, i: Ingress, address: string | null): string {
  const head = block([["Name", i.name], ["Labels", "<none>"], ["Namespace", i.namespace], ["Address", address ?? ""], ["Ingress Class", i.className ?? "<none>"],
    ["Default backend", i.defaultBackend ? `${i.defaultBackend.service}:${i.defaultBackend.port}` : "<default>"]]);
  const backendText = (b: IngressServiceBackend | null) => {
    if (b === null) return "<none>";
    const s = state.services.find((x) => x.metadata.name === b.service && x.metadata.namespace === i.namespace);
    const eps = s ? endpointsColumn(state, s) : "<error: services \"" + b.service + "\" not found>";
    return `${b.service}:${b.port} (${eps === "<none>" ? "<none>" : eps})`;
  };
  const rules = i.rules.flatMap((r) => [`  ${(r.host ?? "*").padEnd(17)}`, ...r.paths.map((p) => `  ${"".padEnd(17)}${p.path.padEnd(6)}${backendText(p.backend)}`)]);
  return [head, "Rules:", `  ${"Host".padEnd(17)}${"Path".padEnd(6)}Backends`, `  ${"----".padEnd(17)}${"----".padEnd(6)}--------`, ...rules, "Annotations:      <none>", "Events:           <none>"].join("\n");
}

function selectorColumn(s: LabelSelector): string {
  const text = formatSelector(s);
  return text === "{}" || text === "" ? "<none>" : text;
}

function policyPortLines(ports: readonly PolicyPort[], word: "To" | "From", indent: string): string[] {
  if (ports.length === 0) return [`${indent}${word} Port: <any> (traffic allowed to all ports)`];
  return ports.map((p) => `${indent}${word} Port: ${p.port === null ? "<any>" : p.port}${p.endPort !== null ? `-${p.endPort}` : ""}/${p.protocol}`);
}

function peerLines(peers: readonly PolicyPeer[] | null, word: "To" | "From", indent: string): string[] {
  if (peers === null) return [`${indent}${word}: <any> (traffic not restricted by destination)`];
  const out = [`${indent}${word}:`];
  for (const peer of peers) {
    if (peer.kind === "ipBlock") {
      out.push(`${indent}  IPBlock:`, `${indent}    CIDR: ${peer.cidr}`, `${indent}    Except: ${peer.except.join(", ")}`);
      continue;
    }
    if (peer.namespaceSelector !== null) out.push(`${indent}  NamespaceSelector: ${selectorColumn(peer.namespaceSelector)}`);
    if (peer.podSelector !== null) out.push(`${indent}  PodSelector: ${selectorColumn(peer.podSelector)}`);
  }
  return out;
}

/** `kubectl describe networkpolicy`, in the layout of kubectl's describer (pkg/describe: describeNetworkPolicySpec). */
export function describeNetworkPolicy(p: NetworkPolicy): string {
  const head = block([["Name", p.name], ["Namespace", p.namespace], ["Created on", "2026-12-07 10:29:07 +0000 UTC"], ["Labels", "<none>"], ["Annotations", "<none>"]]);
  const lines = [head, "Spec:"];
  const sel = selectorColumn(p.podSelector);
  lines.push(`  PodSelector:     ${sel === "<none>" ? "<none> (Allowing the specific traffic to all pods in this namespace)" : sel}`);
  if (!p.policyTypes.includes("Ingress")) lines.push("  Not affecting ingress traffic");
  else if (p.ingress.length === 0) lines.push("  Allowing ingress traffic:", "    <none> (Selected pods are isolated for ingress connectivity)");
  else {
    lines.push("  Allowing ingress traffic:");
    p.ingress.forEach((r, i) => {
      if (i > 0) lines.push("    ----------");
      lines.push(...policyPortLines(r.ports, "To", "    "), ...peerLines(r.peers, "From", "    "));
    });
  }
  if (!p.policyTypes.includes("Egress")) lines.push("  Not affecting egress traffic");
  else if (p.egress.length === 0) lines.push("  Allowing egress traffic:", "    <none> (Selected pods are isolated for egress connectivity)");
  else {
    lines.push("  Allowing egress traffic:");
    p.egress.forEach((r, i) => {
      if (i > 0) lines.push("    ----------");
      lines.push(...policyPortLines(r.ports, "To", "    "), ...peerLines(r.peers, "To", "    "));
    });
  }
  lines.push(`  Policy Types: ${p.policyTypes.join(", ")}`);
  return lines.join("\n");
}
