/**
 * The eBPF (Cilium / Dataplane V2) model for IPv6: the lb6 service, backend and reverse-NAT maps
 * built from the IPv6 side of the dual-stack fixture, and the lookup an IPv6 packet makes in them.
 */
import { describe, expect, it } from "vitest";
import { ebpfLookup, ebpfServiceMaps } from "../../../../src/sim/kube/ebpf";
import { loadManifests } from "../../../../src/sim/kube/manifest/index";
import { lbList } from "../../../../src/sim/kube/mode-tables";
import { kubeProxyWalk } from "../../../../src/sim/kube/proxy";
import { fixture } from "../../netfilter/fixtures";

const { state } = loadManifests([{ name: "dual-stack.yaml", text: fixture("dual-stack.yaml") }]);
const maps6 = ebpfServiceMaps(state, "IPv6");
const maps4 = ebpfServiceMaps(state);
const masters6 = maps6.services.filter((e) => e.backendSlot === 0);

describe("the lb6 maps", () => {
  it("hold only IPv6 frontends and backends, the IPv4 maps only IPv4 ones", () => {
    expect(maps6.family).toBe("IPv6");
    expect(masters6.every((m) => m.address.includes(":"))).toBe(true);
    expect(maps6.backends.every((b) => b.address.includes(":"))).toBe(true);
    expect(maps4.services.every((e) => !e.address.includes(":"))).toBe(true);
    expect(masters6.map((m) => m.address)).toContain("fd00:10:96::a");
    expect(maps4.services.map((e) => e.address)).toContain("172.30.0.20");
  });

  it("a NodePort gets the [::] surrogate and one frontend per IPv6 node address; Local policy gets two scopes", () => {
    const np = masters6.filter((m) => m.dport === 30081);
    expect(np.map((m) => `${m.address}/${m.scope}/${m.count}`).sort()).toEqual(["::/external/0", "::/internal/1", "fd00:192:168::2/external/0", "fd00:192:168::2/internal/1"]);
    expect(lbList(maps6)).toContain(`${"[fd00:10:96::a]:80".padEnd(24)}[::]:0 (${masters6.find((m) => m.address === "fd00:10:96::a")!.revNatIndex}) (0) [ClusterIP, Routable]`);
  });
});

describe("an IPv6 packet through the lb6 maps", () => {
  it("random selection picks slot = prandom % count + 1 among bracketed candidates", () => {
    const r = ebpfLookup(maps6, { protocol: "tcp", src: "fd00:10:244::2", srcPort: 40000, dst: "fd00:10:96::a", dstPort: 80 }, { seed: 5 });
    expect(r.candidates).toEqual(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]);
    expect(r.candidates).toContain(r.chosen);
    const step = r.steps.find((s) => s.what === "lb6_select_backend_id_random")!;
    const [, prandom, count, slot] = /= (\d+); slot = \d+ % (\d+) \+ 1 = (\d+)/.exec(step.detail)!.map(Number);
    expect(slot).toBe((prandom! % count!) + 1);
    expect(r.chosen).toBe(r.candidates[slot! - 1]);
    expect(r.steps[0]!.what).toBe("lb6_lookup_service");
  });

  it("a node address on a NodePort falls back to the [::] surrogate", () => {
    const r = ebpfLookup(maps6, { protocol: "tcp", src: "2001:db8::2", srcPort: 40001, dst: "fd00:192:168::2", dstPort: 30080 }, { seed: 1 });
    expect(r.chosen).toBe("[fd00:10:244:1::3]:8080");
  });

  it("socket-LB (a Pod on this node) rewrites connect() in cgroup/connect6", () => {
    const r = ebpfLookup(maps6, { protocol: "tcp", src: "fd00:10:244::2", srcPort: 40002, dst: "fd00:10:96::14", dstPort: 80 }, { seed: 1, socketLb: true });
    expect(r.steps[0]!.detail).toContain("cgroup/connect6 (bpf_sock.c __sock6_xlate_fwd)");
    expect(r.conntrack.find((c) => c.kind === "reverse-sk")?.text).toMatch(/^reverse_sk cookie\(\[fd00:10:244::2\]:40002\) \[fd00:10:244:1::3\]:8080 -> \[fd00:10:96::14\]:80 /);
  });

  it("kube-proxy trace --mode ebpf walks an IPv6 destination through the lb6 maps", () => {
    const w = kubeProxyWalk(state, { src: "2001:db8::2", dst: "[fd00:10:96::a]:80", protocol: "tcp", seed: 2, mode: "ebpf" });
    expect(w.verdict).toBe("DNAT");
    expect(w.candidates).toEqual(["[fd00:10:244:1::1]:8080", "[fd00:10:244:1::2]:8080"]);
    expect(w.packetOut).toMatchObject({ src: "2001:db8::2", dstPort: 8080 });
    expect(w.packetOut!.dst).toBe(w.chosen!.slice(1, w.chosen!.lastIndexOf("]")));
  });

  it("an IPv6 address that is no frontend is left alone", () => {
    const w = kubeProxyWalk(state, { src: "fd00:10:244::2", dst: "[fd00:10:244:1::9]:80", protocol: "tcp", seed: 0, mode: "ebpf" });
    expect(w).toMatchObject({ verdict: "NONE", candidates: [], chosen: null });
  });
});
