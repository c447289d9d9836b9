/**
 * One question to the cluster's DNS server and its answer. Names in the cluster zone (and the reverse zones)
 * are answered from the cluster's records: a name with records but none of the asked type is NODATA (NOERROR,
 * empty answer, RFC 2308 §2.2), a name that exists only because names below it do (an empty non-terminal,
 * RFC 8020) is NODATA too, anything else NXDOMAIN (RFC 2308 §2.1). A CNAME is returned with the chased target
 * (RFC 1034 §4.3.2). Every other name is forwarded upstream; the model's upstream is a short fixed table, so
 * an outside name not in it is NXDOMAIN. Comparisons are case-insensitive (specification §1).
 */
import { fqdn, type ClusterZone, type DnsRecord } from "./records";

export type Rcode = "NOERROR" | "NXDOMAIN";
export type QueryType = "A" | "AAAA" | "SRV" | "PTR" | "CNAME" | "TXT";

export interface DnsAnswer {
  readonly question: string;
  readonly type: QueryType;
  readonly rcode: Rcode;
  readonly answers: readonly DnsRecord[];
  /** "cluster": answered from the cluster's records; "upstream": forwarded. */
  readonly server: "cluster" | "upstream";
}

/** What the upstream resolver knows in the model (RFC 5737 documentation addresses, and GCE's metadata name). */
export const UPSTREAM_RECORDS: readonly DnsRecord[] = [
  { name: "www.example.com.", type: "A", ttl: 28715, data: "192.0.2.53", source: "upstream" },
  { name: "example.com.", type: "A", ttl: 3600, data: "192.0.2.10", source: "upstream" },
  { name: "api.example.com.", type: "A", ttl: 300, data: "198.51.100.7", source: "upstream" },
  { name: "metadata.google.internal.", type: "A", ttl: 3600, data: "169.254.169.254", source: "upstream" },
];

function inCluster(zone: ClusterZone, name: string): boolean {
  return name === `${zone.zone}.` || name.endsWith(`.${zone.zone}.`) || name.endsWith(".in-addr.arpa.") || name.endsWith(".ip6.arpa.");
}

const podName = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})\.([a-z0-9-]+)\.pod\.(.+)\.$/;

function answerFrom(records: readonly DnsRecord[], name: string, type: QueryType, depth: number, zone: ClusterZone): DnsRecord[] | "nxdomain" | "nodata" {
  const here = records.filter((r) => r.name === name);
  const exact = here.filter((r) => r.type === type);
  if (exact.length > 0) return exact;
  const cname = here.find((r) => r.type === "CNAME");
  if (cname && type !== "CNAME" && depth < 8) {
    const target = cname.data;
    const next = inCluster(zone, target) ? answerFrom(zone.records, target, type, depth + 1, zone) : answerFrom(UPSTREAM_RECORDS, target, type, depth + 1, zone);
    return [cname, ...(Array.isArray(next) ? next : [])];
  }
  if (here.length > 0) return "nodata";
  if (records.some((r) => r.name.endsWith(`.${name}`))) return "nodata";
  return "nxdomain";
}

/**
 * Asks the cluster DNS one question.
 *
 * @example
 * lookup(zone, "web.shop.svc.cluster.local", "A").answers[0]?.data // "10.96.120.15"
 */
export function lookup(zone: ClusterZone, question: string, type: QueryType): DnsAnswer {
  const name = fqdn(question);
  const cluster = inCluster(zone, name);
  // A zone with no records at all is a resolver that does not serve the cluster domain (a node's own).
  if (cluster && zone.provider === "kube-dns" && zone.records.length > 0) {
    const m = podName.exec(name);
    if (m && `${m[6]}` === zone.zone && m.slice(1, 5).every((o) => Number(o) <= 255)) {
      const ip = m.slice(1, 5).map(Number).join(".");
      const answers: DnsRecord[] = type === "A" ? [{ name, type: "A", ttl: 30, data: ip, source: "kube-dns pod record (from the name)" }] : [];
      return { question: name, type, rcode: "NOERROR", answers, server: "cluster" };
    }
  }
  const result = answerFrom(cluster ? zone.records : UPSTREAM_RECORDS, name, type, 0, zone);
  if (result === "nxdomain") return { question: name, type, rcode: "NXDOMAIN", answers: [], server: cluster ? "cluster" : "upstream" };
  return { question: name, type, rcode: "NOERROR", answers: result === "nodata" ? [] : result, server: cluster ? "cluster" : "upstream" };
}
