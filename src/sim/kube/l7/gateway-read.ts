/**
 * Gateway API objects (gateway.networking.k8s.io/v1 GatewayClass, Gateway, HTTPRoute; v1beta1 ReferenceGrant)
 * and v1 Namespace (for its labels, which `allowedRoutes.namespaces.selector` reads), decoded with the CRDs'
 * defaults applied: a listener's `allowedRoutes` is `from: Same`, an HTTPRoute without rules has one rule
 * matching `PathPrefix /`, a path without a type is `PathPrefix`, a backendRef's weight is 1.
 */
import type { ExtraKind } from "../manifest/index";
import type { ObjectSite } from "../manifest/site";
import { validHostPattern } from "./ingress-read";

export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}

export interface GatewayClass { readonly name: string; readonly controllerName: string }

export interface Listener {
  readonly name: string;
  readonly hostname: string | null;
  readonly port: number;
  readonly protocol: string;
  readonly from: "Same" | "All" | "Selector";
  readonly selector: LabelSelector | null;
  /** Route kinds allowed; empty: the protocol's default (HTTPRoute for HTTP and HTTPS). */
  readonly kinds: readonly string[];
  readonly certificateRefs: readonly string[];
}

export interface Gateway {
  readonly name: string;
  readonly namespace: string;
  readonly gatewayClassName: string;
  readonly listeners: readonly Listener[];
}

export interface ParentRef {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly sectionName: string | null;
  readonly port: number | null;
}

export interface HttpPathMatch { readonly type: "Exact" | "PathPrefix" | "RegularExpression"; readonly value: string }
export interface HttpValueMatch { readonly type: "Exact" | "RegularExpression"; readonly name: string; readonly value: string }

export interface HttpRouteMatch {
  readonly path: HttpPathMatch;
  /** Whether the path was written or is the default `PathPrefix /`. */
  readonly pathGiven: boolean;
  readonly headers: readonly HttpValueMatch[];
  readonly queryParams: readonly HttpValueMatch[];
  readonly method: string | null;
}

export interface BackendRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | null;
  readonly port: number | null;
  readonly weight: number;
}

export interface HttpRouteRule {
  readonly matches: readonly HttpRouteMatch[];
  /** Whether `matches` was written (false: the default single match `PathPrefix /`). */
  readonly matchesGiven: boolean;
  readonly backendRefs: readonly BackendRef[];
  readonly filters: number;
}

export interface HttpRoute {
  readonly name: string;
  readonly namespace: string;
  /** metadata.creationTimestamp in ms, or null when the manifest does not say (then routes tie on age). */
  readonly created: number | null;
  readonly parentRefs: readonly ParentRef[];
  readonly hostnames: readonly string[];
  readonly rules: readonly HttpRouteRule[];
}

export interface ReferenceGrant {
  readonly name: string;
  readonly namespace: string;
  readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name: string | null }[];
}

export interface NamespaceObject { readonly name: string; readonly labels: Readonly<Record<string, string>> }

const GROUP = "gateway.networking.k8s.io";
const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"];

function readSelector(site: ObjectSite, path: (string | number)[]): LabelSelector {
  const matchLabels = site.stringMap([...path, "matchLabels"]) ?? {};
  const matchExpressions = (site.list([...path, "matchExpressions"]) ?? []).map((_, i) => ({
    key: site.string([...path, "matchExpressions", i, "key"]) ?? "",
    operator: site.string([...path, "matchExpressions", i, "operator"]) ?? "",
    values: site.stringList([...path, "matchExpressions", i, "values"]) ?? [],
  }));
  return { matchLabels, matchExpressions };
}

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]!))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key]!)) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

function hostname(site: ObjectSite, path: (string | number)[]): string | null {
  const h = site.string(path);
  if (h === undefined) return null;
  const problem = validHostPattern(h);
  if (problem !== null) site.invalid(path, `Invalid value: ${JSON.stringify(h)}: ${problem}`);
  return h.toLowerCase();
}

export function readGatewayClass(site: ObjectSite): GatewayClass {
  const controllerName = site.string(["spec", "controllerName"]) ?? "";
  if (controllerName === "") site.invalid(["spec", "controllerName"], "Required value");
  return { name: site.string(["metadata", "name"]) ?? "", controllerName };
}

