import { describe, expect, it } from "vitest";
import { InputError } from "../../../../src/sim/net/errors";
import { defaultKubeProxyConfiguration, loadManifests, ManifestError } from "../../../../src/sim/kube/manifest/index";
import {
  clusterIpDeploymentManifest, externalDatabaseManifest, nodePortLoadBalancerManifest,
} from "../../../../src/sim/kube/manifest/examples/index";
import { at, nodeA, nodeB, pod, problemsOf } from "./helpers";

const web = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: { app: web }\n  ports:\n  - port: 80\n    targetPort: http\n";

describe("loading several files", () => {
  it("joins objects across files, and a v1 List's items", () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${pod({ name: "web-1", ip: "10.244.1.5" }).trimEnd().split("\n").join("\n  ")}\n`;
    const { state } = loadManifests([
      { name: "svc.yaml", text: web },
      { name: "pods.yaml", text: list },
      { name: "node.yaml", text: nodeA },
    ]);
    expect(state.services.map((s) => s.metadata.name)).toEqual(["web"]);
    expect(state.pods.map((p) => p.metadata.name)).toEqual(["web-1"]);
    expect(state.endpointSlices[0]?.endpoints[0]?.addresses).toEqual(["10.244.1.5"]);
    expect(state.pods[0]?.source).toEqual({ file: "pods.yaml", line: 4, column: 3 });
    expect(state.nodeName).toBe("node-a");
    expect(state.proxyConfig).toEqual(defaultKubeProxyConfiguration());
  });

  it("reports every problem in every file at once, in file then line order", () => {
    const bad1 = "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web\nspec:\n  ports:\n  - port: 0\n";
    const bad2 = "apiVersion: v1\nkind: Service\nmetadata:\n  name: ok\nspec:\n  ports:\n  - port: 80\n    protocol: HTTP\n---\nkind: Pod\n";
    const syntax = "apiVersion: v1\nkind: Node\nmetadata:\n  name: [node-a\n";
    const problems = problemsOf([{ name: "a.yaml", text: bad1 }, { name: "b.yaml", text: bad2 }, { name: "c.yaml", text: syntax }]);
    expect(problems).toEqual([
      // No Node loaded (c.yaml's did not parse), and the load says what is missing.
      "a.yaml:1:1: a Node is needed: kube-proxy runs on one node, and that node's addresses decide the NodePort and local-traffic rules; add a v1 Node with status.addresses",
      `a.yaml:${at(bad1, "Web")}: metadata.name: Invalid value: "Web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      // SetDefaults_Service copies port 0 into targetPort, so both fail, as on a real API server.
      `a.yaml:${at(bad1, "port: 0")}: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive`,
      `a.yaml:${at(bad1, "0\n")}: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`,
      `b.yaml:${at(bad2, "HTTP")}: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`,
      `b.yaml:${at(bad2, "kind: Pod")}: apiVersion: apiVersion not set`,
      "c.yaml:5:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
  });

  it("throws a ManifestError that is an InputError carrying structured problems", () => {
    try {
      loadManifests([{ name: "x.yaml", text: "a: [1\n" }]);
      throw new Error("expected a throw");
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(error).toBeInstanceOf(ManifestError);
      const syntax = (error as ManifestError).problems.find((problem) => problem.message.startsWith("YAML syntax error"));
      expect(syntax).toMatchObject({ file: "x.yaml", line: 2, column: 1, path: "" });
      expect((error as ManifestError).problems).toHaveLength(2);
    }
  });

  it("points at the line and column of a YAML syntax error", () => {
    const text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n    labels: x\n";
    const [problem] = problemsOf([{ name: "s.yaml", text }, { name: "n.yaml", text: nodeA }]);
    expect(problem).toBe("s.yaml:4:9: YAML syntax error: Nested mappings are not allowed in compact mappings");
  });

  it("rejects a duplicate key as the API server's YAML decoder does", () => {
    const text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n  name: b\n";
    expect(problemsOf([{ name: "n.yaml", text }])).toContain("n.yaml:5:3: YAML syntax error: Map keys must be unique");
  });

  it("warns about kinds the lab does not read, and rejects versions the API does not serve", () => {
    const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n";
    const loaded = loadManifests([{ name: "d.yaml", text: deployment }, { name: "n.yaml", text: nodeA }]);
    expect(loaded.warnings).toEqual([{
      file: "d.yaml", line: 2, column: 7, path: "kind",
      message: "Deployment is not read by this lab, which reads Service, EndpointSlice, Pod, Node and KubeProxyConfiguration (give the Pods the Deployment would create)",
    }]);
    const old = "apiVersion: discovery.k8s.io/v1beta1\nkind: EndpointSlice\nmetadata:\n  name: s\n";
    expect(problemsOf([{ name: "e.yaml", text: old }, { name: "n.yaml", text: nodeA }])).toEqual([
      'e.yaml:1:13: apiVersion: no matches for kind "EndpointSlice" in version "discovery.k8s.io/v1beta1"',
    ]);
  });
});

