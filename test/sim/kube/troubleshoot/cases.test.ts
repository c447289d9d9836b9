/**
 * The troubleshooting cases, run through the Kubernetes model: each planted fault shows the symptoms
 * the real system shows (kube-proxy's REJECT for a Service without endpoints, a RST from a Pod that
 * does not listen, the ETP Local drop and 503 health check, the load balancer's 404), and the correct
 * diagnosis names it while each wrong model names something else where it should.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCase, drawParams, FAULT_FAMILIES, fixedCase, LAB_CASES, typoOf } from "../../../../src/sim/kube/troubleshoot/cases";
import { diagnose, explainFault, reportedProbe } from "../../../../src/sim/kube/troubleshoot/diagnose";
import { hostMatches } from "../../../../src/sim/kube/l7/host";
import { tabulate } from "../../../../src/sim/kube/troubleshoot/kubectl";
import { loadCase, onPremPath, queryLength } from "../../../../src/sim/kube/troubleshoot/probe";
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

  it("NetworkPolicy blocks DNS: the name times out, the ClusterIP answers, and the policy model says why", () => {
    const broken = loadCase(LAB_CASES.find((c) => c.id === "dns-policy")!);
    const r = reportedProbe(broken);
    expect(r.outcome).toBe("resolve-timeout");
    expect(r.curl).toMatch(/curl: \(6\) Could not resolve host: web$/);
    // kube-dns is up and the app is reachable: the same Service by its address works.
    expect(runCommand(broken, "curl http://10.96.0.20/").output).toMatch(/web ok/);
    expect(runCommand(broken, "nslookup web").output).toMatch(/^;; connection timed out; no servers could be reached/);
    expect(runCommand(broken, "dig web.default.svc.cluster.local").output).toMatch(/connection timed out; no servers could be reached/);
    // A reverse lookup is a DNS query too (PTR, same server, same port): it is blocked alike.
    expect(runCommand(broken, "nslookup 10.96.0.20").output).toMatch(/connection timed out/);
    expect(runCommand(broken, "kubectl get netpol").output).toMatch(/egress-allow-list\s+<none>/);
    expect(runCommand(broken, "kubectl describe networkpolicy egress-allow-list").output).toMatch(/Allowing egress traffic:\n\s+To Port: 8080\/TCP\n\s+To:\n\s+PodSelector: app=web/);
    expect(runCommand(broken, "cat /etc/resolv.conf").output).toMatch(/^nameserver 10\.96\.0\.10\nsearch default\.svc\.cluster\.local svc\.cluster\.local cluster\.local .*\noptions ndots:5$/);
    // glibc's res_search: the first candidate's A and AAAA, the same two again after the 5 s timeout (attempts 2);
    // the timeout ends the search list, but the name as typed (`web.`) is still tried, twice: 8 queries over 20 s.
    const dump = runCommand(broken, "tcpdump -n -i any port 53").output;
    const queries = dump.split("\n").filter((l) => / > 10\.96\.0\.10\.53: /.test(l));
    expect(queries).toHaveLength(8);
    const parsed = queries.map((l) => / In\s+IP 10\.244\.1\.5\.(\d+) > 10\.96\.0\.10\.53: (\d+)\+ (A{1,4})\? (\S+) \((\d+)\)$/.exec(l));
    expect(parsed.every((m) => m !== null)).toBe(true);
    expect(parsed.map((m) => m![4])).toEqual([...Array(4).fill("web.default.svc.cluster.local."), ...Array(4).fill("web.")]);
    expect(parsed.map((m) => m![3])).toEqual(["A", "AAAA", "A", "AAAA", "A", "AAAA", "A", "AAAA"]);
    expect(parsed.map((m) => m![5])).toEqual(["47", "47", "47", "47", "21", "21", "21", "21"]);
    // 5 s apart: 0, 5, 10, 15 s after the first (the capture's clock starts at 10:41:07).
    expect(queries.map((l) => l.slice(0, 8))).toEqual(["10:41:07", "10:41:07", "10:41:12", "10:41:12", "10:41:17", "10:41:17", "10:41:22", "10:41:22"]);
    // A retry resends the same queries from the same socket; the name as typed is a new query (new IDs) from a new socket.
    const port = parsed.map((m) => m![1]);
    const ids = parsed.map((m) => m![2]);
    expect(port[0]).toBe(port[3]);
    expect(port[4]).toBe(port[7]);
    expect(port[4]).not.toBe(port[0]);
    expect([ids[2], ids[3]]).toEqual([ids[0], ids[1]]);
    expect([ids[6], ids[7]]).toEqual([ids[4], ids[5]]);
    expect(ids[4]).not.toBe(ids[0]);
    expect(ids[5]).not.toBe(ids[1]);
    expect(dump).not.toMatch(/^\d\S* eth0/m);
    expect(queryLength("web.default.svc.cluster.local.")).toBe(47);

    // The fix (egress to kube-dns on UDP and TCP 53) makes the name resolve and the request succeed.
    const fixed = loadCase(fixedCase(LAB_CASES.find((c) => c.id === "dns-policy")!));
    expect(reportedProbe(fixed).outcome).toBe("ok");
    expect(runCommand(fixed, "nslookup web").output).toMatch(/Name:\tweb\.default\.svc\.cluster\.local\nAddress: 10\.96\.0\.20/);
    expect(runCommand(fixed, "dig web.default.svc.cluster.local").output).toMatch(/status: NOERROR[\s\S]*ANSWER SECTION:\nweb\.default\.svc\.cluster\.local\.\t\d+\tIN\tA\t10\.96\.0\.20/);
    // Without the allow-list at all, nothing isolates the Pods and DNS works too.
    const t = LAB_CASES.find((c) => c.id === "dns-policy")!;
    const noPolicy = loadCase({ ...t, yaml: t.yaml.split("---\n").filter((d) => !/kind: NetworkPolicy/.test(d)).join("---\n") });
    expect(reportedProbe(noPolicy).outcome).toBe("ok");
  });

  it("MTU black hole: small works, DF pings above the link MTU vanish, full-size segments are retransmitted with no ICMP back", () => {
    const t = LAB_CASES.find((c) => c.id === "mtu-black-hole")!;
    const broken = loadCase(t);
    const r = reportedProbe(broken);
    expect(r.outcome).toBe("stalled");
    expect(r.curl).toMatch(/curl: \(28\) Operation timed out after 30001 milliseconds with 0 bytes received/);
    expect(onPremPath(broken)!.status).toBe("black-hole");
    expect(runCommand(broken, "curl http://192.168.50.10/health").output).toMatch(/"status":"ok"/);
    // iputils: -s is the ICMP payload, the IP packet is 28 bytes more.
    expect(runCommand(broken, "ping -M do -s 1372 -c 3 192.168.50.10").output).toMatch(/1372\(1400\) bytes[\s\S]*3 received, 0% packet loss/);
    expect(runCommand(broken, "ping -M do -s 1373 -c 3 192.168.50.10").output).toMatch(/0 received, 100% packet loss/);
    expect(runCommand(broken, "ping -M do -s 1433 -c 2 192.168.50.10").output).toMatch(/ping: local error: message too long, mtu=1460\nping: local error: message too long, mtu=1460[\s\S]*\+2 errors/);
    expect(runCommand(broken, "ping -M probe -s 1433 -c 1 192.168.50.10").output).toMatch(/ping: local error: message too long, mtu=1460/);
    // Plain ping (the kernel's IP_PMTUDISC_WANT) sets DF on a packet that fits the Pod's MTU: lost just the same, silently.
    const plain = runCommand(broken, "ping -s 1373 -c 3 192.168.50.10").output;
    expect(plain).toMatch(/3 packets transmitted, 0 received, 100% packet loss/);
    expect(plain).not.toMatch(/error|Frag needed/);
    // Only -M dont clears DF: the router fragments (RFC 791), the server reassembles, the reply comes back.
    expect(runCommand(broken, "ping -M dont -s 1432 -c 1 192.168.50.10").output).toMatch(/1 received/);
    // Too big for the Pod's own MTU, want fragments locally, and the fragments carry no DF.
    expect(runCommand(broken, "ping -s 1433 -c 1 192.168.50.10").output).toMatch(/1441 bytes from 192\.168\.50\.10: icmp_seq=1[\s\S]*1 received/);
    // iputils prints the rtt summary in ms with three decimals.
    expect(runCommand(broken, "ping -s 100 -c 3 192.168.50.10").output).toMatch(/\nrtt min\/avg\/max\/mdev = \d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3}\/\d+\.\d{3} ms$/);
    expect(runCommand(broken, "ping -s 100 -c 3 192.168.50.10").output).toMatch(/rtt min\/avg\/max\/mdev = 11\.200\/11\.400\/11\.600\/0\.163 ms/);
    expect(runCommand(broken, "ip link show eth0").output).toMatch(/mtu 1460 /);
    expect(runCommand(broken, "ip route get 192.168.50.10").output).not.toMatch(/mtu/);
    const dump = runCommand(broken, "tcpdump -n -i any host 192.168.50.10").output;
    // MSS 1420 (the Pod's MTU less 40), timestamps negotiated in the handshake: 1408 bytes of data and 12 of options per full segment.
    expect(dump).toMatch(/Flags \[S\], seq \d+, win 65320, options \[mss 1420,sackOK,TS val \d+ ecr 0,nop,wscale 7\], length 0/);
    expect(dump).toMatch(/Flags \[S\.\], seq \d+, ack \d+, win 65160, options \[mss 1460,sackOK,TS val \d+ ecr \d+,nop,wscale 7\], length 0/);
    const afterHandshake = dump.split("\n").filter((l) => /Flags \[(?:\.|P\.)\]/.test(l));
    expect(afterHandshake.length).toBeGreaterThan(0);
    expect(afterHandshake.every((l) => /, options \[nop,nop,TS val \d+ ecr \d+\], length \d+$/.test(l))).toBe(true);
    const big = dump.split("\n").filter((l) => /eth0\s+Out .*length 1408$/.test(l));
    expect(big.length).toBeGreaterThanOrEqual(3);
    expect(new Set(big.map((l) => /seq (\d+:\d+)/.exec(l)![1])).size).toBe(1);
    // Each retransmission is stamped with the clock at the moment it leaves.
    expect(new Set(big.map((l) => /TS val (\d+)/.exec(l)![1])).size).toBe(big.length);
    expect(runCommand(broken, "tcpdump -n -i any icmp").output).toMatch(/\n0 packets captured/);

    // ICMP 3/4 allowed: path MTU discovery completes, the upload arrives, the route caches mtu 1400.
    const fixed = loadCase(fixedCase(t));
    expect(onPremPath(fixed)!.status).toBe("delivered-after-pmtud");
    expect(reportedProbe(fixed).outcome).toBe("ok");
    expect(runCommand(fixed, "tcpdump -n -i any icmp").output).toMatch(/ICMP 192\.168\.50\.10 unreachable - need to frag \(mtu 1400\)/);
    expect(runCommand(fixed, "ping -M do -s 1432 -c 2 192.168.50.10").output).toMatch(/From 192\.168\.0\.1 icmp_seq=1 Frag needed and DF set \(mtu = 1400\)\nping: local error: message too long, mtu=1400\n[\s\S]*2 packets transmitted, 0 received, \+2 errors, 100% packet loss/);
    // Plain ping: the ICMP is reported once, the kernel caches mtu 1400, and the next packets go out fragmented and are answered.
    const plainFixed = runCommand(fixed, "ping -s 1373 -c 3 192.168.50.10").output;
    expect(plainFixed).toMatch(/From 192\.168\.0\.1 icmp_seq=1 Frag needed and DF set \(mtu = 1400\)\n1381 bytes from 192\.168\.50\.10: icmp_seq=2 [\s\S]*icmp_seq=3 /);
    expect(plainFixed).toMatch(/3 packets transmitted, 2 received, \+1 errors, 33\.3333% packet loss/);
    expect(plainFixed.match(/Frag needed/g)).toHaveLength(1);
    // After path MTU discovery the segments fit a 1400-byte packet: 1400 − 40 − 12 = 1348 bytes of data.
    expect(runCommand(fixed, "tcpdump -n -i any host 192.168.50.10").output).toMatch(/eth0\s+Out .*length 1348$/m);
    expect(runCommand(fixed, "ip route get 192.168.50.10").output).toMatch(/cache expires \d+sec mtu 1400/);
  });

  it("wrong models answer differently where their rule of thumb misleads", () => {
    const byId = (id: string) => loadCase(LAB_CASES.find((c) => c.id === id)!);
    expect(diagnose(byId("selector-mismatch"), "empty-endpoints-means-pods-down")).toBe("not-ready");
    expect(diagnose(byId("target-port"), "refused-means-no-endpoints")).toBe("selector-mismatch");
    expect(diagnose(byId("host-typo"), "ingress-404-is-the-app")).toBe("app-404");
    expect(diagnose(byId("no-local-endpoint"), "timeout-means-firewall")).toBe("firewall");
    expect(diagnose(byId("dns-policy"), "resolve-failure-means-dns-down")).toBe("dns-down");
    expect(diagnose(byId("mtu-black-hole"), "hang-means-slow-app")).toBe("app-slow");
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
    for (const line of ["ping", "ping -s x 10.0.0.1", "ping -M maybe 10.0.0.1", "ip", "ip route get", "cat /etc/passwd", "nslookup", "dig", "curl -m 0 http://web/", "curl --data-binary", "kubectl", "kubectl get", "kubectl get foo", "curl", "curl -H", "curl http://web:99999/", "tcpdump port", "tcpdump port x", "ipvsadm", "conntrack", "iptables-save -t", "iptables-save -t raw", "curl 'x", "kubectl describe svc"]) {
      const r = runCommand(c, line);
      expect(r.ok, line).toBe(false);
      expect(r.output.length).toBeGreaterThan(0);
    }
  });

  it("kubectl's table layout and the shell's quoting", () => {
    expect(tabulate([["NAME", "AGE"], ["web", "1m"]])).toBe("NAME      AGE\nweb       1m");
    expect(tokenize(`curl -H 'Host: a b' "x"`)).toEqual(["curl", "-H", "Host: a b", "x"]);
    expect(hostMatches("*.example.com", "a.example.com", "one-label")).toBe(true);
    expect(hostMatches("*.example.com", "a.b.example.com", "one-label")).toBe(false);
    expect(hostMatches("*.example.com", "example.com", "one-label")).toBe(false);
  });
});