export function readGateway(site: ObjectSite, namespace: string): Gateway {
  site.onlyFields(["spec"], ["gatewayClassName", "listeners", "addresses", "infrastructure", "backendTLS", "allowedListeners"]);
  const gatewayClassName = site.string(["spec", "gatewayClassName"]) ?? "";
  if (gatewayClassName === "") site.invalid(["spec", "gatewayClassName"], "Required value");
  const listeners: Listener[] = [];
  const list = site.list(["spec", "listeners"]) ?? [];
  if (list.length === 0) site.invalid(["spec", "listeners"], "Required value: a Gateway needs at least one listener");
  list.forEach((_, i) => {
    const at = ["spec", "listeners", i];
    site.onlyFields(at, ["name", "hostname", "port", "protocol", "tls", "allowedRoutes"]);
    const name = site.string([...at, "name"]) ?? "";
    if (name === "") site.invalid([...at, "name"], "Required value");
    if (listeners.some((l) => l.name === name)) site.invalid([...at, "name"], `Duplicate value: ${JSON.stringify(name)}: listener names must be unique`);
    const port = site.integer([...at, "port"]) ?? 0;
    if (port < 1 || port > 65535) site.invalid([...at, "port"], `Invalid value: ${port}: must be between 1 and 65535`);
    const protocol = site.string([...at, "protocol"]) ?? "";
    if (protocol === "") site.invalid([...at, "protocol"], "Required value");
    const from = site.string([...at, "allowedRoutes", "namespaces", "from"]) ?? "Same";
    if (!["Same", "All", "Selector"].includes(from)) site.invalid([...at, "allowedRoutes", "namespaces", "from"], `Unsupported value: ${JSON.stringify(from)}: supported values: "All", "Selector", "Same"`);
    const hasSelector = site.get([...at, "allowedRoutes", "namespaces", "selector"]) !== undefined;
    if (from === "Selector" && !hasSelector) site.invalid([...at, "allowedRoutes", "namespaces", "selector"], "Required value: from: Selector needs a selector");
    const kinds = (site.list([...at, "allowedRoutes", "kinds"]) ?? []).map((__, k) => site.string([...at, "allowedRoutes", "kinds", k, "kind"]) ?? "");
    const certificateRefs = (site.list([...at, "tls", "certificateRefs"]) ?? []).map((__, k) => site.string([...at, "tls", "certificateRefs", k, "name"]) ?? "");
    if (protocol === "HTTPS" && certificateRefs.length === 0 && (site.string([...at, "tls", "mode"]) ?? "Terminate") === "Terminate") {
      site.invalid([...at, "tls", "certificateRefs"], "Required value: an HTTPS listener that terminates TLS needs a certificate");
    }
    listeners.push({
      name, hostname: hostname(site, [...at, "hostname"]), port, protocol, from: from as Listener["from"],
      selector: hasSelector ? readSelector(site, [...at, "allowedRoutes", "namespaces", "selector"]) : null, kinds, certificateRefs,
    });
  });
  return { name: site.string(["metadata", "name"]) ?? "", namespace, gatewayClassName, listeners };
}

function readValueMatches(site: ObjectSite, path: (string | number)[]): HttpValueMatch[] {
  return (site.list(path) ?? []).map((_, k) => {
    const type = site.string([...path, k, "type"]) ?? "Exact";
    if (type !== "Exact" && type !== "RegularExpression") site.invalid([...path, k, "type"], `Unsupported value: ${JSON.stringify(type)}: supported values: "Exact", "RegularExpression"`);
    const name = site.string([...path, k, "name"]) ?? "";
    if (name === "") site.invalid([...path, k, "name"], "Required value");
    return { type: type as HttpValueMatch["type"], name, value: site.string([...path, k, "value"]) ?? "" };
  });
}

