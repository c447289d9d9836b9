/**
 * A name resolved from inside a Pod, query by query: the candidates glibc tries (search.ts), each asked as
 * A and AAAA together (getaddrinfo with AF_UNSPEC), each answered by the cluster's DNS (lookup.ts), up to
 * the first name with data — or, when none has any, the end of the list and a failure (EAI_NONAME).
 */
import { lookup, type DnsAnswer } from "./lookup";
import type { ClusterZone } from "./records";
import { searchOrder, type SearchModel } from "./search";

export interface ResolveStep {
  /** Stable id: "q1", "q2", … */
  readonly id: string;
  readonly name: string;
  readonly via: string;
  readonly a: DnsAnswer;
  readonly aaaa: DnsAnswer;
  /** "answer": data for A or AAAA — the search stops here; "nxdomain" or "nodata": on to the next name. */
  readonly result: "answer" | "nxdomain" | "nodata";
}

export interface Resolution {
  readonly name: string;
  readonly ndots: number;
  readonly search: readonly string[];
  /** The names in the order sent (each as an A and an AAAA question). */
  readonly queries: readonly string[];
  readonly steps: readonly ResolveStep[];
  /** Every candidate the resolver would try, sent or not (after the stop, the rest are never sent). */
  readonly candidates: readonly string[];
  readonly outcome: { readonly found: boolean; readonly name: string | null; readonly addresses: readonly string[] };
}

function resultOf(a: DnsAnswer, aaaa: DnsAnswer): ResolveStep["result"] {
  const data = [...a.answers, ...aaaa.answers].some((r) => r.type === "A" || r.type === "AAAA");
  if (data) return "answer";
  return a.rcode === "NXDOMAIN" && aaaa.rcode === "NXDOMAIN" ? "nxdomain" : "nodata";
}

/**
 * @example
 * resolveName(zone, "web", 5, ["shop.svc.cluster.local"]).queries // ["web.shop.svc.cluster.local."]
 */
export function resolveName(zone: ClusterZone, name: string, ndots: number, search: readonly string[], model: SearchModel = "glibc"): Resolution {
  const candidates = searchOrder(name, ndots, search, model);
  const steps: ResolveStep[] = [];
  for (const candidate of candidates) {
    const a = lookup(zone, candidate.name, "A");
    const aaaa = lookup(zone, candidate.name, "AAAA");
    const result = resultOf(a, aaaa);
    steps.push({ id: `q${steps.length + 1}`, name: candidate.name, via: candidate.via, a, aaaa, result });
    if (result === "answer") break;
  }
  const last = steps[steps.length - 1];
  const found = last?.result === "answer";
  const addresses = found ? [...last.a.answers, ...last.aaaa.answers].filter((r) => r.type === "A" || r.type === "AAAA").map((r) => r.data) : [];
  return {
    name,
    ndots,
    search,
    queries: steps.map((s) => s.name),
    steps,
    candidates: candidates.map((c) => c.name),
    outcome: { found, name: found ? last.name : null, addresses },
  };
}
