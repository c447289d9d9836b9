/**
 * The records cluster DNS serves for a cluster's Services and Pods, per the Kubernetes DNS-Based Service
 * Discovery specification (kubernetes/dns docs/specification.md, schema 1.1.0):
 * - §2.2 `dns-version.<zone>. TXT "1.1.0"`;
 * - §2.3 a ClusterIP Service: A/AAAA for each cluster IP at `<svc>.<ns>.svc.<zone>`, SRV for each NAMED port
 *   at `_<port>._<proto>.<svc>.<ns>.svc.<zone>`, PTR for each cluster IP;
 * - §2.4 a headless Service: A/AAAA for each READY endpoint address at the Service's name, A/AAAA and PTR at
 *   `<hostname>.<svc>.<ns>.svc.<zone>` for an endpoint with a hostname, SRV per ready endpoint × named port;
 * - §2.5 an ExternalName Service: a CNAME to spec.externalName.
 *
 * Pod A records (`a-b-c-d.<ns>.pod.<zone>`) are not in the specification. kube-dns (and CoreDNS's default
 * `pods insecure`) answer them by turning the dashed label back into an address without checking that any
 * Pod holds it; the model serves them that way for kube-dns, and not for Cloud DNS, whose support for them it
 * does not claim (see `podRecordNote`).
 *
 * Simplifications: an endpoint without a hostname is named by its dashed address (CoreDNS's choice); kube-dns
 * names it by an FNV-32a hash instead — the specification only asks for "a unique, system-assigned identifier".
 * TTLs are kube-dns's default 30 s; the specification prescribes none.
 */
import type { ClusterState, EndpointSlice, Pod, Protocol, Service } from "../model";

export type RecordType = "A" | "AAAA" | "SRV" | "PTR" | "CNAME" | "TXT";

export interface DnsRecord {
  /** Fully qualified, lower case, with the trailing dot. */
  readonly name: string;
  readonly type: RecordType;
  readonly ttl: number;
  /** The RDATA as `dig` prints it (names with their trailing dot). */
  readonly data: string;
  /** The object the record comes from, e.g. "Service shop/web". */
  readonly source: string;
}

export type DnsProvider = "kube-dns" | "cloud-dns";

export interface ClusterDnsOptions {
  /** The cluster domain (kubelet --cluster-domain); "cluster.local" by default. */
  readonly zone?: string;
  readonly provider?: DnsProvider;
}

/** What cluster DNS reads: Services, their EndpointSlices and the Pods behind them. */
export type DnsCluster = Pick<ClusterState, "services" | "endpointSlices" | "pods">;

export interface ClusterZone {
  readonly zone: string;
  readonly provider: DnsProvider;
  readonly records: readonly DnsRecord[];
  /** Notes on what is not served and why, one line each. */
  readonly notes: readonly string[];
}

export const DEFAULT_TTL = 30;
export const SPEC_VERSION = "1.1.0";

export function fqdn(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower : `${lower}.`;
}

/** The reverse-lookup name of an address: RFC 1035 §3.5 (in-addr.arpa), RFC 3596 §2.5 (ip6.arpa, nibbles). */
export function reverseName(ip: string): string {
  if (!ip.includes(":")) return `${ip.split(".").reverse().join(".")}.in-addr.arpa.`;
  const [head = "", tail = ""] = ip.split("::");
  const h = head === "" ? [] : head.split(":");
  const t = tail === "" ? [] : tail.split(":");
  const groups = ip.includes("::") ? [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t] : h;
  const nibbles = groups.map((g) => g.padStart(4, "0")).join("");
  return `${[...nibbles].reverse().join(".")}.ip6.arpa.`;
}

function protoLabel(protocol: Protocol): string {
  return `_${protocol.toLowerCase()}`;
}

function ipType(ip: string): "A" | "AAAA" {
  return ip.includes(":") ? "AAAA" : "A";
}

/** The dashed form of an address, the label CoreDNS gives an endpoint without a hostname. */
export function dashed(ip: string): string {
  return ip.replace(/[.:]/g, "-");
}

interface ReadyEndpoint {
  readonly address: string;
  readonly hostname: string | null;
}

/**
 * The ready endpoints of a Service, with the hostname the EndpointSlice controller would set: the endpoint's
 * own, else the Pod's spec.hostname when its spec.subdomain names this Service (same namespace).
 */
function readyEndpoints(service: Service, slices: readonly EndpointSlice[], pods: readonly Pod[]): ReadyEndpoint[] {
  const out: ReadyEndpoint[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    if (slice.serviceName !== service.metadata.name || slice.metadata.namespace !== service.metadata.namespace || slice.addressType === "FQDN") continue;
    for (const endpoint of slice.endpoints) {
      if (!endpoint.conditions.ready) continue;
      let hostname = endpoint.hostname;
      if (hostname === null && endpoint.targetRef?.kind === "Pod") {
        const pod = pods.find((p) => p.metadata.name === endpoint.targetRef!.name && p.metadata.namespace === endpoint.targetRef!.namespace);
        if (pod?.hostname && pod.subdomain === service.metadata.name) hostname = pod.hostname;
      }
      for (const address of endpoint.addresses) {
        if (seen.has(address)) continue;
        seen.add(address);
        out.push({ address, hostname });
      }
    }
  }
  return out;
}

