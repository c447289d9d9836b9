/**
 * The public dump (`kubeProxyIptables`) and the configuration paths proxier_test.go does not reach:
 * iptables-save layout and built-in jump rules, IPv6, detect-local modes, masquerade bit, NodePort
 * addresses, skipped Service kinds.
 */
import { describe, expect, it } from "vitest";
import type { ClusterState, Service } from "../../../../src/sim/kube/model";
import { kubeProxyIptables, kubeProxyRestoreInput, masqueradeMarkFor } from "../../../../src/sim/kube/iptables";
import { chainRules, ep, fakeState, makeTestEndpointSlice, makeTestService, parseIPTablesDump, port, slicePort, testNodeName } from "./kube-proxy-test-kit";

const web = (edit: (s: any) => void = () => {}): Service =>
  makeTestService("default", "web", (s) => {
    s.clusterIP = "10.96.0.10";
    s.clusterIPs = ["10.96.0.10", "fd00:96::10"];
    s.ipFamilies = ["IPv4", "IPv6"];
    s.ports = [port({ name: "http", port: 80, targetPort: 8080 })];
    edit(s);
  });
const slices = [
  makeTestEndpointSlice("default", "web", 1, (e) => {
    e.ports = [slicePort("http", 8080)];
    e.endpoints = [ep("10.244.1.5", { nodeName: testNodeName }), ep("10.244.2.7", { nodeName: "node-b" })];
  }),
  makeTestEndpointSlice("default", "web", 2, (e) => {
    e.addressType = "IPv6";
    e.ports = [slicePort("http", 8080)];
    e.endpoints = [ep("fd00:10:244:1::5", { nodeName: testNodeName })];
  }),
];
const withConfig = (state: ClusterState, patch: Partial<ClusterState["proxyConfig"]>): ClusterState => ({
  ...state,
  proxyConfig: { ...state.proxyConfig, ...patch },
});