describe("this node", () => {
  it("is the only Node given", () => {
    expect(loadManifests([{ name: "n.yaml", text: nodeA }]).state.nodeName).toBe("node-a");
  });

  it("is hostnameOverride (lower-cased, as kube-proxy does) when several Nodes are given", () => {
    const config = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nhostnameOverride: Node-B\n";
    const { state } = loadManifests([{ name: "n.yaml", text: `${nodeA}---\n${nodeB}` }, { name: "kp.yaml", text: config }]);
    expect(state.nodeName).toBe("node-b");
    expect(state.proxyConfig.hostnameOverride).toBe("node-b");
  });

  it("is an error to leave ambiguous, to omit, or to name a Node that is not there", () => {
    const two = `${nodeA}---\n${nodeB}`;
    expect(problemsOf([{ name: "n.yaml", text: two }])).toEqual([
      `n.yaml:${at(two, "apiVersion", 2)}: 2 Nodes given (node-a, node-b) and no KubeProxyConfiguration hostnameOverride: set hostnameOverride to the node this kube-proxy runs on`,
    ]);
    expect(problemsOf([{ name: "s.yaml", text: web }])).toEqual([
      "s.yaml:1:1: a Node is needed: kube-proxy runs on one node, and that node's addresses decide the NodePort and local-traffic rules; add a v1 Node with status.addresses",
    ]);
    const config = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nhostnameOverride: node-q\n";
    expect(problemsOf([{ name: "n.yaml", text: nodeA }, { name: "kp.yaml", text: config }])).toEqual([
      'kp.yaml:3:19: hostnameOverride: names Node "node-q", which is not in the manifests: give that Node (its addresses decide NodePort and local-traffic rules)',
    ]);
  });
});

describe("KubeProxyConfiguration", () => {
  it("defaults as kube-proxy does on Linux", () => {
    expect(defaultKubeProxyConfiguration()).toEqual({
      kind: "KubeProxyConfiguration", mode: "iptables", clusterCIDR: "", detectLocalMode: "ClusterCIDR",
      detectLocal: { bridgeInterface: "", interfaceNamePrefix: "" }, hostnameOverride: "", nodePortAddresses: [],
      iptables: { masqueradeBit: 14, masqueradeAll: false, localhostNodePorts: true },
      ipvs: { scheduler: "", strictARP: false },
    });
  });

  it("reads the simulated fields and keeps defaults for the rest", () => {
    const text = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
clusterCIDR: 10.244.0.0/16
detectLocalMode: NodeCIDR
nodePortAddresses: [10.0.1.0/24]
iptables:
  masqueradeAll: true
ipvs:
  scheduler: sh
  strictARP: true
`;
    const config = loadManifests([{ name: "kp.yaml", text }, { name: "n.yaml", text: nodeA }]).state.proxyConfig;
    expect(config.mode).toBe("ipvs");
    expect(config.detectLocalMode).toBe("NodeCIDR");
    expect(config.nodePortAddresses).toEqual(["10.0.1.0/24"]);
    expect(config.iptables).toEqual({ masqueradeBit: 14, masqueradeAll: true, localhostNodePorts: true });
    expect(config.ipvs).toEqual({ scheduler: "sh", strictARP: true });
    expect(config.source).toEqual({ file: "kp.yaml", line: 1, column: 1 });
  });

  it("validates as kube-proxy's validation does, with its Go-struct paths", () => {
    const text = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: userspace\niptables:\n  masqueradeBit: 32\nclusterCIDR: 10.244.0.0/16,10.245.0.0/16\nnodePortAddresses: [primary, 10.0.0.0/8]\n";
    expect(problemsOf([{ name: "kp.yaml", text }, { name: "n.yaml", text: nodeA }])).toEqual([
      "kp.yaml:3:7: KubeProxyConfiguration.Mode.ProxyMode: Invalid value: \"userspace\": must be iptables,ipvs,nftables or blank (blank means the best-available proxy [currently iptables])",
      "kp.yaml:5:18: KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit: Invalid value: 32: must be within the range [0, 31]",
      "kp.yaml:6:14: KubeProxyConfiguration.ClusterCIDR: Invalid value: \"10.244.0.0/16,10.245.0.0/16\": must be a valid DualStack CIDR (e.g. 10.100.0.0/16,fde4:8dba:82e1::/48)",
      "kp.yaml:7:21: KubeProxyConfiguration.NodePortAddresses[0]: Invalid value: \"primary\": can't use both 'primary' and CIDRs",
    ]);
  });
});

describe("the example manifest sets", () => {
  it.each([
    ["cluster-ip-deployment", clusterIpDeploymentManifest],
    ["nodeport-loadbalancer", nodePortLoadBalancerManifest],
    ["external-database", externalDatabaseManifest],
  ])("%s loads cleanly with this node node-a", (name, text) => {
    const loaded = loadManifests([{ name: `${name}.yaml`, text }]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.state.nodeName).toBe("node-a");
  });

  it("cluster-ip-deployment: three endpoints across two zones, one not ready", () => {
    const { state } = loadManifests([{ name: "x.yaml", text: clusterIpDeploymentManifest }]);
    expect(state.endpointSlices).toHaveLength(1);
    expect(state.endpointSlices[0]?.endpoints.map((e) => [e.addresses[0], e.zone, e.conditions.ready])).toEqual([
      ["10.244.1.12", "europe-west1-b", true],
      ["10.244.2.7", "europe-west1-c", true],
      ["10.244.2.8", "europe-west1-c", false],
    ]);
  });

  it("nodeport-loadbalancer: the given node port, and a health-check node port for the Local LoadBalancer", () => {
    const { state } = loadManifests([{ name: "x.yaml", text: nodePortLoadBalancerManifest }]);
    const [api, shop] = state.services;
    expect(api?.ports[0]?.nodePort).toBe(30080);
    expect(shop?.externalTrafficPolicy).toBe("Local");
    expect(shop?.healthCheckNodePort).not.toBeNull();
    expect(shop?.loadBalancerIngress[0]?.ip).toBe("203.0.113.10");
  });

  it("external-database: the hand-written slice, conditions as written", () => {
    const { state } = loadManifests([{ name: "x.yaml", text: externalDatabaseManifest }]);
    expect(state.endpointSlices.map((s) => s.metadata.name)).toEqual(["db-external"]);
    expect(state.endpointSlices[0]?.endpoints[1]?.conditions).toEqual({ ready: false, serving: true, terminating: true });
  });
});
