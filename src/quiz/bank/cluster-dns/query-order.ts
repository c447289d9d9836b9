import { podLookup } from "../../../sim/kube/dns/pod-resolver";
import { seededRandom } from "../../../sim/random";
import type { Choice, Template, Why } from "../../engine/types";
import { orderRandom, pick, shuffle } from "../draw";
import { distinctMisconceptions, LESSON, NAMES, NAMESPACES, resolverLink } from "./shared";

/**
 * Put the names a Pod's resolver sends in order, up to the one that answers. The key is glibc's search order
 * (src/sim/kube/dns/search.ts) run against the example cluster; the items also hold the names the two wrong
 * models would send, so each model's order is an answer a learner can give.
 */
const ID = "query-order";
// ndots-counts-labels first: where it differs from glibc it sends the same order as search-after-failure, and it is the more specific diagnosis.
const MODELS = ["ndots-counts-labels", "search-after-failure"] as const;

function sent(p: Record<string, string | number>): string[] {
  return podLookup({ namespace: String(p.ns), dnsPolicy: "ClusterFirst", nameserver: "kube-dns", hostNetwork: false, name: String(p.name), ndots: Number(p.ndots) }).resolution.queries as string[];
}

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { name: "web.shop", ns: "default", ndots: 5 };
  const r = seededRandom(seed);
  // Draw until the Pod sends at least two names: a one-name lookup has no order to put.
  for (;;) {
    const p = { name: pick(r, NAMES), ns: pick(r, NAMESPACES), ndots: pick(r, [5, 5, 5, 2, 1]) };
    if (sent(p).length >= 2) return p;
  }
}

export const queryOrder: Template<"ordering"> = {
  id: ID,
  kind: "ordering",
  title: "The queries a Pod's resolver sends",
  lesson: LESSON,
  concepts: ["cluster-dns", "dns"],
  file: "src/quiz/bank/cluster-dns/query-order.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const name = String(p.name);
    const ns = String(p.ns);
    const ndots = Number(p.ndots);
    const base = { namespace: ns, dnsPolicy: "ClusterFirst" as const, nameserver: "kube-dns" as const, hostNetwork: false, name, ndots };
    const real = podLookup(base);
    const wrong = Object.fromEntries(MODELS.map((m) => [m, podLookup({ ...base, model: m }).resolution.queries]));
    // One name never sent under any model, so the items always hold something to leave out.
    const never = `${name.replace(/\.$/, "")}.${ns}.pod.cluster.local.`;
    const all = [...new Set([...real.resolution.queries, ...Object.values(wrong).flat(), never])].sort();
    const idOf = (n: string) => `n${all.indexOf(n) + 1}`;
    const items: Choice[] = shuffle(orderRandom(seed, ID), all.map((n) => ({ id: idOf(n), text: n })));
    const keyOrder = real.resolution.queries.map(idOf);
    const stepOf = new Map(real.resolution.steps.map((s) => [s.name, s] as const));
    const itemWhys: Record<string, Why> = Object.fromEntries(all.map((n) => {
      const s = stepOf.get(n);
      const why = s
        ? `Sent ${s.id === "q1" ? "first" : `as query ${s.id.slice(1)}`}${s.via === "as-is" ? ", the name as is" : `, with the search domain ${s.via}`}: ${s.result === "answer" ? "it has an answer, so the search stops here" : `${s.result.toUpperCase()}, so the resolver moves on`}.`
        : `Never sent: ${real.resolution.candidates.includes(n) ? "the search stopped at an earlier name that answered" : "not a candidate for this name under glibc's rules"}.`;
      return [idOf(n), { why, step: s?.id ?? null }];
    }));
    const dots = [...name].filter((c) => c === ".").length;
    const rule = dots >= ndots ? `${dots} dot${dots === 1 ? "" : "s"} ≥ ndots ${ndots}: as is first, then the search list` : `${dots} dot${dots === 1 ? "" : "s"} < ndots ${ndots}: the search list first, as is last`;
    const key = { order: keyOrder };
    return {
      template: ID, kind: "ordering", seed, title: this.title,
      prompt: `A Pod in namespace ${ns} (dnsPolicy ClusterFirst, on a GKE node) calls getaddrinfo("${name}"). Its resolv.conf is below (options ndots:${ndots}). Put the names its glibc resolver sends in order, from the first to the one where it stops; leave out names it never sends.`,
      exhibits: [{ kind: "output", command: "cat /etc/resolv.conf", text: `nameserver ${real.conf.nameservers[0]}\nsearch ${real.conf.search.join(" ")}\noptions ndots:${ndots}` }],
      view: { items },
      key,
      rubric: { strategy: "all-or-nothing", orders: [keyOrder], items: itemWhys },
      misconceptions: distinctMisconceptions<"ordering">(MODELS, (m) => ({ order: wrong[m]!.map(idOf) }), key),
      hints: [
        "Count the dots in the name — dots, not labels — and compare with ndots.",
        "The resolver stops at the first name with an answer; NXDOMAIN and NODATA both send it to the next candidate.",
      ],
      explanation: `${name}: ${rule}. ${real.resolution.outcome.found ? `${real.resolution.outcome.name} is the first name with an answer (${real.resolution.outcome.addresses.join(", ")}), after ${real.resolution.queries.length} name${real.resolution.queries.length === 1 ? "" : "s"}.` : "No candidate has an answer, so every one is sent and getaddrinfo fails."} Each name is asked for A and AAAA together, so the queries on the wire are twice as many.`,
      lab: resolverLink({ ns, name, ndots }),
    };
  },
};
