import { podLookup } from "../../../sim/kube/dns/pod-resolver";
import type { SearchModel } from "../../../sim/kube/dns/search";
import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { pick } from "../draw";
import { distinctMisconceptions, LESSON, NAMES, NAMESPACES, resolverLink } from "./shared";

/**
 * How many DNS queries leave the Pod before getaddrinfo returns: names sent × 2 (A and AAAA in parallel).
 * The wrong models' counts come from running the same lookup under them.
 */
const ID = "query-count";
// ndots-counts-labels first: where it differs from glibc it sends the same order as search-after-failure, and it is the more specific diagnosis.
const MODELS = ["ndots-counts-labels", "search-after-failure"] as const;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { name: "www.example.com", ns: "shop", ndots: 5, absolute: 0 };
  const r = seededRandom(seed);
  return { name: pick(r, NAMES), ns: pick(r, NAMESPACES), ndots: pick(r, [5, 5, 5, 3, 2, 1]), absolute: pick(r, [0, 0, 0, 1]) };
}

export const queryCount: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "How many DNS queries?",
  lesson: LESSON,
  concepts: ["cluster-dns", "dns"],
  file: "src/quiz/bank/cluster-dns/query-count.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const name = `${p.name}${p.absolute ? "." : ""}`;
    const ns = String(p.ns);
    const ndots = Number(p.ndots);
    const base = { namespace: ns, dnsPolicy: "ClusterFirst" as const, nameserver: "kube-dns" as const, hostNetwork: false, name, ndots };
    const real = podLookup(base);
    const count = real.resolution.queries.length * 2;
    const key = { value: count };
    const r = real.resolution;
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt: `A Pod in namespace ${ns} on a GKE node runs getaddrinfo("${name}") with AF_UNSPEC (glibc, no resolv.conf options but ndots:${ndots}). Counting each A and each AAAA question separately, how many DNS queries does it send before getaddrinfo returns? The cluster's names are listed below.`,
      exhibits: [
        { kind: "output", command: "cat /etc/resolv.conf", text: `nameserver ${real.conf.nameservers[0]}\nsearch ${real.conf.search.join(" ")}\noptions ndots:${ndots}` },
        { kind: "output", command: "kubectl get svc -A   # abridged", text: "NAMESPACE     NAME         TYPE           CLUSTER-IP     EXTERNAL-IP       PORT(S)\ndefault       kubernetes   ClusterIP      10.96.0.1      <none>            443/TCP\nkube-system   kube-dns     ClusterIP      10.96.0.10     <none>            53/UDP,53/TCP\nshop          web          ClusterIP      10.96.120.15   <none>            80/TCP\nshop          db           ClusterIP      None           <none>            5432/TCP\nshop          payments     ExternalName   <none>         api.example.com   <none>" },
        { kind: "text", text: "db is headless with two ready Pods, db-0 and db-1 (a StatefulSet: hostname db-N, subdomain db). Outside the cluster, www.example.com, example.com and api.example.com exist; other outside names do not." },
      ],
      view: { unit: "count", label: "DNS queries sent" },
      key,
      rubric: { value: count, unit: "count", absolute: 0, relative: 0, why: { why: `${r.queries.length} name${r.queries.length === 1 ? "" : "s"} sent (${r.queries.join(", ")}), each as an A and an AAAA query: ${count}.${r.outcome.found ? ` The search stops at ${r.outcome.name}.` : " None answers, so the whole list is tried."}`, step: r.steps[r.steps.length - 1]?.id ?? null } },
      misconceptions: distinctMisconceptions<"numeric">(MODELS, (m) => ({ value: podLookup({ ...base, model: m as SearchModel }).resolution.queries.length * 2 }), key),
      hints: [
        "First decide the order: compare the number of dots with ndots (a trailing dot changes everything).",
        "Stop at the first name that exists with data; then remember getaddrinfo asks two questions per name.",
      ],
      explanation: `glibc's res_search tries ${r.candidates.length} candidate name${r.candidates.length === 1 ? "" : "s"} for ${name} under ndots:${ndots} and the ${real.conf.search.length}-domain search list. It sends ${r.queries.join(", ")}${r.outcome.found ? `, stopping at the first with an answer` : ", and none answers"}. With AF_UNSPEC each name goes out as A and AAAA together, so ${r.queries.length} × 2 = ${count} queries.`,
      lab: resolverLink({ ns, name, ndots }),
    };
  },
};
