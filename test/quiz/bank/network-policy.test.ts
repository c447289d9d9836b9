/**
 * The network-policy templates (src/quiz/bank/network-policy/), seeds 0…199 each (NETWORK_POLICY_SEEDS):
 * the bank's common checks, every rubric step a step of the policy trace; then facts checked against
 * the documented behaviour independently of the templates, and each lab link opened through the lab's machine.
 */
import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { policyMatrixMachine } from "../../../src/machines/policy-matrix.machine";
import { parsePolicies } from "../../../src/sim/kube/policy/parse";
import { NETWORK_POLICY_TEMPLATES } from "../../../src/quiz/bank/network-policy/index";
import { areaChecks } from "./area-checks";

const STEPS = new Set(["egress", "ingress", "delivered"]);
/** The firewall templates' rubric steps: the firewall trace's layers (FirewallLab shows each). */
const FIREWALL_STEPS = new Set(["load-balancer", "vpc-firewall", "kube-proxy", "traffic-policy", "network-policy", "delivered"]);
const FIREWALL_TEMPLATES = new Set(["firewall-drop-layer", "health-check-rule"]);

const { everySeed, template, misconceptionsUsed } = areaChecks({
  name: "network-policy",
  folder: "network-policy",
  templates: NETWORK_POLICY_TEMPLATES,
  seeds: { env: "NETWORK_POLICY_SEEDS", default: 200 },
  count: { min: 3, max: 5, minKinds: 2 },
  lesson: "network-policy",
  labIds: ["policy", "firewall"],
  knownStep: (v) => (step) => (FIREWALL_TEMPLATES.has(v.template) ? FIREWALL_STEPS : STEPS).has(step),
  questionInExhibits: ["both-ends", "peer-and-or", "dns-egress", "firewall-drop-layer", "health-check-rule"],
});

describe("network-policy questions, checked independently", () => {
  it("peer-and-or: prometheus in monitoring always gets in; the one-peer form never lets in grafana or shop/scraper", () => {
    everySeed(template("peer-and-or"), (v) => {
      if (v.kind !== "multiple-choice") return "kind";
      const yaml = v.exhibits[0]?.kind === "output" ? v.exhibits[0].text : "";
      const onePeer = /- namespaceSelector: .*\n\s+podSelector:/.test(yaml);
      if (!v.key.choices.includes("monitoring/prometheus")) return "prometheus missing";
      if (onePeer && (v.key.choices.includes("shop/scraper") || v.key.choices.includes("monitoring/grafana"))) return `one peer lets in ${v.key.choices}`;
      if (!onePeer && !v.key.choices.includes("monitoring/grafana")) return "two peers must let in every Pod of monitoring";
      return null;
    });
  });

  it("dns-egress: shop's DNS over UDP works exactly when shop's egress allows UDP 53 to kube-dns; grafana suffers only from an ingress policy on kube-dns", () => {
    everySeed(template("dns-egress"), (v) => {
      if (v.kind !== "multiple-choice") return "kind";
      const yaml = v.exhibits[0]?.kind === "output" ? v.exhibits[0].text : "";
      const egressAllowsDns = /name: allow-dns/.test(yaml);
      if (v.key.choices.includes("dns-udp") !== egressAllowsDns) return `dns-udp ${v.key.choices.includes("dns-udp")} with allow-dns ${egressAllowsDns}`;
      if (v.key.choices.includes("dns-tcp") !== (egressAllowsDns && /protocol: TCP, port: 53/.test(yaml))) return "dns-tcp";
      // An ingress policy on kube-dns isolates it for every client, grafana included.
      if (v.key.choices.includes("grafana-dns") === /name: dns-from-shop/.test(yaml)) return "grafana-dns";
      return v.key.choices.includes("grafana-in") ? null : "an egress-only default deny must leave ingress to shop open";
    });
  });

  it("both-ends: a closed egress answers 'egress'; with egress open and no ingress policy, 'delivered'", () => {
    everySeed(template("both-ends"), (v) => {
      if (v.kind !== "single-choice") return "kind";
      const docs = (v.exhibits[0]?.kind === "output" ? v.exhibits[0].text : "").split("---\n");
      const port = /on port (\d+)/.exec(v.prompt)?.[1];
      const denyOut = docs.some((d) => d.includes("name: default-deny-egress"));
      const allowOut = docs.some((d) => /-egress, namespace/.test(d) && !d.includes("default-deny-egress") && d.includes(`port: ${port} }`));
      const anyIngress = docs.some((d) => d.includes("policyTypes: [Ingress]"));
      if (denyOut && !allowOut) return v.key.choice === "egress" ? null : `key ${v.key.choice} with egress closed`;
      if (!anyIngress) return v.key.choice === "delivered" ? null : `key ${v.key.choice} with egress open and no ingress policy`;
      return v.key.choice === "egress" ? "egress open but key says egress" : null;
    });
  });

  it("the misconceptions the bank uses all appear for some seed", () => {
    const used = misconceptionsUsed();
    for (const id of ["peer-selectors-or", "ingress-only", "dns-exempt"]) expect(used, id).toContain(id);
  });

  it("every lab link opens the matrix on the variant's policies and cell, with the key's verdict", () => {
    for (const t of NETWORK_POLICY_TEMPLATES.filter((x) => !FIREWALL_TEMPLATES.has(x.id))) {
      for (const seed of [0, 1, 2, 3]) {
        const v = t.variant(seed);
        const q = v.lab!.query;
        const [initial] = initialTransition(policyMatrixMachine, {});
        const [loading] = transition(policyMatrixMachine, initial, { type: "LOAD_STATE", preset: null, input: q["policy.in"]!, port: q["policy.port"]!, protocol: q["policy.protocol"]!, from: q["policy.from"]!, to: q["policy.to"]! });
        const text = loading.context.parsing!;
        const [s] = transition(policyMatrixMachine, loading, { type: "PARSED", text, result: parsePolicies(text) });
        expect(s.context.errors, `${t.id} ${seed}`).toEqual({});
        expect(s.context.trace, `${t.id} ${seed}`).not.toBeNull();
        if (v.kind === "single-choice") expect(s.context.trace!.outcome.at).toBe(v.key.choice);
      }
    }
  });
});
