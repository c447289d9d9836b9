/**
 * The rules *our generator* writes, refereed by the real kernel: every ruleset the model produces for
 * the course's manifests and for synthetic clusters must load with iptables-restore, and for a
 * cluster laid out like the namespace node (test/kernel/netns-runner.mjs: node 192.168.0.2, a Pod
 * 10.0.0.2 behind cbr0, external clients 203.0.113.2 and .130) each probe's per-rule counters and
 * conntrack entry must equal the walker's — the same comparison as kube-proxy-kernel.test.ts, on
 * generated rules instead of kube-proxy's published dumps.
 */
import { describe, expect, it } from "vitest";
import { kubeProxyIptables } from "../../src/sim/kube/iptables/index";
import { asKernelSaves } from "../../src/sim/kube/iptables/kernel-form";
import { clusterIpDeploymentManifest, externalDatabaseManifest, fiveTypesManifest, nodePortLoadBalancerManifest } from "../../src/sim/kube/manifest/examples/index";
import { loadManifests } from "../../src/sim/kube/manifest/index";
import { syntheticCluster } from "../../src/sim/kube/synthetic";
import { parseIptablesSave, walkPacket, type Walk } from "../../src/sim/netfilter";
import { fakeProxierNode } from "../sim/netfilter/fixtures";
import { expectKernelAgrees, kernelUnavailable, runInNamespace, seedMatchingKernel, type KernelProbe } from "./netns";

const skip = process.env.SKIP_KERNEL_TESTS === "1";
const unavailable = skip ? null : kernelUnavailable();

const NAMESPACE_NODE = `apiVersion: v1
kind: Node
metadata:
  name: node-a
status:
  addresses:
  - type: InternalIP
    address: 192.168.0.2
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clusterCIDR: 10.0.0.0/8
hostnameOverride: node-a
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  clusterIP: 172.30.0.10
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: web-1, namespace: shop, labels: { kubernetes.io/service-name: web } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
- { addresses: [10.180.0.1], nodeName: node-b }
- { addresses: [10.180.0.2], nodeName: node-b }
---
apiVersion: v1
kind: Service
metadata: { name: empty, namespace: shop }
spec:
  clusterIP: 172.30.0.12
  selector: { app: nothing }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  type: NodePort
  clusterIP: 172.30.0.11
  selector: { app: api }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30080 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: api-1, namespace: shop, labels: { kubernetes.io/service-name: api } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
- { addresses: [10.180.0.3], nodeName: node-b }
---
apiVersion: v1
kind: Service
metadata: { name: lb, namespace: shop }
spec:
  type: LoadBalancer
  clusterIP: 172.30.0.13
  externalTrafficPolicy: Local
  loadBalancerSourceRanges: [203.0.113.0/25]
  selector: { app: lb }
  ports: [{ name: http, port: 80, targetPort: 8080, nodePort: 30081 }]
status:
  loadBalancer:
    ingress: [{ ip: 5.6.7.8 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: lb-1, namespace: shop, labels: { kubernetes.io/service-name: lb } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
- { addresses: [10.180.0.4], nodeName: node-b }
`;

/** Session affinity (xt_recent), internalTrafficPolicy Local, externalIPs, a UDP port: more of the rule vocabulary. */
const MORE_RULES = `apiVersion: v1
kind: Node
metadata: { name: node-a }
status: { addresses: [{ type: InternalIP, address: 192.168.0.2 }] }
---
apiVersion: v1
kind: Service
metadata: { name: sticky, namespace: shop }
spec:
  clusterIP: 172.30.0.20
  sessionAffinity: ClientIP
  sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 } }
  externalIPs: [192.0.2.50]
  selector: { app: sticky }
  ports: [{ name: http, port: 80, targetPort: 8080 }, { name: dns, port: 53, protocol: UDP, targetPort: 53 }]
---
apiVersion: v1
kind: Service
metadata: { name: local, namespace: shop }
spec:
  clusterIP: 172.30.0.21
  internalTrafficPolicy: Local
  selector: { app: local }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: sticky-1, namespace: shop, labels: { kubernetes.io/service-name: sticky } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }, { name: dns, port: 53, protocol: UDP }]
endpoints:
- { addresses: [10.180.0.1], nodeName: node-a }
- { addresses: [10.180.0.2], nodeName: node-b }
- { addresses: [10.180.0.3], nodeName: node-b, conditions: { ready: false, serving: true, terminating: true } }
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: local-1, namespace: shop, labels: { kubernetes.io/service-name: local } }
addressType: IPv4
ports: [{ name: http, port: 8080, protocol: TCP }]
endpoints:
- { addresses: [10.180.0.7], nodeName: node-b }
`;

interface Case {
  name: string;
  probe: KernelProbe;
  statistic?: boolean;
}

