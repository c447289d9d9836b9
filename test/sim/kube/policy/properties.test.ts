/**
 * The invariants over random clusters and policy sets: nothing is allowed that no single rule
 * allows, adding an allow rule never removes a reachable pair, and with no policies every pair is
 * reachable. Runs EDGE_PROPERTY_RUNS cases (default 200).
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import type { Pod, Protocol } from "../../../../src/sim/kube/model";
import { evaluateConnection, policySelects, type PolicyWorld } from "../../../../src/sim/kube/policy/evaluate";
import { reachablePairs } from "../../../../src/sim/kube/policy/matrix";
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from "../../../../src/sim/kube/policy/types";

const runs = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);
const namespaces = ["a", "b", "c"];
const apps = ["web", "api", "db"];

const pods: Pod[] = namespaces.flatMap((ns, n) => apps.map((app, i) => ({
  kind: "Pod" as const, metadata: { name: `${app}`, namespace: ns, labels: { app, tier: i % 2 === 0 ? "front" : "back" } },
  nodeName: "n1", hostNetwork: false, podIPs: [`10.0.${n}.${i + 1}`], phase: "Running" as const, ready: true, terminating: false,
  ports: [{ name: "svc", containerPort: 8000 + i, protocol: "TCP" as Protocol }],
})));

const selector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({ matchLabels: {}, matchExpressions: [] }),
  fc.constantFrom(...apps).map((app) => ({ matchLabels: { app }, matchExpressions: [] })),
  fc.record({ op: fc.constantFrom("In" as const, "NotIn" as const), values: fc.subarray(apps, { minLength: 1 }) })
    .map(({ op, values }) => ({ matchLabels: {}, matchExpressions: [{ key: "app", operator: op, values }] })),
  fc.constantFrom("Exists" as const, "DoesNotExist" as const).map((operator) => ({ matchLabels: {}, matchExpressions: [{ key: "tier", operator, values: [] }] })),
);
const nsSelector: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({ matchLabels: {}, matchExpressions: [] }),
  fc.constantFrom(...namespaces).map((ns) => ({ matchLabels: { "kubernetes.io/metadata.name": ns }, matchExpressions: [] })),
);
const peer: fc.Arbitrary<PolicyPeer> = fc.oneof(
  fc.record({ kind: fc.constant("selectors" as const), podSelector: fc.option(selector, { nil: null }), namespaceSelector: nsSelector }),
  fc.record({ kind: fc.constant("selectors" as const), podSelector: selector, namespaceSelector: fc.constant(null) }),
  fc.record({ kind: fc.constant("ipBlock" as const), cidr: fc.constantFrom("10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/30"), except: fc.constantFrom([], ["10.0.1.0/26"]) }),
);
const port: fc.Arbitrary<PolicyPort> = fc.oneof(
  fc.record({ protocol: fc.constantFrom<Protocol>("TCP", "UDP"), port: fc.constantFrom<number | string | null>(8000, 8001, "svc", null), endPort: fc.constant(null) }),
  fc.record({ protocol: fc.constant<Protocol>("TCP"), port: fc.constant(8000), endPort: fc.constantFrom(8001, 8002) }),
);
const rule: fc.Arbitrary<PolicyRule> = fc.record({
  peers: fc.option(fc.array(peer, { minLength: 1, maxLength: 2 }), { nil: null }),
  ports: fc.array(port, { maxLength: 2 }),
});
const policy = (i: number): fc.Arbitrary<NetworkPolicy> => fc.record({
  name: fc.constant(`p${i}`), namespace: fc.constantFrom(...namespaces), podSelector: selector,
  policyTypes: fc.constantFrom<NetworkPolicy["policyTypes"]>(["Ingress"], ["Egress"], ["Ingress", "Egress"]),
  policyTypesGiven: fc.constant(true),
  ingress: fc.array(rule, { maxLength: 2 }), egress: fc.array(rule, { maxLength: 2 }),
});
const world: fc.Arbitrary<PolicyWorld> = fc.integer({ min: 0, max: 4 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => policy(i))).map((policies) => ({ policies, namespaces: namespaces.map((name) => ({ name, labels: { "kubernetes.io/metadata.name": name } })) })));
const conn = fc.record({ port: fc.constantFrom(8000, 8001, 8002, 9000), protocol: fc.constantFrom<Protocol>("TCP", "UDP") });

/** The world with only one policy, cut down to one rule of one direction. */
function onlyRule(w: PolicyWorld, policy: NetworkPolicy, direction: "ingress" | "egress", index: number): PolicyWorld {
  const rules = (direction === "ingress" ? policy.ingress : policy.egress).slice(index, index + 1);
  return { ...w, policies: [{ ...policy, ingress: direction === "ingress" ? rules : [], egress: direction === "egress" ? rules : [] }] };
}

describe("NetworkPolicy invariants", () => {
  it("never allows, for an isolated Pod, what no single rule of a policy selecting it allows", () => {
    fc.assert(fc.property(world, conn, (w, { port, protocol }) => {
      for (const from of pods) for (const to of pods) {
        const c = { from: { kind: "pod" as const, pod: from }, to: { kind: "pod" as const, pod: to }, port, protocol };
        const v = evaluateConnection(w, c);
        for (const d of [v.egress, v.ingress]) {
          if (d.verdict !== "allowed") continue;
          const self = d.direction === "egress" ? from : to;
          const type = d.direction === "egress" ? "Egress" : "Ingress";
          // Some rule, on its own, allows this direction — found independently of which one the evaluator named.
          const witness = w.policies.some((p) => p.policyTypes.includes(type) && policySelects(p, self)
            && (d.direction === "egress" ? p.egress : p.ingress).some((_, i) => evaluateConnection(onlyRule(w, p, d.direction, i), c)[d.direction].allowed));
          if (!witness) return false;
        }
        // An isolated endpoint whose selecting policies have no rules at all denies.
        if (v.ingress.verdict !== "not-isolated" && w.policies.filter((p) => p.policyTypes.includes("Ingress") && policySelects(p, to)).every((p) => p.ingress.length === 0) && v.ingress.allowed) return false;
      }
      return true;
    }), { numRuns: runs });
  });

  it("adding an allow rule never removes a reachable pair", () => {
    fc.assert(fc.property(world.filter((w) => w.policies.length > 0), fc.nat(), fc.constantFrom("ingress" as const, "egress" as const), rule, conn, (w, pick, direction, extra, { port, protocol }) => {
      const before = reachablePairs(w, pods, port, protocol);
      const target = pick % w.policies.length;
      const policies = w.policies.map((p, i) => (i !== target ? p : direction === "ingress" ? { ...p, ingress: [...p.ingress, extra] } : { ...p, egress: [...p.egress, extra] }));
      const after = reachablePairs({ ...w, policies }, pods, port, protocol);
      return [...before].every((pair) => after.has(pair));
    }), { numRuns: runs });
  });

  it("removing every policy makes every pair reachable", () => {
    fc.assert(fc.property(world, conn, (w, { port, protocol }) => {
      const after = reachablePairs({ ...w, policies: [] }, pods, port, protocol);
      return after.size === pods.length * pods.length;
    }), { numRuns: runs });
  });
});
