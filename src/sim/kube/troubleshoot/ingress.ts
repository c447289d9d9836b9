/**
 * Just enough of networking.k8s.io/v1 Ingress for the troubleshooting lab: rules by host and path,
 * and the default backend. Host matching follows the Ingress spec (exact, or a `*.` wildcard that
 * covers exactly one DNS label); paths follow pathType Exact and Prefix (element-wise, "/" matches
 * everything). What this leaves out — TLS and SNI, GKE's `/*` ImplementationSpecific form, Gateway
 * API — belongs to the full L7 model; the lab only needs "which rule, or none".
 */
import type { ExtraKind } from "../manifest/index";
import type { ObjectSite } from "../manifest/site";

export interface IngressPath {
  readonly path: string;
  readonly pathType: "Exact" | "Prefix" | "ImplementationSpecific";
  readonly service: string;
  readonly port: number;
}

export interface IngressRule {
  /** "" when the rule has no host (it matches every Host). */
  readonly host: string;
  readonly paths: readonly IngressPath[];
}

export interface Ingress {
  readonly name: string;
  readonly namespace: string;
  readonly className: string | null;
  readonly rules: readonly IngressRule[];
  readonly defaultBackend: { readonly service: string; readonly port: number } | null;
  readonly address: string | null;
}

function readIngress(site: ObjectSite, namespace: string): Ingress {
  const rules = (site.list(["spec", "rules"]) ?? []).map((_, i): IngressRule => ({
    host: site.string(["spec", "rules", i, "host"]) ?? "",
    paths: (site.list(["spec", "rules", i, "http", "paths"]) ?? []).map((__, j): IngressPath => {
      const at = ["spec", "rules", i, "http", "paths", j];
      const pathType = site.string([...at, "pathType"]) ?? "";
      if (pathType !== "Exact" && pathType !== "Prefix" && pathType !== "ImplementationSpecific") site.invalid([...at, "pathType"], 'Required value: pathType must be "Exact", "Prefix" or "ImplementationSpecific"');
      return {
        path: site.string([...at, "path"]) ?? "/",
        pathType: pathType === "Exact" || pathType === "ImplementationSpecific" ? pathType : "Prefix",
        service: site.string([...at, "backend", "service", "name"]) ?? "",
        port: site.integer([...at, "backend", "service", "port", "number"]) ?? 0,
      };
    }),
  }));
  const dbName = site.string(["spec", "defaultBackend", "service", "name"]);
  return {
    name: site.string(["metadata", "name"]) ?? "",
    namespace,
    className: site.string(["spec", "ingressClassName"]) ?? null,
    rules,
    defaultBackend: dbName === undefined ? null : { service: dbName, port: site.integer(["spec", "defaultBackend", "service", "port", "number"]) ?? 0 },
    address: site.string(["status", "loadBalancer", "ingress", 0, "ip"]) ?? null,
  };
}

export const INGRESS_KIND: ExtraKind<Ingress> = {
  apiVersions: ["networking.k8s.io/v1"],
  read: readIngress,
  name: (ingress) => ingress.name,
};

/** Ingress host matching: exact, or `*.suffix` matching exactly one extra label (the spec's rule). */
export function hostMatches(ruleHost: string, requestHost: string): boolean {
  const host = requestHost.toLowerCase().replace(/:\d+$/, "");
  if (ruleHost === "") return true;
  if (!ruleHost.startsWith("*.")) return ruleHost.toLowerCase() === host;
  const suffix = ruleHost.slice(1).toLowerCase();
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes(".") && host.length > suffix.length;
}

function pathMatches(p: IngressPath, path: string): boolean {
  if (p.pathType === "Exact") return p.path === path;
  if (p.path === "/") return true;
  const want = p.path.replace(/\/+$/, "").split("/");
  const got = path.split("/");
  return want.every((element, i) => got[i] === element);
}

export interface IngressDecision {
  readonly backend: { readonly service: string; readonly port: number } | null;
  /** Why: which rule decided, or that none did. */
  readonly rule: string;
}

/** Which backend a request reaches: the longest matching path of the first rule whose host matches, else the default backend. */
export function routeIngress(ingress: Ingress, host: string, path: string): IngressDecision {
  for (const rule of ingress.rules) {
    if (!hostMatches(rule.host, host)) continue;
    const matching = rule.paths.filter((p) => pathMatches(p, path)).sort((a, b) => b.path.length - a.path.length || (a.pathType === "Exact" ? -1 : 1));
    const best = matching[0];
    if (best) return { backend: { service: best.service, port: best.port }, rule: `host ${rule.host || "*"} path ${best.path} (${best.pathType})` };
  }
  if (ingress.defaultBackend) return { backend: ingress.defaultBackend, rule: "spec.defaultBackend" };
  const hosts = ingress.rules.map((r) => r.host || "*").join(", ");
  return { backend: null, rule: `no rule for host ${host} (the Ingress has ${hosts || "no rules"}) and no spec.defaultBackend` };
}
