import { describe, expect, it } from "vitest";
import { KUBE_SCENARIOS, runKubeScenario } from "../../../../src/sim/kube/index";
import type { PacketUnit } from "../../../../src/sim/net/packet-unit";

const all = KUBE_SCENARIOS.flatMap((s) => Object.keys(s.presets).flatMap((preset) => [0, 1, 7, 42].map((seed) => ({ id: s.id, preset, seed }))));
const flow = (p: PacketUnit | null) => (p ? `${p.protocol} ${p.src}:${p.srcPort} > ${p.dst}:${p.dstPort}` : null);

describe.each(all)("$id ($preset, seed $seed)", ({ id, preset, seed }) => {
  const trace = runKubeScenario(id, preset, seed);

  it("is deterministic", () => {
    expect(JSON.stringify(runKubeScenario(id, preset, seed))).toBe(JSON.stringify(trace));
  });

  it("points every rule sub-step at the table row holding that very rule", () => {
    for (const step of trace.steps) {
      for (const sub of step.sub) {
        if (!sub.ref) continue;
        const table = trace.tables.find((t) => t.id === sub.ref!.table);
        expect(table, `${step.id}: table ${sub.ref.table}`).toBeDefined();
        expect(step.tables).toContain(sub.ref.table);
        if (sub.kind === "rule" || sub.kind === "draw") expect(table!.rows[sub.ref.row!]).toBe(sub.label);
      }
    }
  });

  it("hands each packet on unchanged between steps, until a node translates it", () => {
    const path = trace.steps.filter((s) => s.stage !== "dns");
    for (let i = 1; i < path.length; i++) {
      const before = path[i - 1]!;
      const step = path[i]!;
      if (before.out && step.in) expect(flow(step.in), `${before.id} → ${step.id}`).toBe(flow(before.out));
    }
  });

  if (trace.outcome.status === "delivered") {
    it("delivers the reply to the client from the address it sent to", () => {
      const sent = trace.steps.find((s) => s.id === "client")!.out!;
      const back = trace.steps.find((s) => s.id === "client-receives")!.in!;
      expect(flow(back)).toBe(flow({ ...sent, src: sent.dst, srcPort: sent.dstPort, dst: sent.src, dstPort: sent.srcPort }));
    });

    it("shows the server the client's address unless the packet was masqueraded", () => {
      const sent = trace.steps.find((s) => s.id === "client")!.out!;
      const seen = trace.steps.find((s) => s.id === "server")!.in!;
      const masqueraded = trace.steps.some((s) => s.sub.some((x) => x.kind === "masquerade"));
      if (masqueraded) expect(seen.src).not.toBe(sent.src);
      else expect(seen.src).toBe(sent.src);
    });
  }
});

describe("what the journeys teach", () => {
  it("a ClusterIP is translated on the client's own node, and the reply un-NATed there", () => {
    const t = runKubeScenario("clusterip-from-pod", "default", 0);
    const entry = t.steps.find((s) => s.id === "netfilter-node-a")!;
    expect(entry.in!.dst).toBe("10.96.120.15");
    expect(entry.out!.dst).not.toBe("10.96.120.15");
    expect(t.steps.find((s) => s.id === "reply-node-a")!.out!.src).toBe("10.96.120.15");
  });

  it("externalTrafficPolicy Local keeps the client's address, and drops on a node without an endpoint", () => {
    const ok = runKubeScenario("loadbalancer-local", "default", 0);
    expect(ok.outcome.status).toBe("delivered");
    expect(ok.steps.find((s) => s.id === "server")!.in!.src).toBe("198.51.100.7");
    const dropped = runKubeScenario("loadbalancer-local", "node-without-endpoint", 0);
    expect(dropped.outcome.status).toBe("DROP");
    expect(dropped.steps.some((s) => s.id === "server")).toBe(false);
  });

  it("a NEG sends straight to the Pod; instance groups add a NodePort DNAT and, across nodes, a masquerade and a hop", () => {
    let crossed = 0;
    for (let seed = 0; seed < 8; seed++) {
      const neg = runKubeScenario("gke-ingress", "default", seed);
      expect(neg.steps.flatMap((s) => s.sub).some((x) => x.kind === "dnat")).toBe(false);
      const ig = runKubeScenario("gke-ingress", "instance-groups", seed);
      expect(ig.steps.flatMap((s) => s.sub).some((x) => x.kind === "dnat")).toBe(true);
      expect(ig.steps.flatMap((s) => s.sub).some((x) => x.kind === "masquerade")).toBe(true);
      if (ig.steps.some((s) => s.id === "vpc")) {
        crossed++;
        expect(ig.steps.length).toBeGreaterThan(neg.steps.length);
      }
    }
    expect(crossed, "some seeds send the instance-group request to a node without the chosen Pod").toBeGreaterThan(0);
  });
});

