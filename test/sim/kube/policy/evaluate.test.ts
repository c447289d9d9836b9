/**
 * NetworkPolicy semantics against the Kubernetes documentation's own statements and examples
 * (concepts/services-networking/network-policies): isolation per direction, additive rules, both
 * ends having to allow, the one-peer AND vs two-peer OR forms, ipBlock with except, named ports,
 * endPort, policyTypes defaulting, DNS under default-deny egress.
 */
import { describe, expect, it } from "vitest";
import { ManifestError } from "../../../../src/sim/kube/manifest/index";
import { evaluateConnection, type Endpoint } from "../../../../src/sim/kube/policy/evaluate";
import { loadPolicyCluster, type PolicyCluster } from "../../../../src/sim/kube/policy/load";
import { policyMatrix } from "../../../../src/sim/kube/policy/matrix";
import { policyPods, policyPresets, presetById } from "../../../../src/sim/kube/policy/presets";
import { policyTrace } from "../../../../src/sim/kube/policy/trace";

const cluster = (policies: string, pods = policyPods): PolicyCluster =>
  loadPolicyCluster([{ name: "pods.yaml", text: pods }, { name: "policies.yaml", text: policies }]);
const at = (c: PolicyCluster, key: string): Endpoint => {
  const pod = c.pods.find((p) => `${p.metadata.namespace}/${p.metadata.name}` === key);
  return pod === undefined ? { kind: "external", ip: key } : { kind: "pod", pod };
};
const check = (c: PolicyCluster, from: string, to: string, port: number, protocol: "TCP" | "UDP" | "SCTP" = "TCP") =>
  evaluateConnection(c, { from: at(c, from), to: at(c, to), port, protocol });

// The documentation's example "test-network-policy", with Pods placed to exercise each clause.
const docsExamplePods = `apiVersion: v1
kind: Namespace
metadata: { name: myproject, labels: { project: myproject } }
---
apiVersion: v1
kind: Pod
metadata: { name: db, namespace: default, labels: { role: db } }
spec: { containers: [{ name: c, image: redis }] }
status: { podIPs: [{ ip: 10.8.0.5 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: fe, namespace: default, labels: { role: frontend } }
spec: { containers: [{ name: c, image: web }] }
status: { podIPs: [{ ip: 10.8.0.6 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: other, namespace: default, labels: { role: other } }
spec: { containers: [{ name: c, image: web }] }
status: { podIPs: [{ ip: 10.8.0.7 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: any, namespace: myproject, labels: { role: whatever } }
spec: { containers: [{ name: c, image: web }] }
status: { podIPs: [{ ip: 10.8.1.9 }] }
`;
const docsExample = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`;

describe("the documentation's test-network-policy", () => {
  const c = cluster(docsExample, docsExamplePods);
  it("lets in frontend Pods of its namespace, any Pod of myproject, and 172.17.0.0/16 minus 172.17.1.0/24, on TCP 6379 only", () => {
    expect(check(c, "default/fe", "default/db", 6379).allowed).toBe(true);
    expect(check(c, "myproject/any", "default/db", 6379).allowed).toBe(true);
    expect(check(c, "172.17.0.1", "default/db", 6379).allowed).toBe(true);
    expect(check(c, "172.17.1.9", "default/db", 6379).allowed).toBe(false);
    expect(check(c, "default/other", "default/db", 6379).allowed).toBe(false);
    expect(check(c, "default/fe", "default/db", 6380).allowed).toBe(false);
    expect(check(c, "default/fe", "default/db", 6379, "UDP").allowed).toBe(false);
  });
  it("limits db's own connections to 10.0.0.0/24 on TCP 5978", () => {
    expect(check(c, "default/db", "10.0.0.7", 5978).allowed).toBe(true);
    expect(check(c, "default/db", "10.0.1.7", 5978).allowed).toBe(false);
    expect(check(c, "default/db", "default/fe", 80).egress.verdict).toBe("denied");
  });
  it("leaves Pods it does not select unisolated in both directions", () => {
    const v = check(c, "default/fe", "default/other", 80);
    expect([v.egress.verdict, v.ingress.verdict]).toEqual(["not-isolated", "not-isolated"]);
  });
});

describe("isolation and additivity", () => {
  it("default deny (ingress) isolates every Pod of the namespace for ingress but not egress", () => {
    const c = cluster(presetById("default-deny")!.policies);
    const v = check(c, "shop/frontend", "shop/backend", 8080);
    expect(v.allowed).toBe(false);
    expect(v.egress.verdict).toBe("not-isolated");
    expect(v.ingress).toMatchObject({ verdict: "denied", policy: "shop/default-deny-ingress", rule: null });
    expect(check(c, "shop/frontend", "monitoring/grafana", 8080).allowed).toBe(true);
  });
  it("an allow policy adds to default deny (rules are a union) and resolves the named port on the destination", () => {
    const c = cluster(presetById("allow-frontend")!.policies);
    expect(check(c, "shop/frontend", "shop/backend", 8080).ingress).toMatchObject({ verdict: "allowed", policy: "shop/backend-from-frontend", rule: 0 });
    expect(check(c, "shop/frontend", "shop/backend", 8081).allowed).toBe(false);
    expect(check(c, "shop/db", "shop/backend", 8080).allowed).toBe(false);
  });
  it("needs both ends: the destination's ingress allowing is not enough when the source's egress denies", () => {
    const c = cluster(`${presetById("allow-frontend")!.policies}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: frontend-no-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: frontend } }
  policyTypes: [Egress]
