import { seededRandom } from "../../../sim/random";
import type { Template } from "../../engine/types";
import { orderRandom, pick, shuffle } from "../draw";
import { misconceptionAnswers } from "../journey/shared";
import { clusterOf, LESSON, outcomeStep, policiesExhibit, policyLab, verdictOf, type Conn } from "./shared";

/**
 * Where a connection ends: the sender's egress policies and the receiver's ingress policies are drawn
 * separately (none, default deny, an allow that matches, an allow that misses); the key is where the
 * trace's outcome step is — dropped at the source's egress, at the destination's ingress, or delivered.
 * `ingress-only` is the same run with the sender's egress ignored.
 */
const ID = "both-ends";

const PAIRS: Record<string, { from: string; fromApp: string; to: string; toApp: string; port: number }> = {
  "frontend-backend": { from: "shop/frontend", fromApp: "frontend", to: "shop/backend", toApp: "backend", port: 8080 },
  "backend-db": { from: "shop/backend", fromApp: "backend", to: "shop/db", toApp: "db", port: 5432 },
  "prometheus-backend": { from: "monitoring/prometheus", fromApp: "prometheus", to: "shop/backend", toApp: "backend", port: 8080 },
};
const SIDES = ["none", "deny-all", "allow-match", "allow-miss"] as const;

type Params = { pair: string; egress: string; ingress: string };

function params(seed: number): Params {
  if (seed === 0) return { pair: "frontend-backend", egress: "deny-all", ingress: "allow-match" };
  const r = seededRandom(seed);
  return { pair: pick(r, Object.keys(PAIRS)), egress: pick(r, SIDES), ingress: pick(r, SIDES) };
}

const ns = (key: string) => key.split("/")[0]!;

function policiesFor(p: Params): string {
  const pair = PAIRS[p.pair]!;
  const docs: string[] = [];
  if (p.egress !== "none") {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-egress, namespace: ${ns(pair.from)} }
spec:
  podSelector: {}
  policyTypes: [Egress]
`);
  }
  if (p.egress === "allow-match" || p.egress === "allow-miss") {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${pair.fromApp}-egress, namespace: ${ns(pair.from)} }
spec:
  podSelector: { matchLabels: { app: ${pair.fromApp} } }
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${ns(pair.to)} } }
      podSelector: { matchLabels: { app: ${pair.toApp} } }
    ports:
    - { protocol: TCP, port: ${p.egress === "allow-match" ? pair.port : pair.port + 1} }
`);
  }
  if (p.ingress !== "none") {
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-ingress, namespace: ${ns(pair.to)} }
spec:
  podSelector: {}
  policyTypes: [Ingress]
`);
  }
  if (p.ingress === "allow-match" || p.ingress === "allow-miss") {
    const fromApp = p.ingress === "allow-match" ? pair.fromApp : "grafana";
    const fromNs = p.ingress === "allow-match" ? ns(pair.from) : "monitoring";
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${pair.toApp}-ingress, namespace: ${ns(pair.to)} }
spec:
  podSelector: { matchLabels: { app: ${pair.toApp} } }
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ${fromNs} } }
      podSelector: { matchLabels: { app: ${fromApp} } }
    ports:
    - { protocol: TCP, port: ${pair.port} }
`);
  }
  return docs.join("---\n");
}

export const bothEnds: Template<"single-choice"> = {
  id: ID,
  kind: "single-choice",
  title: "Which end drops it?",
  lesson: LESSON,
  concepts: ["network-policy", "conntrack"],
  file: "src/quiz/bank/network-policy/both-ends.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const pair = PAIRS[p.pair]!;
    const conn: Conn = { from: pair.from, to: pair.to, port: pair.port, protocol: "TCP" };
    const policies = policiesFor(p);
    const cluster = clusterOf(policies);
    const v = verdictOf(cluster, conn);
    const at = outcomeStep(cluster, conn);
    const text = {
      delivered: `It connects: ${pair.from}'s egress and ${pair.to}'s ingress both let it through`,
      egress: `Dropped as it leaves ${pair.from}: no egress rule that applies to ${pair.from} allows it`,
      ingress: `Dropped as it reaches ${pair.to}: no ingress rule that applies to ${pair.to} allows it`,
    } as const;
    const why = (direction: "egress" | "ingress") => {
      const d = direction === "egress" ? v.egress : v.ingress;
      return d.verdict === "not-isolated" ? `no policy selects ${d.endpoint} for ${direction}, so it is not isolated that way`
        : d.allowed ? `${d.policy} ${direction}[${d.rule}] allows it` : `${d.endpoint} is isolated for ${direction} by ${d.selectedBy.join(", ")} and no rule matches`;
    };
    const rubric = {
      delivered: { why: at === "delivered" ? `Both checks pass: ${why("egress")}; ${why("ingress")}.` : `Not delivered: ${at === "egress" ? why("egress") : why("ingress")}.`, step: at },
      egress: { why: at === "egress" ? `The source's egress is checked first and fails: ${why("egress")}.` : `The source's egress passes: ${why("egress")}.`, step: "egress" },
      ingress: { why: at === "ingress" ? `Egress passes (${why("egress")}), then the destination's ingress fails: ${why("ingress")}.`
        : at === "egress" ? `The packet never reaches ${pair.to}: it is dropped at the source's egress first (${why("egress")}).` : `The destination's ingress passes: ${why("ingress")}.`, step: at === "egress" ? "egress" : "ingress" },
    };
    const key = at === "delivered" ? "delivered" : at;
    const order = shuffle(orderRandom(seed, ID), ["delivered", "egress", "ingress"] as const);
    return {
      template: ID, kind: "single-choice", seed, title: this.title,
      prompt: `These are all the NetworkPolicies in the cluster. ${pair.from} opens a TCP connection to ${pair.to} on port ${pair.port}. What happens to it?`,
      exhibits: [policiesExhibit(policies === "" ? "# (no NetworkPolicy objects)" : policies)],
      view: { options: order.map((id) => ({ id, text: text[id] })) },
      key: { choice: key },
      rubric: { options: rubric },
      misconceptions: misconceptionAnswers<"single-choice">(["ingress-only"], (model) => ({ choice: outcomeStep(cluster, conn, model as "ingress-only") }), { choice: key }),
      hints: [
        "Which policies select the sender, and does any of them list Egress in policyTypes? Do the same for the receiver and Ingress.",
        "A Pod that no policy selects for a direction is not isolated that way; an isolated one takes only what some rule allows.",
        "The sender's egress is checked before the receiver's ingress is ever consulted, and both must allow it.",
      ],
      explanation:
        `Egress from ${pair.from}: ${why("egress")}. Ingress to ${pair.to}: ${why("ingress")}. ` +
        `A connection needs both ends to allow it, so ${at === "delivered" ? "it is delivered, and its replies pass on the tracked connection without a rule of their own" : `it is dropped at the ${at === "egress" ? "source's egress" : "destination's ingress"}`}.`,
      lab: policyLab(policies, conn),
    };
  },
};