const cases: Case[] = [
  { name: "Pod to a ClusterIP with two endpoints (statistic draw, DNAT)", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 41001, dst: "172.30.0.10", dstPort: 80 }, statistic: true },
  { name: "Pod to a Service with no endpoints (REJECT)", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 41002, dst: "172.30.0.12", dstPort: 80 } },
  { name: "external client to a NodePort (DNAT and masquerade)", probe: { from: "ext", protocol: "tcp", src: "203.0.113.2", srcPort: 41003, dst: "192.168.0.2", dstPort: 30080 } },
  { name: "client outside loadBalancerSourceRanges (DROP in KUBE-PROXY-FIREWALL)", probe: { from: "ext", protocol: "tcp", src: "203.0.113.130", srcPort: 41004, dst: "5.6.7.8", dstPort: 80 } },
  { name: "allowed client, Local policy, no endpoint on this node (DROP)", probe: { from: "ext", protocol: "tcp", src: "203.0.113.2", srcPort: 41005, dst: "5.6.7.8", dstPort: 80 } },
  { name: "the node itself to a ClusterIP (OUTPUT, masquerade mark from outside clusterCIDR)", probe: { from: "node", protocol: "tcp", src: "192.168.0.2", srcPort: 41006, dst: "172.30.0.11", dstPort: 80 } },
  { name: "Pod to a Pod address (no Service rule matches)", probe: { from: "pod", protocol: "tcp", src: "10.0.0.2", srcPort: 41007, dst: "10.180.0.9", dstPort: 80 } },
  { name: "UDP to a port no Service has", probe: { from: "pod", protocol: "udp", src: "10.0.0.2", srcPort: 41008, dst: "172.30.0.10", dstPort: 53 } },
];

function walkFor(text: string, probe: KernelProbe, seed: number): Walk {
  return walkPacket(parseIptablesSave(text), { protocol: probe.protocol, src: probe.src, srcPort: probe.srcPort, dst: probe.dst, dstPort: probe.dstPort }, fakeProxierNode, { seed });
}

describe.skipIf(skip)("the kernel referees the rules our generator writes", () => {
  if (unavailable !== null) {
    it("can run kernel tests", () => {
      throw new Error(unavailable);
    });
    return;
  }

  it("every generated ruleset loads with iptables-restore", () => {
    const states = [
      ...[clusterIpDeploymentManifest, nodePortLoadBalancerManifest, externalDatabaseManifest, fiveTypesManifest, NAMESPACE_NODE, MORE_RULES].flatMap((yaml) => {
        const { state } = loadManifests([{ name: "m.yaml", text: yaml }]);
        return state.nodes.map((n) => ({ ...state, nodeName: n.metadata.name }));
      }),
      syntheticCluster({ services: 50, endpointsPerService: 3, nodePortEvery: 4 }),
      syntheticCluster({ services: 3, endpointsPerService: 7 }),
      syntheticCluster({ services: 5, endpointsPerService: 0 }),
    ];
    // (IPVS mode's rules match ipsets that must exist first; test/kernel/ipvs.test.ts loads those with their sets.)
    const texts = states.map((s) => kubeProxyIptables(s).text);
    const run = runInNamespace({ restoreOnly: texts, nfacct: ["ct_state_invalid_dropped_pkts", "localhost_nps_accepted_pkts"] });
    expect(run.restores).toHaveLength(texts.length);
    run.restores.forEach((r, i) => {
      expect(r.ok, `ruleset ${i}: ${r.error}`).toBe(true);
      // What `npm run sim -- kube-proxy rules` prints is what iptables-save prints on the node.
      const kernel = r.saved.split("\n").filter((l) => !l.startsWith("#")).join("\n");
      const ours = asKernelSaves(texts[i]!).split("\n");
      const theirs = kernel.split("\n");
      const first = ours.findIndex((line, n) => line !== theirs[n]);
      expect(first === -1 && ours.length === theirs.length ? "identical" : `ruleset ${i}, line ${first + 1}:\n  ours:   ${ours[first]}\n  kernel: ${theirs[first]}`).toBe("identical");
    });
  });

  const { state } = loadManifests([{ name: "namespace-node.yaml", text: NAMESPACE_NODE }]);
  const text = kubeProxyIptables(state).text;
  const run = runInNamespace({ ruleset: text, nfacct: ["ct_state_invalid_dropped_pkts", "localhost_nps_accepted_pkts"], probes: cases.map((c) => c.probe) });

  it("the generated rules for the namespace's node load", () => {
    expect(run.restoreError).toBeNull();
  });

  cases.forEach((c, n) => {
    it(c.name, () => {
      const kernel = run.probes[n]!;
      const seed = c.statistic ? seedMatchingKernel(kernel.conntrack, (s) => walkFor(text, c.probe, s)) : 1;
      expectKernelAgrees(walkFor(text, c.probe, seed), kernel, c.probe.protocol);
    });
  });
});