export function podRecordNote(provider: DnsProvider): string {
  return provider === "kube-dns"
    ? "Pod A records a-b-c-d.<ns>.pod.<zone> are outside the specification: kube-dns answers any well-formed dashed IPv4 label with that address, whether or not a Pod holds it."
    : "Pod A records a-b-c-d.<ns>.pod.<zone> are outside the specification and deprecated; this model does not serve them for Cloud DNS.";
}

/**
 * Every record the cluster's DNS serves, in a stable order (per Service in input order).
 *
 * @example
 * clusterRecords(state).records.find((r) => r.type === "A")?.name // "web.shop.svc.cluster.local."
 */
export function clusterRecords(cluster: DnsCluster, options: ClusterDnsOptions = {}): ClusterZone {
  const zone = fqdn(options.zone ?? "cluster.local").slice(0, -1);
  const provider = options.provider ?? "kube-dns";
  const records: DnsRecord[] = [];
  const notes: string[] = [];
  const add = (name: string, type: RecordType, data: string, source: string): void => {
    records.push({ name: fqdn(name), type, ttl: DEFAULT_TTL, data, source });
  };
  add(`dns-version.${zone}`, "TXT", `"${SPEC_VERSION}"`, "specification §2.2");

  for (const service of cluster.services) {
    const { name, namespace } = service.metadata;
    const source = `Service ${namespace}/${name}`;
    const base = `${name}.${namespace}.svc.${zone}`;
    const named = service.ports.filter((p) => p.name !== "");
    const unnamed = service.ports.length - named.length;
    if (service.type === "ExternalName") {
      if (service.externalName) add(base, "CNAME", fqdn(service.externalName), source);
      continue;
    }
    if (service.clusterIP !== "None" && service.clusterIP !== null) {
      for (const ip of service.clusterIPs) add(base, ipType(ip), ip, source);
      for (const port of named) add(`_${port.name}.${protoLabel(port.protocol)}.${base}`, "SRV", `10 100 ${port.port} ${fqdn(base)}`, source);
      for (const ip of service.clusterIPs) add(reverseName(ip), "PTR", fqdn(base), source);
    } else {
      const endpoints = readyEndpoints(service, cluster.endpointSlices, cluster.pods);
      if (endpoints.length === 0) notes.push(`${source} is headless with no ready endpoint: ${base}. answers NXDOMAIN.`);
      for (const e of endpoints) add(base, ipType(e.address), e.address, source);
      for (const e of endpoints) {
        const label = e.hostname ?? dashed(e.address);
        add(`${label}.${base}`, ipType(e.address), e.address, source);
      }
      for (const port of named) {
        for (const e of endpoints) add(`_${port.name}.${protoLabel(port.protocol)}.${base}`, "SRV", `10 100 ${port.port} ${fqdn(`${e.hostname ?? dashed(e.address)}.${base}`)}`, source);
      }
      for (const e of endpoints) if (e.hostname !== null) add(reverseName(e.address), "PTR", fqdn(`${e.hostname}.${base}`), source);
    }
    if (unnamed > 0) notes.push(`${source}: ${unnamed === 1 ? "an unnamed port has" : `${unnamed} unnamed ports have`} no SRV record (§2.3.2).`);
  }
  for (const pod of cluster.pods) {
    if (pod.subdomain && !cluster.services.some((s) => s.metadata.namespace === pod.metadata.namespace && s.metadata.name === pod.subdomain && s.clusterIP === "None")) {
      notes.push(`Pod ${pod.metadata.namespace}/${pod.metadata.name} sets subdomain ${pod.subdomain}, but no headless Service of that name exists in ${pod.metadata.namespace}: its hostname gets no record.`);
    }
  }
  if (provider === "kube-dns") {
    for (const pod of cluster.pods) {
      if (pod.hostNetwork) continue;
      for (const ip of pod.podIPs) if (!ip.includes(":")) add(`${dashed(ip)}.${pod.metadata.namespace}.pod.${zone}`, "A", ip, `Pod ${pod.metadata.namespace}/${pod.metadata.name} (synthesised from the name)`);
    }
  }
  notes.push(podRecordNote(provider));
  return { zone, provider, records, notes };
}

/** The records as `dig` prints an answer section, one per line. */
export function formatRecord(record: DnsRecord): string {
  return `${record.name}\t${record.ttl}\tIN\t${record.type}\t${record.data}`;
}
