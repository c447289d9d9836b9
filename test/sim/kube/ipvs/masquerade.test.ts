/**
 * IPVS mode's masquerade. kube-proxy's iptables rules only *mark* a packet (KUBE-MARK-MASQ in nat
 * PREROUTING); IPVS rewrites the destination in LOCAL_IN and sends the packet on through LOCAL_OUT and
 * POSTROUTING, where KUBE-POSTROUTING masquerades what carries the mark. The walk must follow the
 * packet that far: `masquerade`, `packetOut.src` and the conntrack entry say what the kernel does.
 */
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadManifests } from "../../../../src/sim/kube/manifest/index";
import { clusterIpDeploymentManifest, nodePortLoadBalancerManifest } from "../../../../src/sim/kube/manifest/examples/index";
import { kubeProxyWalk, type PacketTarget } from "../../../../src/sim/kube/proxy";

const stateOf = (text: string) => loadManifests([{ name: "manifests.yaml", text }]).state;
const walk = (text: string, target: Omit<PacketTarget, "mode" | "protocol" | "seed"> & { seed?: number }) =>
  kubeProxyWalk(stateOf(text), { protocol: "tcp", seed: 0, mode: "ipvs", ...target });

/** A NodePort Service with externalTrafficPolicy Local and its one endpoint on node-a, where kube-proxy runs. */
const localNodePort = `apiVersion: v1
kind: Service
metadata: { name: api, namespace: default }
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: { app: api }
  ports: [{ name: http, protocol: TCP, port: 8080, targetPort: 8080, nodePort: 30080 }]
---
apiVersion: v1
kind: Pod
metadata: { name: api-1, namespace: default, labels: { app: api } }
spec: { nodeName: node-a, containers: [{ name: api, image: api, ports: [{ containerPort: 8080 }] }] }
status: { phase: Running, podIPs: [{ ip: 10.244.1.20 }], conditions: [{ type: Ready, status: "True" }] }
---
apiVersion: v1
kind: Node
metadata: { name: node-a }
spec: { podCIDRs: [10.244.1.0/24] }
status: { addresses: [{ type: InternalIP, address: 10.0.1.11 }] }
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
clusterCIDR: 10.244.0.0/16
hostnameOverride: node-a
`;

describe("IPVS mode: the mark KUBE-MARK-MASQ sets becomes a masquerade in POSTROUTING", () => {
  it("masquerades NodePort traffic from outside under externalTrafficPolicy Cluster: the source becomes the node's address", () => {
    for (const seed of [0, 1, 2, 3]) {
      const w = walk(nodePortLoadBalancerManifest, { src: "198.51.100.7", dst: "10.0.1.11:30080", seed });
      expect(w.verdict).toBe("DNAT");
      expect(w.masquerade).toBe(true);
      expect(w.packetOut!.src).toBe("10.0.1.11");
      expect(`${w.packetOut!.dst}:${w.packetOut!.dstPort}`).toBe(w.chosen);
      // conntrack keeps the client's tuple as the original and expects the reply from the Pod to the node.
      expect(w.conntrack).toMatch(new RegExp(`^tcp +6 120 SYN_SENT src=198\\.51\\.100\\.7 dst=10\\.0\\.1\\.11 sport=\\d+ dport=30080 \\[UNREPLIED\\] src=${w.packetOut!.dst.replace(/\./g, "\\.")} dst=10\\.0\\.1\\.11 sport=8080 dport=${w.packetOut!.srcPort} `));
      // The masquerade is KUBE-POSTROUTING's rule, after IPVS chose the real server.
      const masq = w.steps.findIndex((s) => s.kind === "target" && s.target.startsWith("MASQUERADE"));
      expect(masq).toBeGreaterThan(0);
      expect(w.steps[masq]).toMatchObject({ table: "nat", chain: "KUBE-POSTROUTING" });
      expect(w.stepText.findIndex((t) => t.startsWith("IPVS ip_vs_nat_xmit"))).toBeLessThan(w.stepText.findIndex((t) => t.includes("MASQUERADE: source")));
    }
  });

  it("shows KUBE-POSTROUTING clearing the mark it found, with the real mark values", () => {
    const w = walk(nodePortLoadBalancerManifest, { src: "198.51.100.7", dst: "10.0.1.11:30080" });
    const marks = w.steps.filter((s) => s.kind === "target" && s.target.startsWith("MARK")).map((s) => (s.kind === "target" ? `${s.chain}: ${s.detail}` : ""));
    expect(marks).toEqual(["KUBE-MARK-MASQ: mark 0x0 → 0x4000", "KUBE-POSTROUTING: mark 0x4000 → 0x0"]);
    const returnRule = w.steps.find((s) => s.kind === "rule" && s.chain === "KUBE-POSTROUTING" && s.text.includes("! --mark 0x4000/0x4000"));
    expect(returnRule).toMatchObject({ matched: false });
  });

  it("keeps the client's address under externalTrafficPolicy Local", () => {
    const w = walk(localNodePort, { src: "198.51.100.7", dst: "10.0.1.11:30080" });
    expect(w.verdict).toBe("DNAT");
    expect(w.chosen).toBe("10.244.1.20:8080");
    expect(w.masquerade).toBe(false);
    expect(w.packetOut).toMatchObject({ src: "198.51.100.7", dst: "10.244.1.20", dstPort: 8080 });
    const returnRule = w.steps.find((s) => s.kind === "rule" && s.chain === "KUBE-POSTROUTING" && s.text.includes("! --mark 0x4000/0x4000"));
    expect(returnRule).toMatchObject({ matched: true });
  });

  it("leaves a Pod's call to a ClusterIP unmasqueraded, and masquerades one from outside the cluster CIDR", () => {
    // clusterCIDR 10.244.0.0/16: KUBE-SERVICES marks ClusterIP traffic from any other source.
    const fromPod = walk(clusterIpDeploymentManifest, { src: "10.244.1.50", dst: "10.96.120.15:80" });
    expect(fromPod.chosen).not.toBeNull();
    expect(fromPod.masquerade).toBe(false);
    expect(fromPod.packetOut!.src).toBe("10.244.1.50");
    const fromOutside = walk(clusterIpDeploymentManifest, { src: "192.0.2.99", dst: "10.96.120.15:80" });
    expect(fromOutside.chosen).toBe(fromPod.chosen);
    expect(fromOutside.masquerade).toBe(true);
    expect(fromOutside.packetOut!.src).toBe("10.0.1.11");
  });

  it("masquerades an IPv6 NodePort packet to the node's IPv6 address", () => {
    const dualStack = readFileSync(fileURLToPath(new URL("../../netfilter/fixtures/dual-stack.yaml", import.meta.url)), "utf8");
    const w = walk(dualStack, { src: "2001:db8::2", dst: "[fd00:192:168::2]:30080" });
    expect(w.chosen).toBe("[fd00:10:244:1::3]:8080");
    expect(w.masquerade).toBe(true);
    expect(w.packetOut).toMatchObject({ src: "fd00:192:168::2", dst: "fd00:10:244:1::3", dstPort: 8080 });
  });
});
