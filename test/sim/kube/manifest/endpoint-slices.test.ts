import { describe, expect, it } from "vitest";
import { deriveEndpointSlices, loadManifests } from "../../../../src/sim/kube/manifest/index";
import type { Node, Pod, Service } from "../../../../src/sim/kube/model";
import { at, load, nodeB, pinToNodeA, pod, problemsIn } from "./helpers";

const web = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
  - name: http
    port: 80
    targetPort: http
`;

function slicesOf(...docs: string[]) {
  const text = [web, ...docs, nodeB, pinToNodeA].join("---\n");
  return load(text).state.endpointSlices;
}

describe("given EndpointSlices", () => {
  const slice = (conditions: string): string => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-manual
  labels: { kubernetes.io/service-name: web }
addressType: IPv4
ports: [{ name: http, port: 8080 }]
endpoints:
- addresses: ["10.244.9.9"]
${conditions}`;

  it("read nil conditions as the API says: ready true, serving = ready, terminating false", () => {
    const [given] = load(slice("")).state.endpointSlices;
    expect(given?.endpoints[0]?.conditions).toEqual({ ready: true, serving: true, terminating: false });
    const notReady = load(slice("  conditions: { ready: false }\n")).state.endpointSlices[0];
    expect(notReady?.endpoints[0]?.conditions).toEqual({ ready: false, serving: false, terminating: false });
    expect(notReady?.ports).toEqual([{ name: "http", protocol: "TCP", port: 8080, appProtocol: null }]);
    expect(notReady?.serviceName).toBe("web");
  });

  it("win over the controller for their Service", () => {
    const text = [web, slice(""), pod({ name: "web-1", ip: "10.244.1.5" })].join("---\n");
    const slices = load(text).state.endpointSlices;
    expect(slices.map((s) => s.metadata.name)).toEqual(["web-manual"]);
  });

  it("without the service-name label are warned about and kept from kube-proxy", () => {
    const text = slice("").replace("  labels: { kubernetes.io/service-name: web }\n", "");
    const loaded = load(text);
    expect(loaded.state.endpointSlices).toEqual([]);
    expect(loaded.warnings.map((w) => `${w.line}:${w.column}: ${w.path}: ${w.message}`)).toEqual([
      `${at(text, "name: web-manual")}: metadata.labels[kubernetes.io/service-name]: kube-proxy ignores this EndpointSlice: it has no kubernetes.io/service-name label naming its Service`,
    ]);
  });

  it.each([
    {
      rule: "addressType required",
      text: "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\n  labels: { kubernetes.io/service-name: web }\nendpoints: []\n",
      expected: (t: string) => [`test.yaml:${at(t, "apiVersion")}: addressType: Required value`],
    },
    {
      rule: "addressType values",
      text: "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IP\n",
      expected: (t: string) => [`test.yaml:${at(t, "IP\n")}: addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"`],
    },
    {
      rule: "addresses match the addressType",
      text: "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IPv4\nendpoints:\n- addresses: [\"fd00::1\"]\n",
      expected: (t: string) => [`test.yaml:${at(t, '"fd00::1"')}: endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address`],
    },
    {
      rule: "endpoint addresses may not be link-local",
      text: "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IPv4\nendpoints:\n- addresses: [169.254.169.254]\n",
      expected: (t: string) => [`test.yaml:${at(t, "169.254.169.254")}: endpoints[0].addresses[0]: Invalid value: "169.254.169.254": may not be in the link-local range (169.254.0.0/16, fe80::/10)`],
    },
    {
      rule: "an endpoint needs an address",
      text: "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IPv4\nendpoints:\n- addresses: []\n",
      expected: (t: string) => [`test.yaml:${at(t, "[]")}: endpoints[0].addresses: Required value: must contain at least 1 address`],
    },
    {
      rule: "port names unique",
      text: "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\naddressType: IPv4\nports:\n- { port: 80 }\n- { port: 81 }\n",
      expected: (t: string) => [`test.yaml:${at(t, "{ port: 81")}: ports[1].name: Duplicate value: ""`],
    },
  ])("validate: $rule", ({ text, expected }) => {
    expect(problemsIn(text)).toEqual(expected(text));
  });
});