`);
    const v = check(c, "shop/frontend", "shop/backend", 8080);
    expect(v.ingress.allowed).toBe(true);
    expect(v.egress.verdict).toBe("denied");
    expect(v.allowed).toBe(false);
    expect(evaluateConnection(c, { from: at(c, "shop/frontend"), to: at(c, "shop/backend"), port: 8080, protocol: "TCP" }, "ingress-only").allowed).toBe(true);
    const trace = policyTrace(c, { from: at(c, "shop/frontend"), to: at(c, "shop/backend"), port: 8080, protocol: "TCP" }).trace;
    expect(trace.outcome).toMatchObject({ status: "DROP", at: "egress" });
    expect(trace.steps.map((s) => s.id)).toEqual(["egress"]);
  });
});

describe("peers", () => {
  it("two peers are OR: every Pod in monitoring reaches db (the trap)", () => {
    const c = cluster(presetById("and-or-trap")!.policies);
    expect(check(c, "monitoring/grafana", "shop/db", 5432).allowed).toBe(true);
    expect(check(c, "monitoring/prometheus", "shop/db", 5432).allowed).toBe(true);
    expect(check(c, "shop/scraper", "shop/db", 5432).allowed).toBe(true);
    expect(check(c, "shop/frontend", "shop/db", 5432).allowed).toBe(false);
  });
  it("both selectors in one peer are AND: only prometheus inside monitoring", () => {
    const c = cluster(presetById("and-peer")!.policies);
    expect(check(c, "monitoring/prometheus", "shop/db", 5432).allowed).toBe(true);
    expect(check(c, "monitoring/grafana", "shop/db", 5432).allowed).toBe(false);
    expect(check(c, "shop/scraper", "shop/db", 5432).allowed).toBe(false);
    expect(evaluateConnection(c, { from: at(c, "monitoring/grafana"), to: at(c, "shop/db"), port: 5432, protocol: "TCP" }, "peer-selectors-or").allowed).toBe(true);
  });
  it("matches namespaces by the kubernetes.io/metadata.name label the API server adds", () => {
    const c = cluster(presetById("dns-allowed")!.policies);
    expect(check(c, "shop/backend", "kube-system/kube-dns", 53, "UDP").egress).toMatchObject({ verdict: "allowed", policy: "shop/allow-dns" });
    expect(check(c, "shop/backend", "kube-system/kube-dns", 53, "TCP").allowed).toBe(true);
    expect(check(c, "shop/backend", "shop/db", 5432).allowed).toBe(false);
  });
  it("matchExpressions: In, NotIn, Exists, DoesNotExist", () => {
    const sel = (expr: string) => cluster(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress:
  - from:
    - namespaceSelector: {}
      podSelector: { matchExpressions: [${expr}] }
`);
    const reach = (c: PolicyCluster) => ["shop/frontend", "monitoring/grafana", "kube-system/kube-dns"].filter((f) => check(c, f, "shop/db", 5432).allowed);
    expect(reach(sel("{ key: app, operator: In, values: [frontend, grafana] }"))).toEqual(["shop/frontend", "monitoring/grafana"]);
    expect(reach(sel("{ key: app, operator: NotIn, values: [frontend] }"))).toEqual(["monitoring/grafana", "kube-system/kube-dns"]);
    expect(reach(sel("{ key: k8s-app, operator: Exists }"))).toEqual(["kube-system/kube-dns"]);
    expect(reach(sel("{ key: k8s-app, operator: DoesNotExist }"))).toEqual(["shop/frontend", "monitoring/grafana"]);
  });
});

