import { describe, expect, it } from "vitest";
import { serviceClusterIpRanges } from "../../../../src/sim/kube/manifest/index";
import { at, load, problemsIn } from "./helpers";

const minimal = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: { app: web }
  ports:
  - port: 80
`;

describe("Service defaulting, as SetDefaults_Service and the allocators leave it", () => {
  it("fills namespace, type, protocol, targetPort, affinity, traffic policies and families", () => {
    const [service] = load(minimal).state.services;
    expect(service?.metadata).toEqual({ name: "web", namespace: "default", labels: {} });
    expect(service?.type).toBe("ClusterIP");
    expect(service?.ports).toEqual([{ name: "", protocol: "TCP", port: 80, targetPort: 80, nodePort: null, appProtocol: null }]);
    expect(service?.sessionAffinity).toBe("None");
    expect(service?.sessionAffinityTimeoutSeconds).toBeNull();
    expect(service?.externalTrafficPolicy).toBeNull();
    expect(service?.internalTrafficPolicy).toBe("Cluster");
    expect(service?.ipFamilies).toEqual(["IPv4"]);
    expect(service?.healthCheckNodePort).toBeNull();
  });

  it("allocates a cluster IP from 10.96.0.0/12, the same one on every load, outside the static band", () => {
    expect(serviceClusterIpRanges.IPv4).toBe("10.96.0.0/12");
    const first = load(minimal).state.services[0]?.clusterIP ?? "";
    expect(load(minimal).state.services[0]?.clusterIP).toBe(first);
    const [a, b, c, d] = first.split(".").map(Number);
    expect(a).toBe(10);
    expect((b ?? 0) & 0xf0).toBe(96);
    // Offsets below 256 are kept for hand-picked IPs (ServiceIPStaticSubrange).
    expect(((b ?? 0) & 0x0f) * 65536 + (c ?? 0) * 256 + (d ?? 0)).toBeGreaterThan(256);
  });

  it("keeps a given cluster IP and never hands it out again", () => {
    const text = `${minimal}  clusterIP: 10.96.5.5\n`;
    const twice = `${text}---\n${minimal.replace("name: web", "name: api")}`;
    const services = load(twice).state.services;
    expect(services[0]?.clusterIP).toBe("10.96.5.5");
    expect(services[0]?.clusterIPs).toEqual(["10.96.5.5"]);
    expect(services[1]?.clusterIP).not.toBe("10.96.5.5");
  });

  it("gives ClientIP affinity the 3-hour timeout", () => {
    const [service] = load(`${minimal}  sessionAffinity: ClientIP\n`).state.services;
    expect(service?.sessionAffinityTimeoutSeconds).toBe(10800);
  });

  it("gives NodePort Services externalTrafficPolicy Cluster and a node port in 30000-32767", () => {
    const [service] = load(`${minimal}  type: NodePort\n`).state.services;
    expect(service?.externalTrafficPolicy).toBe("Cluster");
    const nodePort = service?.ports[0]?.nodePort ?? 0;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
  });

  it("gives ports that share a number (TCP and UDP 53) one node port", () => {
    const text = `apiVersion: v1
kind: Service
metadata: { name: dns }
spec:
  type: NodePort
  selector: { app: dns }
  ports:
  - { name: dns-tcp, port: 53, protocol: TCP }
  - { name: dns-udp, port: 53, protocol: UDP }
`;
    const ports = load(text).state.services[0]?.ports ?? [];
    expect(ports[0]?.nodePort).not.toBeNull();
    expect(ports[0]?.nodePort).toBe(ports[1]?.nodePort);
  });

  it("allocates a health-check node port only for LoadBalancer + Local, and defaults ingress ipMode to VIP", () => {
    const lb = `${minimal}  type: LoadBalancer\n  externalTrafficPolicy: Local\nstatus:\n  loadBalancer:\n    ingress:\n    - ip: 203.0.113.7\n`;
    const [service] = load(lb).state.services;
    expect(service?.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    expect(service?.healthCheckNodePort).not.toBe(service?.ports[0]?.nodePort);
    expect(service?.loadBalancerIngress).toEqual([{ ip: "203.0.113.7", hostname: null, ipMode: "VIP" }]);
    const cluster = load(`${minimal}  type: LoadBalancer\n`).state.services[0];
    expect(cluster?.healthCheckNodePort).toBeNull();
    expect(cluster?.externalTrafficPolicy).toBe("Cluster");
  });

  it("skips node ports for a LoadBalancer with allocateLoadBalancerNodePorts: false", () => {
    const [service] = load(`${minimal}  type: LoadBalancer\n  allocateLoadBalancerNodePorts: false\n`).state.services;
    expect(service?.ports[0]?.nodePort).toBeNull();
  });

  it("reads IPv6 and dual-stack requests against the simulated dual-stack cluster", () => {
    const v6 = load(`${minimal}  ipFamilies: [IPv6]\n`).state.services[0];
    expect(v6?.ipFamilies).toEqual(["IPv6"]);
    expect(v6?.clusterIP?.startsWith("fd00:10:96::")).toBe(true);
    const dual = load(`${minimal}  ipFamilyPolicy: PreferDualStack\n`).state.services[0];
    expect(dual?.ipFamilies).toEqual(["IPv4", "IPv6"]);
    expect(dual?.clusterIPs).toHaveLength(2);
    const given = load(`${minimal}  clusterIP: "2001:0db8:0:0::10"\n`).state.services[0];
    expect(given?.clusterIP).toBe("2001:db8::10");
    expect(given?.ipFamilies).toEqual(["IPv6"]);
  });

  it("keeps a headless Service headless and ExternalName without a cluster IP", () => {
    const headless = load(`${minimal}  clusterIP: None\n`).state.services[0];
    expect(headless?.clusterIP).toBe("None");
    expect(headless?.clusterIPs).toEqual(["None"]);
    const external = load(`apiVersion: v1
