/**
 * The troubleshooting cases, run through the Kubernetes model: each planted fault shows the symptoms
 * the real system shows (kube-proxy's REJECT for a Service without endpoints, a RST from a Pod that
 * does not listen, the ETP Local drop and 503 health check, the load balancer's 404), and the correct
 * diagnosis names it while each wrong model names something else where it should.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCase, drawParams, FAULT_FAMILIES, LAB_CASES, typoOf } from "../../../../src/sim/kube/troubleshoot/cases";
import { diagnose, explainFault, reportedProbe } from "../../../../src/sim/kube/troubleshoot/diagnose";
import { hostMatches } from "../../../../src/sim/kube/troubleshoot/ingress";
import { tabulate } from "../../../../src/sim/kube/troubleshoot/kubectl";
import { loadCase } from "../../../../src/sim/kube/troubleshoot/probe";
import { runCommand, tokenize } from "../../../../src/sim/kube/troubleshoot/shell";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 30);
const run = (id: string, line: string) => runCommand(loadCase(LAB_CASES.find((c) => c.id === id)!), line);

describe("troubleshooting cases", () => {
  it("every lab case loads and the correct model names its fault", () => {
    for (const c of LAB_CASES) expect(diagnose(loadCase(c)), c.id).toBe(c.family);
  });

  it("selector mismatch: no endpoints, kube-proxy's REJECT, ICMP port unreachable and no conntrack entry", () => {
    expect(run("selector-mismatch", "kubectl get endpoints").output).toMatch(/web\s+<none>/);
    expect(run("selector-mismatch", "iptables-save -t filter").output).toMatch(/default\/web:http has no endpoints.*-j REJECT/);
    const c = loadCase(LAB_CASES[0]!);
    expect(reportedProbe(c).outcome).toBe("rejected");
    const after = runCommand(c, "curl -v http://web/");
    expect(runCommand(c, "conntrack -L", after.memory).output).toMatch(/0 flow entries/);
    expect(run("selector-mismatch", "tcpdump -n -i any icmp").output).toMatch(/ICMP 10\.96\.0\.20 tcp port 80 unreachable/);
  });

  it("readiness failure: the slice lists the Pods, Endpoints lists none, Pods 0/1", () => {
    expect(run("not-ready", "kubectl get endpointslices").output).toMatch(/10\.244\.2\.10,10\.244\.1\.11/);
    expect(run("not-ready", "kubectl get ep").output).toMatch(/<none>/);
    expect(run("not-ready", "kubectl get pods -l app=web").output).toMatch(/0\/1\s+Running/);
    expect(run("not-ready", "ipvsadm -Ln").output).toMatch(/TCP\s+10\.96\.0\.20:80 rr/);
    expect(run("not-ready", "kubectl describe endpointslice " + loadCase(LAB_CASES[1]!).state.endpointSlices[0]!.metadata.name).output).toMatch(/Ready:\s+false/);
  });

  it("targetPort mismatch: DNAT to a Pod on the wrong port, a RST back, conntrack CLOSE", () => {
    const c = loadCase(LAB_CASES[2]!);
    const r = reportedProbe(c);
    expect(r.outcome).toBe("refused");
    expect(r.endpoint?.port).toBe(8000);
    const after = runCommand(c, "curl http://web/");
    expect(runCommand(c, "conntrack -L -d 10.96.0.20", after.memory).output).toMatch(/^tcp\s+6 9 CLOSE .* sport=8000/);
    // The Pod itself answers on the port it listens on.
    expect(runCommand(c, "curl http://10.244.2.10:8080/").output).toMatch(/ok/);
  });

  it("externalTrafficPolicy Local: node-a drops and its health check says 503, node-b answers", () => {
    const c = loadCase(LAB_CASES[3]!);
    expect(reportedProbe(c).outcome).toBe("timeout");
    expect(runCommand(c, "curl http://10.128.0.2:32001/").output).toMatch(/503[\s\S]*"localEndpoints":0/);
    expect(runCommand(c, "curl http://10.128.0.3:32001/").output).toMatch(/200[\s\S]*"localEndpoints":2/);
    expect(runCommand(c, "curl http://10.128.0.3:30080/").output).toMatch(/ok/);
    // From a Pod, the same NodePort on node-a is cluster traffic and works.
    expect(runCommand(c, "curl http://web/").output).toMatch(/ok/);
  });

  it("Host typo: the load balancer's own 404; the right Host is the typo'd one", () => {
    const c = loadCase(LAB_CASES[4]!);
    expect(runCommand(c, "curl -H 'Host: shop.example.com' http://203.0.113.20/").output).toMatch(/response 404 \(backend NotFound\)/);
    expect(runCommand(c, `curl -H 'Host: ${typoOf("shop.example.com")}' http://203.0.113.20/`).output).toMatch(/ok/);
  });

  it("wrong models answer differently where their rule of thumb misleads", () => {
    const byId = (id: string) => loadCase(LAB_CASES.find((c) => c.id === id)!);
    expect(diagnose(byId("selector-mismatch"), "empty-endpoints-means-pods-down")).toBe("not-ready");
    expect(diagnose(byId("target-port"), "refused-means-no-endpoints")).toBe("selector-mismatch");
    expect(diagnose(byId("host-typo"), "ingress-404-is-the-app")).toBe("app-404");
    expect(diagnose(byId("no-local-endpoint"), "timeout-means-firewall")).toBe("firewall");
  });

  it("property: for drawn parameters every family is diagnosed as itself, deterministically, with an explanation", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(...FAULT_FAMILIES), (seed, family) => {
      const c = loadCase(buildCase(family, drawParams(seed)));
      expect(diagnose(c)).toBe(family);
      expect(explainFault(c)).toBe(explainFault(loadCase(buildCase(family, drawParams(seed)))));
    }), { numRuns: RUNS });
  });

  it("no input crashes the shell", () => {
    const c = loadCase(LAB_CASES[0]!);
    fc.assert(fc.property(fc.string(), (line) => { const r = runCommand(c, line); expect(typeof r.output).toBe("string"); }), { numRuns: RUNS * 5 });
    for (const line of ["kubectl", "kubectl get", "kubectl get foo", "curl", "curl -H", "curl http://web:99999/", "tcpdump port", "tcpdump port x", "ipvsadm", "conntrack", "iptables-save -t", "iptables-save -t raw", "curl 'x", "kubectl describe svc"]) {
      const r = runCommand(c, line);
      expect(r.ok, line).toBe(false);
      expect(r.output.length).toBeGreaterThan(0);
    }
  });

  it("kubectl's table layout and the shell's quoting", () => {
    expect(tabulate([["NAME", "AGE"], ["web", "1m"]])).toBe("NAME      AGE\nweb       1m");
    expect(tokenize(`curl -H 'Host: a b' "x"`)).toEqual(["curl", "-H", "Host: a b", "x"]);
    expect(hostMatches("*.example.com", "a.example.com")).toBe(true);
    expect(hostMatches("*.example.com", "a.b.example.com")).toBe(false);
    expect(hostMatches("*.example.com", "example.com")).toBe(false);
  });
});
