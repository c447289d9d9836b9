import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { orderRandom, pick, shuffle } from "../draw";
import { listing, misconceptionAnswers } from "../journey/shared";
import { clusterOf, connText, LESSON, policiesExhibit, policyLab, verdictOf, type Conn } from "./shared";

/**
 * DNS under default-deny egress: shop gets a default-deny Egress policy and, drawn, a DNS allowance
 * (none, UDP only, UDP and TCP, or one written on the wrong side — as ingress on kube-dns) and an
 * allow from backend to db. The key is the set of connections the simulator lets through;
 * `dns-exempt` is the same run with port 53 taken to be exempt.
 */
const ID = "dns-egress";

type Params = { dns: string; source: string; db: string };

function params(seed: number): Params {
  if (seed === 0) return { dns: "none", source: "frontend", db: "no" };
  const r = seededRandom(seed);
  return { dns: pick(r, ["none", "udp", "udp-tcp", "ingress-side"]), source: pick(r, ["frontend", "backend"]), db: pick(r, ["no", "yes"]) };
}

const DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-egress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
`;

function policiesFor(p: Params): string {
  const docs = [DENY];
  const ports = p.dns === "udp" ? "    - { protocol: UDP, port: 53 }\n" : "    - { protocol: UDP, port: 53 }\n    - { protocol: TCP, port: 53 }\n";
  if (p.dns === "udp" || p.dns === "udp-tcp") {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
      podSelector: { matchLabels: { k8s-app: kube-dns } }
    ports:
${ports}`);
  }
  if (p.dns === "ingress-side") {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: dns-from-shop, namespace: kube-system }
spec:
  podSelector: { matchLabels: { k8s-app: kube-dns } }
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } }
    ports:
${ports}`);
  }
  if (p.db === "yes") {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: backend-to-db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: backend } }
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector: { matchLabels: { app: db } }
    ports:
    - { protocol: TCP, port: 5432 }
`);
  }
  return docs.join("---\n");
}

export const dnsEgress: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "Does DNS still work?",
  lesson: LESSON,
  concepts: ["network-policy", "cluster-dns"],
  file: "src/quiz/bank/network-policy/dns-egress.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const policies = policiesFor(p);
    const cluster = clusterOf(policies);
    const src = `shop/${p.source}`;
    const conns: Record<string, Conn> = {
      "dns-udp": { from: src, to: "kube-system/kube-dns", port: 53, protocol: "UDP" },
      "dns-tcp": { from: src, to: "kube-system/kube-dns", port: 53, protocol: "TCP" },
      db: { from: src, to: "shop/db", port: 5432, protocol: "TCP" },
      "grafana-dns": { from: "monitoring/grafana", to: "kube-system/kube-dns", port: 53, protocol: "UDP" },
      "grafana-in": { from: "monitoring/grafana", to: src, port: 8080, protocol: "TCP" },
    };
    const ids = Object.keys(conns);
    const pass = (model: "dns-exempt" | null) => ids.filter((id) => verdictOf(cluster, conns[id]!, model).allowed).sort();
    const allowed = pass(null);
    const rubric = Object.fromEntries(ids.map((id) => {
      const v = verdictOf(cluster, conns[id]!);
      const d = !v.egress.allowed ? v.egress : v.ingress;
      return [id, { why: v.allowed
        ? `Allowed: egress ${v.egress.verdict === "not-isolated" ? "not isolated" : `by ${v.egress.policy} egress[${v.egress.rule}]`}, ingress ${v.ingress.verdict === "not-isolated" ? "not isolated" : `by ${v.ingress.policy} ingress[${v.ingress.rule}]`}.`
        : `Dropped at ${d.direction === "egress" ? "the source's egress" : "the destination's ingress"}: ${d.reason}.`, step: !v.egress.allowed ? "egress" : v.ingress.allowed ? "delivered" : "ingress" }];
    }));
    const order = shuffle(orderRandom(seed, ID), ids);
    const key = { choices: allowed };
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: `These are all the NetworkPolicies in the cluster; kube-dns runs in kube-system with the label k8s-app=kube-dns. ${src} and monitoring/grafana try the connections below. Which of them succeed?`,
      exhibits: [policiesExhibit(policies)],
      view: { options: order.map((id) => ({ id, text: connText(conns[id]!) })) },
      key,
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"multiple-choice">(["dns-exempt"], () => ({ choices: pass("dns-exempt") }), key),
      hints: [
        "Which Pods does the default-deny policy isolate, and in which direction?",
        "Is there anything special about port 53 in a NetworkPolicy?",
        "A rule in kube-system decides kube-dns's ingress; the sender's egress is decided by policies in the sender's namespace.",
      ],
      explanation:
        `default-deny-egress isolates every shop Pod for egress, and NetworkPolicy has no exception for DNS: a query is just a packet to port 53. ` +
        (p.dns === "none" ? "Nothing allows it back, so lookups from shop fail. "
          : p.dns === "udp" ? "allow-dns opens UDP 53 only, so a lookup that falls back to TCP (a truncated, large answer) still fails. "
            : p.dns === "udp-tcp" ? "allow-dns opens UDP and TCP 53 to the kube-dns Pods. "
              : "dns-from-shop opens kube-dns's ingress, but shop's egress is still closed, so the queries never leave. ") +
        (p.dns === "ingress-side"
          ? "dns-from-shop also isolates kube-dns for ingress and lets in only shop, so grafana's own lookups now fail — an ingress policy on a shared service reaches every client. "
          : "monitoring and kube-system have no policy, so grafana's lookups are unaffected. ") +
        `default-deny-egress says nothing about ingress, so grafana can still connect in to ${src}. Succeeding here: ${allowed.length ? listing(allowed.map((id) => connText(conns[id]!))) : "none"}.`,
      lab: policyLab(policies, conns["dns-udp"]!),
    };
  },
};