export function readHttpRoute(site: ObjectSite, namespace: string): HttpRoute {
  site.onlyFields(["spec"], ["parentRefs", "hostnames", "rules"]);
  const stamp = site.string(["metadata", "creationTimestamp"]);
  const created = stamp === undefined ? null : Date.parse(stamp);
  if (created !== null && Number.isNaN(created)) site.invalid(["metadata", "creationTimestamp"], `Invalid value: ${JSON.stringify(stamp)}: an RFC 3339 time, e.g. 2024-05-01T10:00:00Z`);
  const parentRefs: ParentRef[] = (site.list(["spec", "parentRefs"]) ?? []).map((_, i) => {
    const at = ["spec", "parentRefs", i];
    site.onlyFields(at, ["group", "kind", "namespace", "name", "sectionName", "port"]);
    const name = site.string([...at, "name"]) ?? "";
    if (name === "") site.invalid([...at, "name"], "Required value");
    return {
      group: site.string([...at, "group"]) ?? GROUP, kind: site.string([...at, "kind"]) ?? "Gateway", namespace: site.string([...at, "namespace"]) ?? null,
      name, sectionName: site.string([...at, "sectionName"]) ?? null, port: site.integer([...at, "port"]) ?? null,
    };
  });
  const hostnames = (site.stringList(["spec", "hostnames"]) ?? []).map((h, i) => {
    const problem = validHostPattern(h);
    if (problem !== null) site.invalid(["spec", "hostnames", i], `Invalid value: ${JSON.stringify(h)}: ${problem}`);
    return h.toLowerCase();
  });
  const rawRules = site.list(["spec", "rules"]);
  const rules: HttpRouteRule[] = rawRules === undefined
    ? [{ matches: [{ path: { type: "PathPrefix", value: "/" }, pathGiven: false, headers: [], queryParams: [], method: null }], matchesGiven: false, backendRefs: [], filters: 0 }]
    : rawRules.map((_, r) => {
      const at = ["spec", "rules", r];
      site.onlyFields(at, ["name", "matches", "filters", "backendRefs", "timeouts", "retry", "sessionPersistence"]);
      const rawMatches = site.list([...at, "matches"]);
      const matches: HttpRouteMatch[] = (rawMatches === undefined || rawMatches.length === 0 ? [undefined] : rawMatches).map((__, m) => {
        if (rawMatches === undefined || rawMatches.length === 0) return { path: { type: "PathPrefix", value: "/" }, pathGiven: false, headers: [], queryParams: [], method: null };
        const mat = [...at, "matches", m];
        site.onlyFields(mat, ["path", "headers", "queryParams", "method"]);
        const given = site.get([...mat, "path"]) !== undefined;
        const type = site.string([...mat, "path", "type"]) ?? "PathPrefix";
        const value = site.string([...mat, "path", "value"]) ?? "/";
        if (!["Exact", "PathPrefix", "RegularExpression"].includes(type)) site.invalid([...mat, "path", "type"], `Unsupported value: ${JSON.stringify(type)}: supported values: "Exact", "PathPrefix", "RegularExpression"`);
        else if (type !== "RegularExpression" && !value.startsWith("/")) site.invalid([...mat, "path", "value"], `Invalid value: ${JSON.stringify(value)}: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']`);
        else if (type === "RegularExpression") {
          try {
            new RegExp(value);
          } catch {
            site.invalid([...mat, "path", "value"], `Invalid value: ${JSON.stringify(value)}: not a regular expression`);
          }
        }
        const method = site.string([...mat, "method"]) ?? null;
        if (method !== null && !METHODS.includes(method)) site.invalid([...mat, "method"], `Unsupported value: ${JSON.stringify(method)}: supported values: ${METHODS.map((x) => JSON.stringify(x)).join(", ")}`);
        return {
          path: { type: type as HttpPathMatch["type"], value }, pathGiven: given,
          headers: readValueMatches(site, [...mat, "headers"]), queryParams: readValueMatches(site, [...mat, "queryParams"]), method,
        };
      });
      const backendRefs: BackendRef[] = (site.list([...at, "backendRefs"]) ?? []).map((__, b) => {
        const br = [...at, "backendRefs", b];
        const weight = site.integer([...br, "weight"]) ?? 1;
        if (weight < 0 || weight > 1000000) site.invalid([...br, "weight"], `Invalid value: ${weight}: must be between 0 and 1000000`);
        return {
          group: site.string([...br, "group"]) ?? "", kind: site.string([...br, "kind"]) ?? "Service", name: site.string([...br, "name"]) ?? "",
          namespace: site.string([...br, "namespace"]) ?? null, port: site.integer([...br, "port"]) ?? null, weight,
        };
      });
      return { matches, matchesGiven: rawMatches !== undefined && rawMatches.length > 0, backendRefs, filters: (site.list([...at, "filters"]) ?? []).length };
    });
  return { name: site.string(["metadata", "name"]) ?? "", namespace, created, parentRefs, hostnames, rules };
}

export function readReferenceGrant(site: ObjectSite, namespace: string): ReferenceGrant {
  return {
    name: site.string(["metadata", "name"]) ?? "", namespace,
    from: (site.list(["spec", "from"]) ?? []).map((_, i) => ({ group: site.string(["spec", "from", i, "group"]) ?? "", kind: site.string(["spec", "from", i, "kind"]) ?? "", namespace: site.string(["spec", "from", i, "namespace"]) ?? "" })),
    to: (site.list(["spec", "to"]) ?? []).map((_, i) => ({ group: site.string(["spec", "to", i, "group"]) ?? "", kind: site.string(["spec", "to", i, "kind"]) ?? "", name: site.string(["spec", "to", i, "name"]) ?? null })),
  };
}

export function readNamespace(site: ObjectSite): NamespaceObject {
  const name = site.string(["metadata", "name"]) ?? "";
  return { name, labels: { ...(site.stringMap(["metadata", "labels"]) ?? {}), "kubernetes.io/metadata.name": name } };
}

const V1 = [`${GROUP}/v1`, `${GROUP}/v1beta1`];
export const GATEWAY_KINDS = {
  GatewayClass: { apiVersions: V1, read: (site) => readGatewayClass(site), name: (c) => c.name, namespaced: false } satisfies ExtraKind<GatewayClass>,
  Gateway: { apiVersions: V1, read: readGateway, name: (g) => g.name } satisfies ExtraKind<Gateway>,
  HTTPRoute: { apiVersions: V1, read: readHttpRoute, name: (r) => r.name } satisfies ExtraKind<HttpRoute>,
  ReferenceGrant: { apiVersions: [`${GROUP}/v1beta1`, `${GROUP}/v1`], read: readReferenceGrant, name: (g) => g.name } satisfies ExtraKind<ReferenceGrant>,
  Namespace: { apiVersions: ["v1"], read: (site) => readNamespace(site), name: (n) => n.name, namespaced: false } satisfies ExtraKind<NamespaceObject>,
} as const;
