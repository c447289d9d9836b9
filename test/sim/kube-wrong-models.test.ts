import { describe, expect, it } from "vitest";
import { JOURNEY_MODELS, KUBE_SCENARIOS, runKubeScenario } from "../../src/sim/kube/index";
import type { PacketUnit } from "../../src/sim/net/packet-unit";

const flow = (p: PacketUnit | null | undefined) => (p ? `${p.protocol} ${p.src}:${p.srcPort} > ${p.dst}:${p.dstPort}` : null);
const step = (t: ReturnType<typeof runKubeScenario>, id: string) => t.steps.find((s) => s.id === id);

describe("wrong model nodeport-keeps-client", () => {
  it("is a named model every in-cluster scenario offers", () => {
    expect(Object.keys(JOURNEY_MODELS)).toContain("nodeport-keeps-client");
    for (const s of KUBE_SCENARIOS) expect(Object.keys(s.models ?? {})).toContain("nodeport-keeps-client");
  });

  it("a NodePort packet to a Pod on another node keeps the client's address, and the reply bypasses the node that did the DNAT", () => {
    let crossed = 0;
    for (let seed = 0; seed < 12; seed++) {
      const real = runKubeScenario("nodeport-from-outside", "other-node", seed);
      const wrong = runKubeScenario("nodeport-from-outside", "other-node", seed, "nodeport-keeps-client");
      expect(wrong.model).toBe("nodeport-keeps-client");
      const client = step(real, "client")!.out!;
      // The forward path is the real one up to the source address: same DNAT, same endpoint.
      expect(step(wrong, "netfilter-node-b")!.out!.dst).toBe(step(real, "netfilter-node-b")!.out!.dst);
      expect(step(real, "server")!.in!.src).toBe("10.0.1.12");
      expect(step(wrong, "server")!.in!.src).toBe(client.src);
      expect(step(wrong, "netfilter-node-b")!.sub.some((x) => x.kind === "masquerade")).toBe(false);
      // The table shows the rule the model leaves out, commented, at its own row.
      const table = wrong.tables.find((t) => t.id === "iptables@node-b")!;
      expect(table.rows.some((r) => r.startsWith("# -A KUBE-EXT-") && r.includes("masquerade traffic for default/api:http external destinations"))).toBe(true);
      expect(real.tables.find((t) => t.id === "iptables@node-b")!.rows.some((r) => r.startsWith("# -A"))).toBe(false);
      if (step(wrong, "vpc")) {
        crossed++;
        expect(step(wrong, "reply-node-b")).toBeUndefined();
        expect(step(wrong, "reply-route")).toBeDefined();
        const back = step(wrong, "client-receives")!.in!;
        expect(back.src).toBe(step(wrong, "server")!.in!.dst);
        expect(wrong.outcome).toMatchObject({ status: "reset", at: "client-receives" });
        expect(real.outcome.status).toBe("delivered");
      } else {
        // Same node: the reply does pass the DNAT's conntrack entry, so the connection works (as under Local).
        expect(wrong.outcome.status).toBe("delivered");
      }
    }
    expect(crossed, "some seeds choose the Pod on node-a").toBeGreaterThan(0);
  });

  it("with instance-group backends the GFE gets a reply from a Pod address it never connected to", () => {
    let crossed = 0;
    for (let seed = 0; seed < 12; seed++) {
      const wrong = runKubeScenario("gke-ingress", "instance-groups", seed, "nodeport-keeps-client");
      expect(step(wrong, "server")!.in!.src).toBe("35.191.8.23");
      if (step(wrong, "vpc")) {
        crossed++;
        expect(wrong.outcome.status).toBe("reset");
        expect(flow(step(wrong, "client-receives")!.in)).toBe(flow(step(wrong, "server")!.out));
      }
    }
    expect(crossed).toBeGreaterThan(0);
  });

  it("changes nothing where kube-proxy never masquerades outside traffic", () => {
    for (const [id, preset] of [["clusterip-from-pod", "default"], ["loadbalancer-local", "default"], ["gke-ingress", "default"]] as const) {
      for (const seed of [0, 5]) {
        const real = runKubeScenario(id, preset, seed);
        const wrong = runKubeScenario(id, preset, seed, "nodeport-keeps-client");
        const strip = (t: typeof real) => JSON.stringify(t.steps.map((s) => ({ id: s.id, in: flow(s.in), out: flow(s.out) })));
        expect(strip(wrong), `${id} ${preset} ${seed}`).toBe(strip(real));
        expect(wrong.outcome.status).toBe(real.outcome.status);
      }
    }
  });

  it("rejects an unknown model, naming both", () => {
    expect(() => runKubeScenario("nodeport-from-outside", "default", 0, "telepathy")).toThrow(/no-conntrack, nodeport-keeps-client/);
  });
});

describe("the real reply route", () => {
  it("brings a reply to an unlisted Pod back through that Pod's node, found by the node's Pod range", async () => {
    const { kubeProxyPaste } = await import("../../src/sim/kube/index");
    const { EXAMPLE_FIELDS } = await import("../../src/machines/manifest-lab.machine");
    // 10.4.1.7 is in node-a's podCIDR (10.4.1.0/24) but no Pod lists it; seed 5 draws the endpoint on node-b.
    const { trace } = kubeProxyPaste(EXAMPLE_FIELDS.yaml, { src: "10.4.1.7", dst: "10.96.0.15:80", protocol: "tcp" }, 5);
    const ids = trace.steps.map((s) => s.id);
    expect(ids).toContain("reply-node-a");
    expect(ids).not.toContain("reply-route");
    expect(trace.outcome.status).toBe("delivered");
  });
});
