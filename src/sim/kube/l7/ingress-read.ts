/**
 * networking.k8s.io/v1 Ingress, read the way the API server decodes and validates it (the checks of
 * `ValidateIngressSpec` a learner meets most: a pathType is required, Exact and Prefix paths are absolute,
 * a wildcard host is `*.` plus one whole label, a backend names a Service and a port).
 */
import type { ExtraKind } from "../manifest/index";
import type { ObjectSite } from "../manifest/site";

export type IngressPathType = "Exact" | "Prefix" | "ImplementationSpecific";

export interface IngressServiceBackend {
  readonly service: string;
  /** `port.number`, or `port.name` (a named port of the Service). */
  readonly port: number | string;
}

export interface IngressPath {
  readonly path: string;
  readonly pathType: IngressPathType;
  readonly backend: IngressServiceBackend | null;
}

export interface IngressRule {
  /** null: the rule applies to every host. */
  readonly host: string | null;
  readonly paths: readonly IngressPath[];
}

export interface IngressTls {
  readonly hosts: readonly string[];
  readonly secretName: string;
}

export interface Ingress {
  readonly name: string;
  readonly namespace: string;
  /** `kubernetes.io/ingress.class` annotation, else `spec.ingressClassName`, else null. */
  readonly className: string | null;
  readonly defaultBackend: IngressServiceBackend | null;
  readonly rules: readonly IngressRule[];
  readonly tls: readonly IngressTls[];
}

const PATH_TYPES: readonly IngressPathType[] = ["Exact", "ImplementationSpecific", "Prefix"];
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS-1123 subdomain, optionally with a leading `*.` (RFC 1123 names; Ingress allows one wildcard label). */
export function validHostPattern(host: string): string | null {
  if (/^\d+(\.\d+){3}$/.test(host) || host.includes(":")) return "must be a DNS name, not an IP address";
  const name = host.startsWith("*.") ? host.slice(2) : host;
  if (name.includes("*")) return "a wildcard must be the whole first label: '*.' followed by a DNS name, e.g. '*.example.com'";
  if (name.length > 253 || !name.split(".").every((label) => label.length <= 63 && DNS_LABEL.test(label))) {
    return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
  }
  return null;
}

function readBackend(site: ObjectSite, path: (string | number)[]): IngressServiceBackend | null {
  if (site.get(path) === undefined) return null;
  site.onlyFields(path, ["service", "resource"]);
  if (site.get([...path, "resource"]) !== undefined) {
    site.warn([...path, "resource"], "a resource backend (e.g. a storage bucket) is not modelled; only Service backends route here");
    return null;
  }
  const service = site.string([...path, "service", "name"]);
  if (service === undefined || service === "") {
    site.invalid([...path, "service", "name"], "Required value");
    return null;
  }
  site.onlyFields([...path, "service"], ["name", "port"]);
  site.onlyFields([...path, "service", "port"], ["number", "name"]);
  const number = site.integer([...path, "service", "port", "number"]);
  const name = site.string([...path, "service", "port", "name"]);
  if (number !== undefined && name !== undefined) {
    site.invalid([...path, "service", "port"], "Invalid value: cannot set both port name & port number");
    return null;
  }
  if (number === undefined && name === undefined) {
    site.invalid([...path, "service", "port"], "Required value: port name or number is required");
    return null;
  }
  if (number !== undefined && (number < 1 || number > 65535)) {
    site.invalid([...path, "service", "port", "number"], `Invalid value: ${number}: must be between 1 and 65535, inclusive`);
    return null;
  }
  return { service, port: number ?? name! };
}

/** The reader `loadManifests` calls for each Ingress. */
export function readIngress(site: ObjectSite, namespace: string): Ingress {
  site.onlyFields(["spec"], ["ingressClassName", "defaultBackend", "rules", "tls"]);
  const annotations = site.stringMap(["metadata", "annotations"]) ?? {};
  const className = annotations["kubernetes.io/ingress.class"] ?? site.string(["spec", "ingressClassName"]) ?? null;
  const defaultBackend = readBackend(site, ["spec", "defaultBackend"]);
  const rules: IngressRule[] = [];
  (site.list(["spec", "rules"]) ?? []).forEach((_, i) => {
    site.onlyFields(["spec", "rules", i], ["host", "http"]);
    const host = site.string(["spec", "rules", i, "host"]) ?? null;
    if (host !== null && host !== "") {
      const problem = validHostPattern(host);
      if (problem !== null) site.invalid(["spec", "rules", i, "host"], `Invalid value: ${JSON.stringify(host)}: ${problem}`);
    }
    const paths: IngressPath[] = [];
    const list = site.list(["spec", "rules", i, "http", "paths"]);
    if (site.get(["spec", "rules", i, "http"]) !== undefined && (list === undefined || list.length === 0)) {
      site.invalid(["spec", "rules", i, "http", "paths"], "Required value");
    }
    (list ?? []).forEach((__, j) => {
      const at = ["spec", "rules", i, "http", "paths", j];
      site.onlyFields(at, ["path", "pathType", "backend"]);
      const pathType = site.string([...at, "pathType"]);
      const path = site.string([...at, "path"]) ?? "";
      if (pathType === undefined) {
        site.invalid([...at, "pathType"], "Required value: pathType must be specified");
        return;
      }
      if (!(PATH_TYPES as readonly string[]).includes(pathType)) {
        site.invalid([...at, "pathType"], `Unsupported value: ${JSON.stringify(pathType)}: supported values: "Exact", "ImplementationSpecific", "Prefix"`);
        return;
      }
      if (pathType !== "ImplementationSpecific" && !path.startsWith("/")) {
        site.invalid([...at, "path"], `Invalid value: ${JSON.stringify(path)}: must be an absolute path`);
        return;
      }
      if (pathType !== "ImplementationSpecific" && /(^|\/)\.\.?(\/|$)|\/\/|[*]/.test(path)) {
        site.invalid([...at, "path"], `Invalid value: ${JSON.stringify(path)}: must not contain '//', '/./', '/../' or '*' for pathType ${pathType}`);
        return;
      }
      const backend = readBackend(site, [...at, "backend"]);
      if (site.get([...at, "backend"]) === undefined) site.invalid([...at, "backend"], "Required value");
      paths.push({ path: path === "" ? "/" : path, pathType: pathType as IngressPathType, backend });
    });
    rules.push({ host: host === "" ? null : host, paths });
  });
  if (defaultBackend === null && rules.length === 0 && site.get(["spec", "defaultBackend"]) === undefined) {
    site.invalid(["spec"], "Invalid value: either `defaultBackend` or `rules` must be specified", "spec");
  }
  const tls: IngressTls[] = [];
  (site.list(["spec", "tls"]) ?? []).forEach((_, i) => {
    site.onlyFields(["spec", "tls", i], ["hosts", "secretName"]);
    tls.push({ hosts: site.stringList(["spec", "tls", i, "hosts"]) ?? [], secretName: site.string(["spec", "tls", i, "secretName"]) ?? "" });
  });
  return { name: site.string(["metadata", "name"]) ?? "", namespace, className, defaultBackend, rules, tls };
}

export const INGRESS_KIND: ExtraKind<Ingress> = {
  apiVersions: ["networking.k8s.io/v1"],
  read: readIngress,
  name: (ingress) => ingress.name,
};