kind: Service
metadata: { name: mail }
spec:
  type: ExternalName
  externalName: mail.example.com.
`).state.services[0];
    expect(external?.clusterIP).toBeNull();
    expect(external?.clusterIPs).toEqual([]);
    expect(external?.externalName).toBe("mail.example.com.");
  });

  it("canonicalises addresses and masks source ranges, warning about host bits as the API server does", () => {
    const loaded = load(`${minimal}  type: LoadBalancer\n  externalIPs: ["192.0.2.010"]\n  loadBalancerSourceRanges: [" 198.51.100.7/24"]\n`);
    expect(loaded.state.services[0]?.externalIPs).toEqual(["192.0.2.10"]);
    expect(loaded.state.services[0]?.loadBalancerSourceRanges).toEqual(["198.51.100.0/24"]);
    expect(loaded.warnings.map((w) => w.message)).toContain(
      'CIDR value "198.51.100.7/24" is ambiguous in this context (should be "198.51.100.0/24" or "198.51.100.7/32"?)');
  });
});

/** Each case: the manifest, the exact problem line(s) expected, with the node each points at. */
const head = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n";

describe("Service validation, in ValidateService's words and at the offending node", () => {
  it.each([
    {
      rule: "port range",
      text: `${head}  ports:\n  - port: 70000\n    targetPort: 8080\n`,
      expected: (t: string) => [`test.yaml:${at(t, "70000")}: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`],
    },
    {
      rule: "target port range",
      text: `${head}  ports:\n  - port: 80\n    targetPort: 0x1ffff\n`,
      expected: (t: string) => [`test.yaml:${at(t, "0x1ffff")}: spec.ports[0].targetPort: Invalid value: 131071: must be between 1 and 65535, inclusive`],
    },
    {
      rule: "named target port format",
      text: `${head}  ports:\n  - port: 80\n    targetPort: "8080"\n`,
      expected: (t: string) => [`test.yaml:${at(t, '"8080"')}: spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)`],
    },
    {
      rule: "node port range",
      text: `${head}  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 8080\n`,
      expected: (t: string) => [`test.yaml:${at(t, "8080")}: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767`],
    },
    {
      rule: "node port on ClusterIP",
      text: `${head}  ports:\n  - port: 80\n    nodePort: 30080\n`,
      expected: (t: string) => [`test.yaml:${at(t, "30080")}: spec.ports[0].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`],
    },
    {
      rule: "duplicate node port",
      text: `${head}  type: NodePort\n  ports:\n  - { name: a, port: 80, nodePort: 30080 }\n  - { name: b, port: 81, nodePort: 30080 }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "30080", 2)}: spec.ports[1].nodePort: Duplicate value: 30080`],
    },
    {
      rule: "duplicate port",
      text: `${head}  ports:\n  - { name: a, port: 80 }\n  - { name: b, port: 80 }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "{ name: b")}: spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`],
    },
    {
      rule: "port names required when more than one port",
      text: `${head}  ports:\n  - { name: http, port: 80 }\n  - { port: 443 }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "{ port: 443")}: spec.ports[1].name: Required value`],
    },
    {
      rule: "port names unique",
      text: `${head}  ports:\n  - { name: http, port: 80 }\n  - { name: http, port: 443 }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "http", 2)}: spec.ports[1].name: Duplicate value: "http"`],
    },
    {
      rule: "port name format",
      text: `${head}  ports:\n  - { name: HTTP, port: 80 }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "HTTP")}: spec.ports[0].name: Invalid value: "HTTP": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    },
    {
      rule: "Service name is a DNS-1035 label",
      text: "apiVersion: v1\nkind: Service\nmetadata:\n  name: 1web\nspec:\n  ports:\n  - port: 80\n",
      expected: (t: string) => [`test.yaml:${at(t, "1web")}: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`],
    },
    {
      rule: "ports required",
      text: `${head}  selector: { app: web }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "selector")}: spec.ports: Required value`],
    },
    {
      rule: "headless NodePort",
      text: `${head}  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "None")}: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`],
    },
    {
      rule: "headless LoadBalancer",
      text: `${head}  type: LoadBalancer\n  clusterIP: None\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "None")}: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`],
    },
    {
      rule: "ExternalName needs externalName",
      text: `${head}  type: ExternalName\n`,
      expected: (t: string) => [`test.yaml:${at(t, "type:")}: spec.externalName: Required value`],
    },
    {
      rule: "ExternalName takes no cluster IP",
      text: `${head}  type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.0.20\n`,
      expected: (t: string) => [`test.yaml:${at(t, "10.96.0.20")}: spec.clusterIPs: Forbidden: may not be set for ExternalName services`],
    },
    {
      rule: "externalTrafficPolicy only when externally accessible",
      text: `${head}  externalTrafficPolicy: Local\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "Local")}: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`],
    },
    {
      rule: "externalTrafficPolicy values",
      text: `${head}  type: NodePort\n  externalTrafficPolicy: local\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "local")}: spec.externalTrafficPolicy: Unsupported value: "local": supported values: "Cluster", "Local"`],
    },
    {
      rule: "healthCheckNodePort only for LoadBalancer + Local",
      text: `${head}  type: NodePort\n  healthCheckNodePort: 30500\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "30500")}: spec.healthCheckNodePort: Invalid value: 30500: may only be set when \`type\` is 'LoadBalancer' and \`externalTrafficPolicy\` is 'Local'`],
    },
    {
      rule: "loadBalancerSourceRanges must be CIDRs",
      text: `${head}  type: LoadBalancer\n  loadBalancerSourceRanges: [10.0.0.0/33]\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "10.0.0.0/33")}: spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`],
    },
    {
      rule: "loadBalancerSourceRanges only on LoadBalancer",
      text: `${head}  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "[10.0.0.0/8]")}: spec.LoadBalancerSourceRanges: Forbidden: may only be used when \`type\` is 'LoadBalancer'`],
    },
    {
      rule: "cluster IP must be an IP",
      text: `${head}  clusterIP: 10.96.0.300\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "10.96.0.300")}: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`],
    },
    {
      rule: "cluster IPs must match their families",
      text: `${head}  clusterIP: 10.96.0.30\n  ipFamilies: [IPv6]\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "10.96.0.30")}: spec.clusterIPs[0]: Invalid value: "10.96.0.30": expected an IPv6 value as indicated by \`ipFamilies[0]\``],
    },
    {
      rule: "external IPs may not be loopback",
      text: `${head}  externalIPs: [127.0.0.1]\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "127.0.0.1")}: spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)`],
    },
    {
      rule: "type values",
      text: `${head}  type: Nodeport\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "Nodeport")}: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`],
    },
    {
      rule: "protocol values",
      text: `${head}  ports:\n  - { port: 80, protocol: tcp }\n`,
      expected: (t: string) => [`test.yaml:${at(t, "tcp")}: spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`],
    },
    {
      rule: "affinity timeout range",
      text: `${head}  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 90000\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, "90000")}: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 90000: must be greater than 0 and less than 86400`],
    },
    {
      rule: "selector label values",
      text: `${head}  selector: { app: "web server" }\n  ports:\n  - port: 80\n`,
      expected: (t: string) => [`test.yaml:${at(t, '"web server"')}: spec.selector[app]: Invalid value: "web server": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`],
    },
    {
      rule: "unknown fields are rejected by strict decoding",
      text: `${head}  ports:\n  - port: 80\n    targetport: 8080\n`,
      expected: (t: string) => [`test.yaml:${at(t, "targetport")}: spec.ports[0].targetport: strict decoding error: unknown field "spec.ports[0].targetport"`],
    },
    {
      rule: "wrong types are decoding errors, and validation does not run",
      text: `${head}  type: Nodeport\n  ports:\n  - port: eighty\n`,
      expected: (t: string) => [`test.yaml:${at(t, "eighty")}: spec.ports[0].port: json: cannot unmarshal string into Go value of type int32`],
    },
  ])("$rule", ({ text, expected }) => {
    expect(problemsIn(text)).toEqual(expected(text));
  });

  it("reports a cluster IP two Services claim, on the second", () => {
    const svc = (name: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  clusterIP: 10.96.7.7\n  ports:\n  - port: 80\n`;
    const text = `${svc("a")}---\n${svc("b")}`;
    expect(problemsIn(text)).toEqual([
      `test.yaml:${at(text, "10.96.7.7", 2)}: spec.clusterIPs: Invalid value: []string{"10.96.7.7"}: failed to allocate IP 10.96.7.7: provided IP is already allocated`,
    ]);
  });

  it("reports a node port two Services claim, and a name used twice", () => {
    const svc = (name: string): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n`;
    const text = `${svc("a")}---\n${svc("a")}`;
    expect(problemsIn(text)).toEqual([
      `test.yaml:${at(text, "name: a", 2).replace(/:\d+$/, ":9")}: metadata.name: services "a" already exists`,
      `test.yaml:${at(text, "30080", 2)}: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`,
    ]);
  });
});