describe("wrong models", () => {
  it("without conntrack the reply keeps the Pod's address and the client resets it", () => {
    const real = runKubeScenario("clusterip-from-pod", "default", 3);
    const wrong = runKubeScenario("clusterip-from-pod", "default", 3, "no-conntrack");
    expect(wrong.model).toBe("no-conntrack");
    expect(real.outcome.status).toBe("delivered");
    expect(wrong.outcome).toMatchObject({ status: "reset", at: "client-receives" });
    const chosen = real.steps.find((s) => s.id === "server")!.in!.dst;
    expect(wrong.steps.find((s) => s.id === "client-receives")!.in!.src).toBe(chosen);
    // Everything before the reply is the same: the misconception is only about the way back.
    const forward = (t: typeof real) => JSON.stringify(t.steps.filter((s) => s.stage !== "reply"));
    expect(forward(wrong)).toBe(forward(real));
  });

  it("rejects an unknown model by name", () => {
    expect(() => runKubeScenario("clusterip-from-pod", "default", 0, "telepathy")).toThrow(/no such model; there is no-conntrack/);
  });
});

describe("the three dataplanes agree on who may answer", () => {
  it.each([
    ["clusterip-from-pod", "default"],
    ["nodeport-from-outside", "default"],
    ["nodeport-from-outside", "other-node"],
    ["loadbalancer-local", "default"],
  ])("%s (%s): IPVS real servers and eBPF backend slots are the iptables walk's candidates", async (id, preset) => {
    const { ipvsLookup, kubeProxyIpvs } = await import("../../../../src/sim/kube/ipvs/index");
    const { ebpfLookup, ebpfServiceMaps } = await import("../../../../src/sim/kube/ebpf/index");
    const { kubeProxyWalk } = await import("../../../../src/sim/kube/index");
    const { loadManifests } = await import("../../../../src/sim/kube/manifest/index");
    const trace = runKubeScenario(id, preset, 0);
    const entry = trace.steps.find((s) => s.stage === "entry-node")!;
    const input = trace.input as { yaml: string };
    const state = { ...loadManifests([{ name: "m.yaml", text: input.yaml }]).state, nodeName: entry.node.id.replace(/^node-/, "") };
    const packet = { protocol: entry.in!.protocol, src: entry.in!.src, srcPort: entry.in!.srcPort, dst: entry.in!.dst, dstPort: entry.in!.dstPort };
    const walk = kubeProxyWalk(state, { ...packet, dst: `${packet.dst}:${packet.dstPort}`, seed: 0, mode: "iptables" });
    const sorted = (xs: readonly string[]) => [...xs].sort();
    expect(walk.candidates.length).toBeGreaterThan(0);
    expect(sorted(ipvsLookup(kubeProxyIpvs(state), packet, { seed: 0 }).candidates)).toEqual(sorted(walk.candidates));
    expect(sorted(ebpfLookup(ebpfServiceMaps(state), packet, { seed: 0 }).candidates)).toEqual(sorted(walk.candidates));
  });
});
