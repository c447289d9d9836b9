import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { orderRandom, pick, shuffle } from "../draw";
import { listing, misconceptionAnswers } from "../journey/shared";
import { clusterOf, LESSON, policiesExhibit, policyLab, verdictOf, type Conn } from "./shared";

/**
 * The AND/OR trap: a policy on shop/db whose `from` holds a namespaceSelector and a podSelector either
 * in one peer (AND) or as two peers (OR); the key is the set of candidate senders the simulator lets
 * reach db. `peer-selectors-or` is the same run reading one peer as two.
 */
const ID = "peer-and-or";
const CANDIDATES = ["monitoring/prometheus", "monitoring/grafana", "shop/scraper", "shop/frontend", "kube-system/kube-dns"] as const;
const NS_SELECTORS: Record<string, string> = {
  purpose: "{ matchLabels: { purpose: monitoring } }",
  name: "{ matchLabels: { kubernetes.io/metadata.name: monitoring } }",
};
const POD_SELECTORS: Record<string, string> = {
  prometheus: "{ matchLabels: { app: prometheus } }",
  "in-list": "{ matchExpressions: [{ key: app, operator: In, values: [prometheus, frontend] }] }",
};

type Params = { form: string; ns: string; pods: string };

function params(seed: number): Params {
  if (seed === 0) return { form: "or", ns: "purpose", pods: "prometheus" };
  const r = seededRandom(seed);
  return { form: pick(r, ["and", "or"]), ns: pick(r, Object.keys(NS_SELECTORS)), pods: pick(r, Object.keys(POD_SELECTORS)) };
}

function policyFor(p: Params): string {
  const ns = NS_SELECTORS[p.ns]!;
  const pods = POD_SELECTORS[p.pods]!;
  const from = p.form === "and"
    ? `    - namespaceSelector: ${ns}\n      podSelector: ${pods}\n`
    : `    - namespaceSelector: ${ns}\n    - podSelector: ${pods}\n`;
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-metrics, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress]
  ingress:
  - from:
${from}    ports:
    - { protocol: TCP, port: 5432 }
`;
}

export const peerAndOr: Template<"multiple-choice"> = {
  id: ID,
  kind: "multiple-choice",
  title: "One peer or two?",
  lesson: LESSON,
  concepts: ["network-policy"],
  file: "src/quiz/bank/network-policy/peer-and-or.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const policies = policyFor(p);
    const cluster = clusterOf(policies);
    const conn = (from: string): Conn => ({ from, to: "shop/db", port: 5432, protocol: "TCP" });
    const reaches = (model: "peer-selectors-or" | null) => CANDIDATES.filter((c) => verdictOf(cluster, conn(c), model).allowed);
    const allowed = reaches(null);
    const labels = (key: string) => {
      const pod = cluster.pods.find((q) => `${q.metadata.namespace}/${q.metadata.name}` === key)!;
      return Object.entries(pod.metadata.labels).map(([k, v]) => `${k}=${v}`).join(",");
    };
    const rubricOptions = Object.fromEntries(CANDIDATES.map((c) => {
      const v = verdictOf(cluster, conn(c));
      return [c, { why: v.allowed ? `${c} (${labels(c)}) matches: ${v.ingress.checks.find((k) => k.matched)?.detail ?? v.ingress.reason}.` : `${c} (${labels(c)}) does not: ${v.ingress.checks.map((k) => k.detail).join(" ")}`, step: "ingress" }];
    }));
    const order = shuffle(orderRandom(seed, ID), CANDIDATES);
    const key = { choices: [...allowed].sort() };
    return {
      template: ID, kind: "multiple-choice", seed, title: this.title,
      prompt: "This is the only NetworkPolicy in the cluster. Namespace monitoring carries the label purpose=monitoring; every namespace carries kubernetes.io/metadata.name=<its name>. Which of these Pods can open a connection to shop/db on TCP 5432?",
      exhibits: [policiesExhibit(policies), { kind: "text", text: `Pods and their labels: ${CANDIDATES.map((c) => `${c} (${labels(c)})`).join("; ")}.` }],
      view: { options: order.map((id) => ({ id, text: id })) },
      key,
      rubric: { options: rubricOptions },
      misconceptions: misconceptionAnswers<"multiple-choice">(["peer-selectors-or"], () => ({ choices: [...reaches("peer-selectors-or")].sort() }), key),
      hints: [
        "Count the dashes under `from`: each dash starts a separate peer.",
        "Separate peers are alternatives; selectors inside one peer must all hold at once.",
        "A podSelector without a namespaceSelector looks only in the policy's own namespace.",
      ],
      explanation:
        (p.form === "and"
          ? "The namespaceSelector and podSelector sit in one peer, so a sender must match both: the right labels inside a matching namespace. "
          : "The dash before podSelector makes two peers, which are ORed: every Pod in a matching namespace gets in, and so does any Pod of the policy's own namespace (shop) that matches the podSelector. ") +
        `Here that lets in ${listing(allowed)}; db is isolated for ingress, so everyone else is dropped.`,
      lab: policyLab(policies, conn(allowed[0] ?? CANDIDATES[0])),
    };
  },
};