describe("iptables-save form", () => {
  const dump = kubeProxyIptables(fakeState([web()], slices));
  const lines = dump.text.split("\n");

  it("opens each table with its built-in chains and policies, then user chains in name order", () => {
    expect(lines.slice(0, 4)).toEqual(["*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"]);
    const natAt = lines.indexOf("*nat");
    expect(lines.slice(natAt + 1, natAt + 5)).toEqual([":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"]);
    const user = lines.slice(natAt + 5, lines.indexOf("COMMIT", natAt)).filter((l) => l.startsWith(":")).map((l) => l.slice(1).split(" ")[0]!);
    expect(user).toEqual([...user].sort());
    expect(user).toContain("KUBE-PROXY-CANARY");
  });

  it("has the jump rules kube-proxy prepends, last-ensured first", () => {
    expect(lines.filter((l) => l.startsWith("-A INPUT "))).toEqual([
      "-A INPUT -j KUBE-FIREWALL",
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ]);
    expect(lines.filter((l) => l.startsWith("-A FORWARD "))).toEqual([
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    ]);
    expect(lines).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(lines).toContain('-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
  });

  it("is loadable on its own: every rule sits in a declared chain and every jump has a target", () => {
    const tables = parseIPTablesDump(dump.text);
    const targets = new Set(["ACCEPT", "DROP", "REJECT", "RETURN", "MARK", "DNAT", "MASQUERADE"]);
    for (const t of tables) {
      const declared = new Set(t.chains.map((c) => c.name));
      for (const c of t.chains) for (const r of c.rules) if (r.jump && !targets.has(r.jump.value)) expect(declared.has(r.jump.value), r.raw).toBe(true);
    }
    expect(dump.ruleCount).toBe(lines.filter((l) => l.startsWith("-A ")).length);
    expect(dump.chainCount).toBe(lines.filter((l) => l.startsWith(":")).length);
  });

  it("keeps each chain's rules in kube-proxy's order", () => {
    const svc = lines.filter((l) => l.startsWith("-A KUBE-SVC-"));
    expect(svc[0]).toContain("! -s 10.0.0.0/8 -j KUBE-MARK-MASQ");
    expect(svc[1]).toContain("--probability 0.5000000000");
  });

  it("on a real node, marks with %#08x and masquerades --random-fully", () => {
    expect(dump.text).toContain("-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n");
    expect(dump.text).toContain("-j MASQUERADE --random-fully\n");
    expect(masqueradeMarkFor(0)).toBe("0x00000001");
    const bit20 = kubeProxyIptables(withConfig(fakeState([], []), { iptables: { masqueradeBit: 20, masqueradeAll: false, localhostNodePorts: true } }));
    expect(bit20.text).toContain("-m mark ! --mark 0x00100000/0x00100000 -j RETURN");
  });
});

describe("IPv6 (ip6tables-save form)", () => {
  const v6 = kubeProxyIptables(fakeState([web((s) => (s.type = "NodePort", s.ports = [port({ name: "http", port: 80, nodePort: 30080 })]))], slices), "IPv6");
  it("uses the IPv6 cluster IP, endpoints and pod CIDR, and never localhost NodePorts", () => {
    expect(v6.family).toBe("IPv6");
    expect(v6.text).toContain('-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d fd00:96::10 --dport 80');
    expect(v6.text).toContain("! -s fd00:10::/64 -j KUBE-MARK-MASQ");
    expect(v6.text).toContain("-j DNAT --to-destination [fd00:10:244:1::5]:8080");
    expect(v6.text).toContain("-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS");
    expect(v6.text).not.toContain("10.244.1.5");
    expect(v6.text).not.toContain("127.0.0.0/8");
    expect(v6.text).not.toContain("localhost_nps_accepted_pkts");
  });
});

describe("detect-local modes", () => {
  const base = fakeState([web((s) => (s.type = "LoadBalancer", s.externalTrafficPolicy = "Local", s.loadBalancerIngress = [{ ip: "198.51.100.7", hostname: null, ipMode: "VIP" }]))], slices);
  const masq = (state: ClusterState) => kubeProxyRestoreInput(state).split("\n").filter((l) => l.includes("-j KUBE-MARK-MASQ") && l.startsWith("-A KUBE-SVC-"));
  const podRule = (state: ClusterState) => kubeProxyRestoreInput(state).split("\n").find((l) => l.includes("pod traffic for"));

  it("ClusterCIDR (and the unset mode) match the first CIDR of the family", () => {
    expect(masq(base)[0]).toMatch(/ ! -s 10\.0\.0\.0\/8 -j KUBE-MARK-MASQ$/);
    expect(masq(withConfig(base, { detectLocalMode: "" as "ClusterCIDR" }))[0]).toMatch(/! -s 10\.0\.0\.0\/8/);
  });
  it("no clusterCIDR: no local detection, so no source-based masquerade and no pod short-circuit", () => {
    const none = withConfig(base, { clusterCIDR: "" });
    expect(masq(none)).toEqual([]);
    expect(podRule(none)).toBeUndefined();
  });
  it("NodeCIDR uses the node's podCIDR", () => {
    const state = withConfig({ ...base, nodes: base.nodes.map((n) => ({ ...n, podCIDRs: ["10.244.1.0/24", "fd00:10:244:1::/64"] })) }, { detectLocalMode: "NodeCIDR" });
    expect(masq(state)[0]).toMatch(/! -s 10\.244\.1\.0\/24 -j KUBE-MARK-MASQ$/);
    expect(podRule(state)).toContain(" -s 10.244.1.0/24 -j KUBE-SVC-");
  });
  it("BridgeInterface and InterfaceNamePrefix match the input interface", () => {
    const bridge = withConfig(base, { detectLocalMode: "BridgeInterface", detectLocal: { bridgeInterface: "cbr0", interfaceNamePrefix: "" } });
    expect(masq(bridge)[0]).toMatch(/! -i cbr0 -j KUBE-MARK-MASQ$/);
    expect(podRule(bridge)).toContain(" -i cbr0 -j KUBE-SVC-");
    const prefix = withConfig(base, { detectLocalMode: "InterfaceNamePrefix", detectLocal: { bridgeInterface: "", interfaceNamePrefix: "veth" } });
    expect(masq(prefix)[0]).toMatch(/! -i veth\+ -j KUBE-MARK-MASQ$/);
  });
  it("masqueradeAll masquerades all ClusterIP traffic, whatever the detector", () => {
    const all = withConfig(base, { iptables: { masqueradeBit: 14, masqueradeAll: true, localhostNodePorts: true } });
    expect(masq(all)[0]).toMatch(/--dport 80 -j KUBE-MARK-MASQ$/);
  });
});

describe("nodePortAddresses", () => {
  const np = fakeState([web((s) => (s.type = "NodePort", s.ports = [port({ name: "http", port: 80, nodePort: 30080 })]))], slices);
  const tail = (state: ClusterState) => chainRules(kubeProxyRestoreInput(state), "nat", "KUBE-SERVICES").split("\n").filter((l) => l.includes("KUBE-NODEPORTS"));
  it("a CIDR list jumps per matching local address and turns localhost NodePorts off", () => {
    const state = withConfig(np, { nodePortAddresses: ["192.168.0.0/16"] });
    expect(tail(state)).toEqual(['-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2 -j KUBE-NODEPORTS']);
    expect(chainRules(kubeProxyRestoreInput(state), "filter", "KUBE-FIREWALL")).toBe("");
  });
  it("a list with no CIDR of this family means every address of it (nodeport_addresses.go), not none", () => {
    const onlyV6 = withConfig(np, { nodePortAddresses: ["fd00:1::/64"] });
    expect(tail(onlyV6)).toEqual(['-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS']);
  });
  it('"primary" means the node IP of each family', () => {
    expect(tail(withConfig(np, { nodePortAddresses: ["primary"] }))[0]).toContain(" -d 192.168.0.2 -j KUBE-NODEPORTS");
  });
  it("localhostNodePorts: false excludes 127.0.0.0/8 from the catch-all", () => {
    const off = withConfig(np, { iptables: { masqueradeBit: 14, masqueradeAll: false, localhostNodePorts: false } });
    expect(tail(off)[0]).toContain("-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS");
  });
});

describe("Services kube-proxy does not proxy", () => {
  it("skips headless and ExternalName Services", () => {
    const headless = makeTestService("default", "db", (s) => ((s.clusterIP = "None"), (s.clusterIPs = ["None"]), (s.ipFamilies = ["IPv4"]), (s.ports = [port({ name: "", port: 5432 })])));
    const ext = makeTestService("default", "ext", (s) => ((s.type = "ExternalName"), (s.externalName = "example.com"), (s.ports = [port({ name: "", port: 443 })])));
    const text = kubeProxyRestoreInput(fakeState([headless, ext], []));
    expect(text).not.toContain("default/db");
    expect(text).not.toContain("default/ext");
  });
  it("writes a custom session-affinity timeout", () => {
    const sticky = web((s) => ((s.sessionAffinity = "ClientIP"), (s.sessionAffinityTimeoutSeconds = 600)));
    expect(kubeProxyRestoreInput(fakeState([sticky], slices))).toContain("--rcheck --seconds 600 --reap");
  });
});