describe("DNS and default-deny egress", () => {
  it("default-deny egress blocks DNS like any other traffic; the dns-exempt wrong model says otherwise", () => {
    const c = cluster(presetById("dns-blocked")!.policies);
    const conn = { from: at(c, "shop/frontend"), to: at(c, "kube-system/kube-dns"), port: 53, protocol: "UDP" as const };
    expect(evaluateConnection(c, conn).egress).toMatchObject({ verdict: "denied", policy: "shop/default-deny-egress" });
    expect(evaluateConnection(c, conn, "dns-exempt").allowed).toBe(true);
  });
});

describe("ports, defaulting and validation", () => {
  it("endPort makes a range; an omitted policyTypes is Ingress, plus Egress only when egress rules exist", () => {
    const c = cluster(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: range, namespace: shop }
spec:
  podSelector: { matchLabels: { app: frontend } }
  egress:
  - ports: [{ port: 32000, endPort: 32768 }]
`);
    expect(c.policies[0]!.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(check(c, "shop/frontend", "shop/db", 32768).allowed).toBe(true);
    expect(check(c, "shop/frontend", "shop/db", 32769).allowed).toBe(false);
    expect(check(c, "shop/frontend", "shop/db", 31999).allowed).toBe(false);
    // Ingress is isolated too (defaulted) with no ingress rules.
    expect(check(c, "shop/db", "shop/frontend", 80).ingress.verdict).toBe("denied");
    const noEgress = cluster(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ing, namespace: shop }
spec: { podSelector: {}, egress: [] }
`);
    expect(noEgress.policies[0]!.policyTypes).toEqual(["Ingress"]);
  });
  it("a named port the destination does not have matches nothing", () => {
    const c = cluster(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: named, namespace: shop }
spec:
  podSelector: {}
  ingress: [{ ports: [{ port: postgres }] }]
`);
    expect(check(c, "shop/frontend", "shop/db", 5432).allowed).toBe(true);
    expect(check(c, "shop/frontend", "shop/backend", 5432).allowed).toBe(false);
  });
  it("reports each invalid field at its line", () => {
    let error: unknown;
    try {
      cluster(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: bad, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Ingres]
  ingress:
  - from:
    - ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24] }
      podSelector: {}
    - {}
    ports:
    - { port: http, endPort: 90 }
    - { protocol: ICMP, port: 1 }
`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestError);
    const problems = (error as ManifestError).problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^6 spec.policyTypes\[0\]: Unsupported value: "Ingres"/),
      expect.stringMatching(/^9 spec.ingress\[0\].from\[0\]: Forbidden: may not specify more than 1 peer type/),
      expect.stringMatching(/^11 spec.ingress\[0\].from\[1\]: Required value: must specify a peer/),
      expect.stringMatching(/^13 spec.ingress\[0\].ports\[0\].endPort: Forbidden/),
      expect.stringMatching(/^14 spec.ingress\[0\].ports\[1\].protocol: Unsupported value: "ICMP"/),
    ]);
  });
});

describe("hostNetwork and presets", () => {
  it("a hostNetwork Pod is neither selected nor matched by selectors", () => {
    const c = cluster(presetById("default-deny")!.policies, `${policyPods}---
apiVersion: v1
kind: Pod
metadata: { name: agent, namespace: shop, labels: { app: agent } }
spec: { hostNetwork: true, containers: [{ name: c, image: agent }] }
status: { podIPs: [{ ip: 10.128.0.4 }] }
`);
    expect(check(c, "shop/frontend", "shop/agent", 80).ingress.verdict).toBe("not-applicable");
    expect(check(c, "shop/agent", "shop/backend", 80).allowed).toBe(false);
  });
  it("every preset loads cleanly and its matrix has one cell per pair", () => {
    for (const preset of policyPresets) {
      const c = cluster(preset.policies);
      expect(c.warnings).toEqual([]);
      const m = policyMatrix(c, c.pods, preset.port, preset.protocol);
      expect(m.length).toBe(c.pods.length);
      expect(m.every((row) => row.length === c.pods.length)).toBe(true);
    }
  });
});
