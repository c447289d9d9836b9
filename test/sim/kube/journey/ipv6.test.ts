/**
 * In-cluster journeys over IPv6, in the dual-stack cluster of the `ipv6` presets: the packet meets
 * each node's ip6tables rules (the IPv6 proxier's), conntrack keeps IPv6 tuples, the node routes a
 * local Pod's /128 to its veth, masquerade takes the node's IPv6 address, and the reply is
 * un-NATed back to the address the client called. The wrong models apply to IPv6 as they do to IPv4.
 */
import { describe, expect, it } from "vitest";
import { dualStackManifest } from "../../../../src/sim/kube/manifest/examples/index";
import { loadManifests } from "../../../../src/sim/kube/manifest/index";
import { nodeHost } from "../../../../src/sim/kube/node-host";
import { getKubeScenario, runKubeScenario } from "../../../../src/sim/kube/index";
import { parseScenarioInput } from "../../../../src/sim/core/scenario";
import type { PacketUnit } from "../../../../src/sim/net/packet-unit";

const SEEDS = [0, 1, 2, 5, 9];
const state = loadManifests([{ name: "dual-stack.yaml", text: dualStackManifest }]).state;
const stepOf = (trace: ReturnType<typeof runKubeScenario>, id: string) => {
  const step = trace.steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id}: ${trace.steps.map((s) => s.id).join(", ")}`);
  return step;
};
const v6 = (p: PacketUnit | null) => p !== null && p.src.includes(":") && p.dst.includes(":");

describe("clusterip-from-pod, preset ipv6", () => {
  it.each(SEEDS)("seed %i: DNAT by node-a's ip6tables rules to an IPv6 endpoint, the reply un-NATed to the ClusterIP", (seed) => {
    const t = runKubeScenario("clusterip-from-pod", "ipv6", seed);
    expect(t.outcome.status).toBe("delivered");
    const sent = stepOf(t, "client").out!;
    expect(sent).toMatchObject({ src: "fd00:10:244:1::32", dst: "fd00:10:96::780f", dstPort: 80 });
    for (const step of t.steps) for (const unit of [step.in, step.out]) if (unit) expect(v6(unit), step.id).toBe(true);
    const entry = stepOf(t, "netfilter-node-a");
    const rules = t.tables.find((x) => x.id === "iptables@node-a")!;
    expect(rules.title).toBe("ip6tables-save on node-a");
    expect(rules.rows).toContain('-A KUBE-SERVICES -d fd00:10:96::780f/128 -p tcp -m comment --comment "shop/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-67NZLRHBNDSAWJRO');
    expect(rules.rows.some((r) => r.includes("10.96.120.15")), "the IPv4 cluster IP is the other proxier's").toBe(false);
    // The chosen endpoint is one of web's ready IPv6 addresses, never the Pod that is not Ready.
    const out = entry.out!;
    expect(["fd00:10:244:1::c", "fd00:10:244:2::7"]).toContain(out.dst);
    expect(out).toMatchObject({ src: "fd00:10:244:1::32", dstPort: 8080 });
    // conntrack -L with IPv6 tuples: the original to the ClusterIP, the reply from the endpoint.
    const ct = t.tables.find((x) => x.id === "conntrack@node-a")!.rows[0]!;
    expect(ct).toMatch(new RegExp(`^tcp +6 120 SYN_SENT src=fd00:10:244:1::32 dst=fd00:10:96::780f sport=${sent.srcPort} dport=80 \\[UNREPLIED\\] src=${out.dst} dst=fd00:10:244:1::32 sport=8080 dport=${sent.srcPort} `));
    // The DNS answer is an AAAA record.
    expect(stepOf(t, "dns").events[0]!.text).toMatch(/^web\.shop\.svc\.cluster\.local → AAAA fd00:10:96::780f:/);
    // The reply leaves node-a from the address the client called.
    expect(stepOf(t, "reply-node-a").out).toMatchObject({ src: "fd00:10:96::780f", srcPort: 80, dst: "fd00:10:244:1::32", dstPort: sent.srcPort });
    expect(stepOf(t, "client-receives").events[0]!.text).toContain("[fd00:10:96::780f]:80 answered");
  });

  it("routes a Pod on the same node by its /128 to the Pod's veth, and one on the other node out of eth0 across the VPC", () => {
    const veths = new Map(nodeHost(state, "node-a").localPods.map(({ pod, veth }) => [pod.metadata.name, veth]));
    const routes = nodeHost(state, "node-a").routes.map((r) => `${r.dst} dev ${r.dev}`);
    expect(routes).toContain(`fd00:10:244:1::c/128 dev ${veths.get("web-7c9d8f6b5d-4xk2p")}`);
    expect(routes).toContain("::/0 dev eth0");
    const seen = new Set<string>();
    for (let seed = 0; seed < 16 && seen.size < 2; seed++) {
      const t = runKubeScenario("clusterip-from-pod", "ipv6", seed);
      const entry = stepOf(t, "netfilter-node-a");
      const route = entry.sub.find((s) => s.kind === "route")!;
      if (entry.out!.dst === "fd00:10:244:1::c") {
        seen.add("local");
        expect(route.label).toBe("route to fd00:10:244:1::c");
        expect(entry.out!.iface).toBe(veths.get("web-7c9d8f6b5d-4xk2p"));
        expect(t.steps.some((s) => s.id === "vpc")).toBe(false);
      } else {
        seen.add("remote");
        expect(entry.out!.iface).toBe("eth0");
        expect(stepOf(t, "vpc").events[0]!.text).toContain("from fd00:10:0:1::11 to fd00:10:0:1::12");
        // node-b forwards it to its own Pod's veth, its rules being node-b's ip6tables rules.
        expect(t.tables.find((x) => x.id === "iptables@node-b")!.title).toBe("ip6tables-save on node-b");
        expect(stepOf(t, "netfilter-node-b").out!.iface).toMatch(/^gke[0-9a-f]{11}$/);
      }
    }
    expect([...seen].sort()).toEqual(["local", "remote"]);
  });
});

describe("nodeport-from-outside, preset ipv6", () => {
  it.each(SEEDS)("seed %i: DNAT and masquerade to node-b's IPv6 address; the reply comes back through node-b", (seed) => {
    const t = runKubeScenario("nodeport-from-outside", "ipv6", seed);
    expect(t.outcome.status).toBe("delivered");
    const sent = stepOf(t, "client").out!;
    expect(sent).toMatchObject({ src: "2001:db8:100::7", dst: "fd00:10:0:1::12", dstPort: 30080 });
    const entry = stepOf(t, "netfilter-node-b");
    expect(entry.sub.some((s) => s.kind === "masquerade")).toBe(true);
    expect(entry.out!.src).toBe("fd00:10:0:1::12");
    expect(["fd00:10:244:1::14", "fd00:10:244:2::1f"]).toContain(entry.out!.dst);
    expect(stepOf(t, "server").in!.src).toBe("fd00:10:0:1::12");
    const back = stepOf(t, "reply-node-b").out!;
    expect(back).toMatchObject({ src: "fd00:10:0:1::12", srcPort: 30080, dst: "2001:db8:100::7", dstPort: sent.srcPort });
  });
});

describe("wrong models on IPv6 traces", () => {
  it("no-conntrack: the reply keeps the Pod's IPv6 address and the client resets it", () => {
    for (const [id, seed] of [["clusterip-from-pod", 3], ["nodeport-from-outside", 4]] as const) {
      const real = runKubeScenario(id, "ipv6", seed);
      const wrong = runKubeScenario(id, "ipv6", seed, "no-conntrack");
      expect(wrong.outcome).toMatchObject({ status: "reset", at: "client-receives" });
      const chosen = real.steps.find((s) => s.id === "server")!.in!.dst;
      expect(wrong.steps.find((s) => s.id === "client-receives")!.in!.src, id).toBe(chosen);
      expect(stepOf(wrong, "client-receives").events[0]!.text).toContain(`[${chosen}]:`);
    }
  });

  it("nodeport-keeps-client: the ip6tables rule that marks external traffic is commented out, and a reply from another node bypasses node-b", () => {
    let bypassed = 0;
    for (const seed of SEEDS) {
      const wrong = runKubeScenario("nodeport-from-outside", "ipv6", seed, "nodeport-keeps-client");
      const rules = wrong.tables.find((x) => x.id === "iptables@node-b")!;
      expect(rules.title).toBe("ip6tables-save on node-b, as the wrong model imagines it");
      expect(rules.rows.some((r) => r.startsWith('# -A KUBE-EXT-') && r.includes("masquerade traffic for default/api:http external destinations"))).toBe(true);
      const entry = stepOf(wrong, "netfilter-node-b");
      expect(entry.sub.some((s) => s.kind === "masquerade")).toBe(false);
      expect(stepOf(wrong, "server").in!.src).toBe("2001:db8:100::7");
      if (wrong.steps.some((s) => s.id === "reply-route")) {
        bypassed++;
        expect(wrong.outcome.status).toBe("reset");
      }
    }
    expect(bypassed).toBeGreaterThan(0);
  });
});

describe("one connection, one family", () => {
  it("refuses a client and a destination of different families, naming the destination", () => {
    const input = parseScenarioInput(getKubeScenario("clusterip-from-pod"), {
      ...getKubeScenario("clusterip-from-pod").presets["ipv6"],
      to: "10.96.120.15:80",
    });
    expect(() => runKubeScenario("clusterip-from-pod", input, 0)).toThrow(/10\.96\.120\.15: the client fd00:10:244:1::32 is IPv6 and the destination IPv4/);
  });

  it("canonicalises the client's IPv6 address, so the reply still matches its socket", () => {
    const preset = getKubeScenario("clusterip-from-pod").presets["ipv6"]!;
    const t = runKubeScenario("clusterip-from-pod", { ...preset, from: { ...preset.from, ip: "FD00:10:244:1:0:0:0:32" } }, 0);
    expect(t.outcome.status).toBe("delivered");
    expect(stepOf(t, "client").out!.src).toBe("fd00:10:244:1::32");
  });

  it("the dual-stack manifest's IPv4 side still journeys over IPv4", () => {
    const preset = getKubeScenario("clusterip-from-pod").presets["ipv6"]!;
    const t = runKubeScenario("clusterip-from-pod", { ...preset, from: { ...preset.from, ip: "10.244.1.50" }, to: "10.96.120.15:80" }, 0);
    expect(t.outcome.status).toBe("delivered");
    expect(t.tables.find((x) => x.id === "iptables@node-a")!.title).toBe("iptables-save on node-a");
    expect(["10.244.1.12", "10.244.2.7"]).toContain(stepOf(t, "server").in!.dst);
  });
});