describe("the EndpointSlice controller, from Pods", () => {
  it("derives one slice named <service>-<suffix>, labelled as the controller labels it", () => {
    const [slice, ...rest] = slicesOf(pod({ name: "web-1", ip: "10.244.1.5" }));
    expect(rest).toEqual([]);
    expect(slice?.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice?.metadata.labels).toEqual({
      "kubernetes.io/service-name": "web",
      "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    });
    expect(slice?.addressType).toBe("IPv4");
    expect(slice?.ports).toEqual([{ name: "http", protocol: "TCP", port: 8080, appProtocol: null }]);
    expect(slice?.endpoints).toEqual([{
      addresses: ["10.244.1.5"],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: "node-a",
      zone: "zone-a",
      hostname: null,
      targetRef: { kind: "Pod", name: "web-1", namespace: "default" },
    }]);
  });

  it("sets ready = Ready && !terminating, serving = Ready, terminating = deletionTimestamp", () => {
    const [slice] = slicesOf(
      pod({ name: "ready", ip: "10.244.1.1" }),
      pod({ name: "starting", ip: "10.244.1.2", ready: false }),
      pod({ name: "draining", ip: "10.244.1.3", deleting: true }),
      pod({ name: "dying", ip: "10.244.1.4", deleting: true, ready: false }),
    );
    expect(slice?.endpoints.map((e) => [e.targetRef?.name, e.conditions])).toEqual([
      ["ready", { ready: true, serving: true, terminating: false }],
      ["starting", { ready: false, serving: false, terminating: false }],
      ["draining", { ready: false, serving: true, terminating: true }],
      ["dying", { ready: false, serving: false, terminating: true }],
    ]);
  });

  it("marks every endpoint ready with publishNotReadyAddresses", () => {
    const text = [web.replace("spec:\n", "spec:\n  publishNotReadyAddresses: true\n"), pod({ name: "starting", ip: "10.244.1.2", ready: false })].join("---\n");
    expect(load(text).state.endpointSlices[0]?.endpoints[0]?.conditions).toEqual({ ready: true, serving: false, terminating: false });
  });

  it("skips terminal Pods, Pods without an IP (with a warning) and Pods of other namespaces", () => {
    const text = [web,
      pod({ name: "done", ip: "10.244.1.1", phase: "Succeeded" }),
      pod({ name: "pending" }),
      pod({ name: "elsewhere", ip: "10.244.1.3", namespace: "other" }),
      pod({ name: "ok", ip: "10.244.1.4", labels: "{ app: web, tier: front }" }),
    ].join("---\n");
    const loaded = load(text);
    expect(loaded.state.endpointSlices[0]?.endpoints.map((e) => e.targetRef?.name)).toEqual(["ok"]);
    expect(loaded.warnings.map((w) => w.message)).toEqual([
      'Pod "pending" has no IP, so Service "web" gets no endpoint for it (add status.podIPs as kubectl get -o yaml shows them)',
    ]);
  });

  it("skips Pods whose Node is unknown, as the reconciler does, and says so", () => {
    const loaded = load([web, pod({ name: "far", ip: "10.244.7.7", node: "node-z" })].join("---\n"));
    expect(loaded.state.endpointSlices[0]?.endpoints).toEqual([]);
    expect(loaded.warnings[0]?.path).toBe("spec.nodeName");
  });

  it("resolves a named targetPort per Pod; a Pod without it lands in a slice without that port", () => {
    const twoPorts = web.replace("    targetPort: http\n", "    targetPort: http\n  - name: metrics\n    port: 9090\n    targetPort: metrics\n");
    const text = [twoPorts,
      pod({ name: "both", ip: "10.244.1.1", ports: "[{ name: http, containerPort: 8080 }, { name: metrics, containerPort: 9100 }]" }),
      pod({ name: "http-only", ip: "10.244.1.2", ports: "[{ name: http, containerPort: 8081 }]" }),
      pod({ name: "udp-named", ip: "10.244.1.3", ports: "[{ name: http, containerPort: 8082, protocol: UDP }]" }),
    ].join("---\n");
    const slices = load(text).state.endpointSlices;
    expect(slices.map((s) => [s.ports.map((p) => `${p.name}:${p.port}`), s.endpoints.map((e) => e.targetRef?.name)])).toEqual([
      [["http:8080", "metrics:9100"], ["both"]],
      [["http:8081"], ["http-only"]],
      // A named port must match the Service port's protocol too (podutil.FindPort).
      [[], ["udp-named"]],
    ]);
    expect(new Set(slices.map((s) => s.metadata.name)).size).toBe(3);
  });

  it("gives a hostNetwork Pod its node's IP and each endpoint its node's zone", () => {
    const [slice] = slicesOf(pod({ name: "host", hostNetwork: true, node: "node-b" }), pod({ name: "a", ip: "10.244.1.1" }));
    expect(slice?.endpoints.map((e) => [e.targetRef?.name, e.addresses, e.zone])).toEqual([
      ["host", ["10.0.1.12"], "zone-b"],
      ["a", ["10.244.1.1"], "zone-a"],
    ]);
  });

  it("writes an empty placeholder slice when nothing matches, and none for selector-less or ExternalName Services", () => {
    const [placeholder, ...rest] = slicesOf();
    expect(rest).toEqual([]);
    expect(placeholder?.ports).toEqual([]);
    expect(placeholder?.endpoints).toEqual([]);
    const none = load("apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec:\n  ports: [{ port: 5432 }]\n").state.endpointSlices;
    expect(none).toEqual([]);
  });

  it("splits a dual-stack Service's Pods into one slice per family", () => {
    const dual = web.replace("spec:\n", "spec:\n  ipFamilyPolicy: RequireDualStack\n");
    const twoIps = pod({ name: "dual", ip: "10.244.1.1" }).replace('podIPs: [{ ip: "10.244.1.1" }]', 'podIPs: [{ ip: "10.244.1.1" }, { ip: "fd00:10:244:1::1" }]');
    const slices = load([dual, twoIps].join("---\n")).state.endpointSlices;
    expect(slices.map((s) => [s.addressType, s.endpoints[0]?.addresses])).toEqual([["IPv4", ["10.244.1.1"]], ["IPv6", ["fd00:10:244:1::1"]]]);
  });

  it("is exported for model objects too, deterministic from call to call", () => {
    const service: Service = {
      kind: "Service", metadata: { name: "api", namespace: "default", labels: { team: "core" } }, type: "ClusterIP",
      clusterIP: "10.96.0.50", clusterIPs: ["10.96.0.50"], ipFamilies: ["IPv4"], selector: { app: "api" },
      ports: [{ name: "", protocol: "TCP", port: 80, targetPort: 8080, nodePort: null, appProtocol: null }],
      sessionAffinity: "None", sessionAffinityTimeoutSeconds: null, externalTrafficPolicy: null, internalTrafficPolicy: "Cluster",
      loadBalancerSourceRanges: [], externalIPs: [], healthCheckNodePort: null, externalName: null, loadBalancerIngress: [],
    };
    const apiPod: Pod = {
      kind: "Pod", metadata: { name: "api-1", namespace: "default", labels: { app: "api" } }, nodeName: "n1", hostNetwork: false,
      podIPs: ["10.244.3.3"], phase: "Running", ready: true, terminating: false, ports: [],
    };
    const node: Node = { kind: "Node", metadata: { name: "n1", namespace: "", labels: {} }, addresses: [], podCIDRs: [] };
    const first = deriveEndpointSlices([service], [apiPod], [node]);
    expect(first).toEqual(deriveEndpointSlices([service], [apiPod], [node]));
    expect(first[0]?.metadata.labels["team"]).toBe("core");
    expect(first[0]?.endpoints[0]?.zone).toBeNull();
    expect(first[0]?.ports).toEqual([{ name: "", protocol: "TCP", port: 8080, appProtocol: null }]);
  });
});

describe("Pod and Node validation", () => {
  it("checks container ports and pod IPs", () => {
    const text = pod({ name: "p", ip: "10.244.1.300", ports: "[{ name: web_http, containerPort: 70000 }]" });
    expect(problemsIn(text)).toEqual([
      `test.yaml:${at(text, "web_http")}: spec.containers[0].ports[0].name: Invalid value: "web_http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `test.yaml:${at(text, "70000")}: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
      `test.yaml:${at(text, '"10.244.1.300"')}: status.podIPs[0].ip: Invalid value: "10.244.1.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    ]);
  });

  it("checks Node addresses and pod CIDRs", () => {
    const text = "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-x\nspec:\n  podCIDRs: [10.244.0.0/99]\nstatus:\n  addresses:\n  - { type: InternalIP, address: node-x.local }\n";
    expect(problemsOf2(text)).toEqual([
      `test.yaml:${at(text, "10.244.0.0/99")}: spec.podCIDRs[0]: Invalid value: "10.244.0.0/99": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`,
      `test.yaml:${at(text, "node-x.local")}: status.addresses[0].address: Invalid value: "node-x.local": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
    ]);
  });
});

function problemsOf2(text: string): string[] {
  try {
    loadManifests([{ name: "test.yaml", text }]);
  } catch (error) {
    return (error as Error).message.split("\n");
  }
  throw new Error("expected a ManifestError");
}
