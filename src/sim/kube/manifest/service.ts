/**
 * v1 Service: decoded, defaulted (pkg/apis/core/v1/defaults.go SetDefaults_Service) and validated
 * (pkg/apis/core/validation/validation.go ValidateService) in the API server's order and words.
 * Cluster IPs and node ports the learner left out are filled in later by `allocate.ts`, which needs
 * every Service at once; this file yields a draft that says what is still to allocate.
 */
import type { IpFamily, LoadBalancerIngress, ObjectMeta, Protocol, ServiceType, SourceRef, TrafficPolicy } from "../model";
import {
  duplicateMessage, forbiddenMessage, goQuote, goStringSlice, invalidMessage, notSupportedMessage, requiredMessage,
  type FieldPath,
} from "./field-path";
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidPortName, isValidPortNum } from "./formats";
import { parseCidr, parseIp, specialKind } from "./ip";
import { readMeta, validateLabels } from "./metadata";
import type { ObjectSite } from "./site";

export type IpFamilyPolicy = "SingleStack" | "PreferDualStack" | "RequireDualStack";

export interface ServicePortDraft {
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
  readonly targetPort: number | string;
  /** 0: not given (allocated for NodePort/LoadBalancer). */
  readonly nodePort: number;
  readonly appProtocol: string | null;
}

export interface ServiceDraft {
  readonly site: ObjectSite;
  readonly source: SourceRef;
  readonly metadata: ObjectMeta;
  readonly type: ServiceType;
  /** As given (canonical when valid), ["None"] for headless, [] to allocate. */
  readonly clusterIPs: readonly string[];
  readonly ipFamilies: readonly IpFamily[];
  readonly ipFamilyPolicy: IpFamilyPolicy | null;
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly ServicePortDraft[];
  readonly sessionAffinity: "None" | "ClientIP";
  readonly sessionAffinityTimeoutSeconds: number | null;
  readonly externalTrafficPolicy: TrafficPolicy | null;
  readonly internalTrafficPolicy: TrafficPolicy;
  readonly loadBalancerSourceRanges: readonly string[];
  readonly externalIPs: readonly string[];
  /** 0: not given (allocated when LoadBalancer + Local). */
  readonly healthCheckNodePort: number;
  readonly externalName: string | null;
  readonly loadBalancerIngress: readonly LoadBalancerIngress[];
  /** spec.allocateLoadBalancerNodePorts, defaulted to true for LoadBalancer Services. */
  readonly allocateLoadBalancerNodePorts: boolean;
  /** Not in the model: only the EndpointSlice controller reads it (ready = true for every Pod). */
  readonly publishNotReadyAddresses: boolean;
}

const serviceTypes: readonly ServiceType[] = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const protocols: readonly Protocol[] = ["SCTP", "TCP", "UDP"];
const policies: readonly TrafficPolicy[] = ["Cluster", "Local"];
const familyPolicies: readonly IpFamilyPolicy[] = ["PreferDualStack", "RequireDualStack", "SingleStack"];

/** v1.MaxClientIPServiceAffinitySeconds and v1.DefaultClientIPServiceAffinitySeconds. */
const maxAffinitySeconds = 86400;
const defaultAffinitySeconds = 10800;

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): value is T {
  return value !== undefined && (allowed as readonly string[]).includes(value);
}

/** apiservice.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
function externallyAccessible(type: string, externalIPs: readonly string[]): boolean {
  return type === "LoadBalancer" || type === "NodePort" || (type === "ClusterIP" && externalIPs.length > 0);
}

/**
 * ValidateEndpointIP (a.k.a. ValidateNonSpecialIP): addresses that cannot be a destination for
 * Service traffic — unspecified, loopback, link-local — are rejected for external IPs and endpoints.
 */
export function nonSpecialIpMessages(text: string): string[] {
  const ip = parseIp(text);
  if (ip === null) return ["must be a valid IP address"];
  switch (specialKind(ip)) {
    case "unspecified": return [`may not be unspecified (${text})`];
    case "loopback": return ["may not be in the loopback range (127.0.0.0/8, ::1/128)"];
    case "link-local": return ["may not be in the link-local range (169.254.0.0/16, fe80::/10)"];
    case "link-local multicast": return ["may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"];
    case null: return [];
  }
}

/** validation.IsValidIP's message. */
export const invalidIpDetail = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
export const invalidCidrDetail = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

export function readService(site: ObjectSite, takenNames: ReadonlySet<string>): ServiceDraft {
  site.onlyFields([], ["apiVersion", "kind", "metadata", "spec", "status"]);
  site.onlyFields(["spec"], [
    "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
    "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort",
    "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy",
    "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
  ]);
  site.onlyFields(["spec", "sessionAffinityConfig"], ["clientIP"]);
  site.onlyFields(["spec", "sessionAffinityConfig", "clientIP"], ["timeoutSeconds"]);
  site.onlyFields(["status"], ["loadBalancer", "conditions"]);
  site.onlyFields(["status", "loadBalancer"], ["ingress"]);

  const metadata = readMeta(site, { nameFormat: isDns1035Label, namespaced: true, takenNames, kind: "Service" });
  site.map(["spec"]);
  const typeText = site.string(["spec", "type"]) ?? "ClusterIP";
  const type: ServiceType = oneOf(typeText, serviceTypes) ? typeText : "ClusterIP";

  // Strategy normalizeClusterIPs: clusterIP and clusterIPs[0] are kept in step; giving either is enough.
  const clusterIP = site.string(["spec", "clusterIP"]) ?? "";
  const givenClusterIPs = site.stringList(["spec", "clusterIPs"]) ?? [];
  const rawClusterIPs = givenClusterIPs.length === 0 && clusterIP !== "" ? [clusterIP] : givenClusterIPs;
  const primaryClusterIP = clusterIP === "" ? rawClusterIPs[0] ?? "" : clusterIP;
  const headless = rawClusterIPs.length === 1 && rawClusterIPs[0] === "None";

  const familyTexts = site.stringList(["spec", "ipFamilies"]) ?? [];
  const policyText = site.string(["spec", "ipFamilyPolicy"]);

  const selectorMap = site.stringMap(["spec", "selector"]);
  // An empty selector does not survive storage (protobuf drops empty maps), so `{}` means "no selector".
  const selector = selectorMap === undefined || Object.keys(selectorMap).length === 0 ? null : selectorMap;

  const externalIPs = site.stringList(["spec", "externalIPs"]) ?? [];
  const sourceRanges = site.stringList(["spec", "loadBalancerSourceRanges"]) ?? [];
  const externalNameText = site.string(["spec", "externalName"]) ?? "";
  const affinityText = site.string(["spec", "sessionAffinity"]) ?? "None";
  const affinityConfigGiven = site.map(["spec", "sessionAffinityConfig"]) !== undefined;
  const timeoutGiven = site.integer(["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"]);
  const etpText = site.string(["spec", "externalTrafficPolicy"]);
  const itpText = site.string(["spec", "internalTrafficPolicy"]);
  const healthCheckNodePort = site.integer(["spec", "healthCheckNodePort"]) ?? 0;
  const allocateLbNodePortsGiven = site.boolean(["spec", "allocateLoadBalancerNodePorts"]);
  const loadBalancerClass = site.string(["spec", "loadBalancerClass"]);
  const publishNotReadyAddresses = site.boolean(["spec", "publishNotReadyAddresses"]) ?? false;

  // --- ports, with SetDefaults_Service's protocol TCP and targetPort = port ---
  const ports: ServicePortDraft[] = [];
  const rawPorts = site.list(["spec", "ports"], "[]v1.ServicePort") ?? [];
  rawPorts.forEach((_, i) => {
    const path: FieldPath = ["spec", "ports", i];
    if (site.map(path, "v1.ServicePort") === undefined) return;
    site.onlyFields(path, ["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"]);
    const port = site.integer([...path, "port"]) ?? 0;
    const target = site.intOrString([...path, "targetPort"]);
    ports.push({
      name: site.string([...path, "name"]) ?? "",
      protocol: (site.string([...path, "protocol"]) ?? "TCP") as Protocol,
      port,
      targetPort: target === undefined || target === 0 || target === "" ? port : target,
      nodePort: site.integer([...path, "nodePort"]) ?? 0,
      appProtocol: site.string([...path, "appProtocol"]) ?? null,
    });
  });

  // --- status.loadBalancer.ingress (written by the load-balancer controller) ---
  const ingress: LoadBalancerIngress[] = [];
  const rawIngress = site.list(["status", "loadBalancer", "ingress"]) ?? [];
  rawIngress.forEach((_, i) => {
    const path: FieldPath = ["status", "loadBalancer", "ingress", i];
    site.onlyFields(path, ["ip", "hostname", "ipMode", "ports"]);
    const ip = site.string([...path, "ip"]) ?? "";
    const hostname = site.string([...path, "hostname"]) ?? "";
    const ipMode = site.string([...path, "ipMode"]);
    if (type !== "LoadBalancer") {
      if (i === 0) site.invalid(["status", "loadBalancer", "ingress"], forbiddenMessage("may only be used when `spec.type` is 'LoadBalancer'"));
      return;
    }
    const parsed = ip === "" ? null : parseIp(ip);
    if (ip !== "" && parsed === null) site.invalid([...path, "ip"], invalidMessage(ip, invalidIpDetail));
    if (ipMode !== undefined && ip === "") site.invalid([...path, "ipMode"], forbiddenMessage("may not be specified when `ip` is not set"));
    else if (ipMode !== undefined && ipMode !== "VIP" && ipMode !== "Proxy") {
      site.invalid([...path, "ipMode"], notSupportedMessage(ipMode, ["Proxy", "VIP"]));
    }
    if (hostname !== "") {
      for (const message of isDns1123Subdomain(hostname)) site.invalid([...path, "hostname"], invalidMessage(hostname, message));
      if (parseIp(hostname) !== null) site.invalid([...path, "hostname"], invalidMessage(hostname, "must be a DNS name, not an IP address"));
    }
    ingress.push({
      ip: parsed === null ? null : parsed.text,
      hostname: hostname === "" ? null : hostname,
      // SetDefaults_LoadBalancerStatus: an ingress with an IP and no ipMode is VIP.
      ipMode: ipMode === "Proxy" ? "Proxy" : "VIP",
    });
  });

  // ================= ValidateService, in its order =================
  if (ports.length === 0 && rawPorts.length === 0 && !headless && type !== "ExternalName") {
    site.invalid(["spec", "ports"], requiredMessage());
  }
  if ((type === "LoadBalancer" || type === "NodePort") && headless) {
    site.invalid(["spec", "clusterIP"], invalidMessage("None", `may not be set to 'None' for ${type} services`), "spec.clusterIPs[0]");
  }
  if (type === "ExternalName") {
    if (rawClusterIPs.length > 0) site.invalid(["spec", "clusterIP"], forbiddenMessage("may not be set for ExternalName services"), "spec.clusterIPs");
    if (familyTexts.length > 0) site.invalid(["spec", "ipFamilies"], forbiddenMessage("may not be set for ExternalName services"));
    if (policyText !== undefined) site.invalid(["spec", "ipFamilyPolicy"], forbiddenMessage("may not be set for ExternalName services"));
    // The value is a CNAME target; a trailing dot marks it fully qualified and is allowed.
    const cname = externalNameText.replace(/\.$/, "");
    if (cname === "") site.invalid(["spec", "externalName"], requiredMessage());
    for (const message of cname === "" ? [] : isDns1123Subdomain(cname)) {
      site.invalid(["spec", "externalName"], invalidMessage(cname, message));
    }
  }

  // validateServicePort
  const portNames = new Set<string>();
  ports.forEach((port, i) => {
    const path: FieldPath = ["spec", "ports", i];
    if (ports.length > 1 && port.name === "") site.invalid([...path, "name"], requiredMessage());
    else if (port.name !== "") {
      // Port names are DNS-1123 labels (ValidateDNS1123Label); target port names are IANA service names.
      for (const message of isDns1123Label(port.name)) site.invalid([...path, "name"], invalidMessage(port.name, message));
      if (portNames.has(port.name)) site.invalid([...path, "name"], duplicateMessage(port.name));
      portNames.add(port.name);
    }
    for (const message of isValidPortNum(port.port)) site.invalid([...path, "port"], invalidMessage(port.port, message));
    if (!oneOf(port.protocol, protocols)) site.invalid([...path, "protocol"], notSupportedMessage(port.protocol, protocols));
    const targetMessages = typeof port.targetPort === "number" ? isValidPortNum(port.targetPort) : isValidPortName(port.targetPort);
    for (const message of targetMessages) site.invalid([...path, "targetPort"], invalidMessage(port.targetPort, message));
    if (port.appProtocol !== null) {
      for (const message of isQualifiedName(port.appProtocol)) site.invalid([...path, "appProtocol"], invalidMessage(port.appProtocol, message));
    }
  });

  if (selector !== null) validateLabels(site, ["spec", "selector"], selector);

  if (!oneOf(affinityText, ["ClientIP", "None"] as const)) {
    site.invalid(["spec", "sessionAffinity"], notSupportedMessage(affinityText, ["ClientIP", "None"]));
  }
  // SetDefaults_Service gives ClientIP affinity its 3-hour timeout when none is set.
  const timeout = affinityText === "ClientIP" ? timeoutGiven ?? defaultAffinitySeconds : null;
  if (timeout !== null && (timeout <= 0 || timeout > maxAffinitySeconds)) {
    site.invalid(["spec", "sessionAffinityConfig", "clientIP", "timeoutSeconds"],
      invalidMessage(timeout, `must be greater than 0 and less than ${maxAffinitySeconds}`));
  }
  if (affinityText === "None" && affinityConfigGiven) {
    site.invalid(["spec", "sessionAffinityConfig"], forbiddenMessage("must not be set when session affinity is None"));
  }

  const clusterIPs = validateClusterIPs(site, type, headless, primaryClusterIP, rawClusterIPs, givenClusterIPs.length > 0, familyTexts, policyText);

  const canonicalExternalIPs: string[] = [];
  externalIPs.forEach((text, i) => {
    const parsed = parseIp(text);
    if (parsed === null) site.invalid(["spec", "externalIPs", i], invalidMessage(text, invalidIpDetail));
    else {
      for (const message of nonSpecialIpMessages(text)) site.invalid(["spec", "externalIPs", i], invalidMessage(text, message));
      canonicalExternalIPs.push(parsed.text);
    }
  });

  if (!oneOf(typeText, serviceTypes)) site.invalid(["spec", "type"], notSupportedMessage(typeText, serviceTypes));

  if (type === "ClusterIP") {
    ports.forEach((port, i) => {
      if (port.nodePort !== 0) site.invalid(["spec", "ports", i, "nodePort"], forbiddenMessage("may not be used when `type` is 'ClusterIP'"));
    });
  }
  // Duplicates are keyed on (protocol, nodePort) and (protocol, port): TCP and UDP may share a number.
  const nodePortKeys = new Set<string>();
  ports.forEach((port, i) => {
    if (port.nodePort === 0) return;
    const key = `${port.protocol}/${port.nodePort}`;
    if (nodePortKeys.has(key)) site.invalid(["spec", "ports", i, "nodePort"], duplicateMessage(port.nodePort));
    nodePortKeys.add(key);
  });
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${port.protocol}/${port.port}`;
    if (portKeys.has(key)) {
      // The API server prints the whole internal key struct with %#v; so do we.
      site.invalid(["spec", "ports", i], duplicateMessage({
        goSyntax: `core.ServicePort{Name:"", Protocol:${goQuote(port.protocol)}, AppProtocol:(*string)(nil), Port:${port.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
      }));
    }
    portKeys.add(key);
  });

  // The API server names this field with a capital L in its errors (a historical accident kept for
  // compatibility); the location still points at the YAML key learners write.
  const canonicalRanges: string[] = [];
  if (sourceRanges.length > 0) {
    if (type !== "LoadBalancer") {
      site.invalid(["spec", "loadBalancerSourceRanges"], forbiddenMessage("may only be used when `type` is 'LoadBalancer'"), "spec.LoadBalancerSourceRanges");
    }
    sourceRanges.forEach((text, i) => {
      // Values may be space-padded: they were once read from a comma-separated annotation.
      const value = text.trim();
      const parsed = parseCidr(value);
      if (parsed === null) {
        site.invalid(["spec", "loadBalancerSourceRanges", i], invalidMessage(value, invalidCidrDetail), `spec.LoadBalancerSourceRanges[${i}]`);
        return;
      }
      if (parsed.address.value !== parsed.network) {
        const single = `${parsed.address.text}/${parsed.family === "IPv4" ? 32 : 128}`;
        site.warn(["spec", "loadBalancerSourceRanges", i],
          `CIDR value ${JSON.stringify(value)} is ambiguous in this context (should be ${JSON.stringify(parsed.text)} or ${JSON.stringify(single)}?)`,
          `spec.loadBalancerSourceRanges[${i}]`);
      }
      canonicalRanges.push(parsed.text);
    });
  }

  if (allocateLbNodePortsGiven !== undefined && type !== "LoadBalancer") {
    site.invalid(["spec", "allocateLoadBalancerNodePorts"], forbiddenMessage("may only be used when `type` is 'LoadBalancer'"));
  }
  if (loadBalancerClass !== undefined) {
    if (type !== "LoadBalancer") site.invalid(["spec", "loadBalancerClass"], forbiddenMessage("may only be used when `type` is 'LoadBalancer'"));
    else for (const message of isQualifiedName(loadBalancerClass)) site.invalid(["spec", "loadBalancerClass"], invalidMessage(loadBalancerClass, message));
  }

  // validateServiceExternalTrafficPolicy, after SetDefaults_Service gave externally-accessible
  // Services "Cluster".
  const accessible = externallyAccessible(type, externalIPs);
  let externalTrafficPolicy: TrafficPolicy | null = null;
  if (!accessible) {
    if (etpText !== undefined && etpText !== "") {
      site.invalid(["spec", "externalTrafficPolicy"], invalidMessage(etpText, "may only be set for externally-accessible services"));
    }
  } else if (etpText === undefined || etpText === "") externalTrafficPolicy = "Cluster";
  else if (oneOf(etpText, policies)) externalTrafficPolicy = etpText;
  else site.invalid(["spec", "externalTrafficPolicy"], notSupportedMessage(etpText, policies));

  const needsHealthCheck = type === "LoadBalancer" && externalTrafficPolicy === "Local";
  if (!needsHealthCheck && healthCheckNodePort !== 0) {
    site.invalid(["spec", "healthCheckNodePort"],
      invalidMessage(healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  } else if (needsHealthCheck && healthCheckNodePort !== 0) {
    for (const message of isValidPortNum(healthCheckNodePort)) site.invalid(["spec", "healthCheckNodePort"], invalidMessage(healthCheckNodePort, message));
  }

  // SetDefaults_Service sets internalTrafficPolicy Cluster on every type but ExternalName; the model
  // carries "Cluster" for ExternalName too since kube-proxy never programs those.
  let internalTrafficPolicy: TrafficPolicy = "Cluster";
  if (itpText !== undefined) {
    if (oneOf(itpText, policies)) internalTrafficPolicy = itpText;
    else site.invalid(["spec", "internalTrafficPolicy"], notSupportedMessage(itpText, policies));
  }

  return {
    site,
    source: site.source,
    metadata,
    type,
    clusterIPs: clusterIPs.ips,
    ipFamilies: clusterIPs.families,
    ipFamilyPolicy: clusterIPs.policy,
    selector,
    ports: type === "ExternalName" ? ports.map((port) => ({ ...port, nodePort: 0 })) : ports,
    sessionAffinity: affinityText === "ClientIP" ? "ClientIP" : "None",
    sessionAffinityTimeoutSeconds: timeout,
    externalTrafficPolicy,
    internalTrafficPolicy,
    loadBalancerSourceRanges: canonicalRanges,
    externalIPs: canonicalExternalIPs,
    healthCheckNodePort: needsHealthCheck ? healthCheckNodePort : 0,
    externalName: type === "ExternalName" ? externalNameText : null,
    loadBalancerIngress: ingress,
    allocateLoadBalancerNodePorts: type === "LoadBalancer" ? allocateLbNodePortsGiven ?? true : false,
    publishNotReadyAddresses,
  };
}

/**
 * ValidateServiceClusterIPsRelatedFields, then the IP-family defaulting of the registry's allocator
 * (pkg/registry/core/service/storage/alloc.go initIPFamilyFields) for the simulated dual-stack
 * cluster: IPv4 primary, IPv6 secondary.
 */
function validateClusterIPs(
  site: ObjectSite, type: ServiceType, headless: boolean, primary: string, clusterIPs: readonly string[],
  clusterIPsGiven: boolean, familyTexts: readonly string[], policyText: string | undefined,
): { ips: string[]; families: IpFamily[]; policy: IpFamilyPolicy | null } {
  if (type === "ExternalName") return { ips: [], families: [], policy: null };
  const ipsPath: FieldPath = clusterIPsGiven ? ["spec", "clusterIPs"] : ["spec", "clusterIP"];
  const ipPath = (i: number): FieldPath => (clusterIPsGiven ? ["spec", "clusterIPs", i] : ["spec", "clusterIP"]);
  const display = (i: number): string => `spec.clusterIPs[${i}]`;

  if (primary !== "" && clusterIPs[0] !== primary) {
    site.invalid(ipsPath, invalidMessage(goStringSlice(clusterIPs), "first value must match `clusterIP`"), "spec.clusterIPs");
  }

  const families: IpFamily[] = [];
  familyTexts.forEach((family, i) => {
    if (family !== "IPv4" && family !== "IPv6") site.invalid(["spec", "ipFamilies", i], notSupportedMessage(family, ["IPv4", "IPv6"]));
    else if (families.includes(family)) site.invalid(["spec", "ipFamilies", i], duplicateMessage(family));
    else families.push(family);
  });
  let policy: IpFamilyPolicy | null = null;
  if (policyText !== undefined) {
    if (oneOf(policyText, familyPolicies)) policy = policyText;
    else site.invalid(["spec", "ipFamilyPolicy"], notSupportedMessage(policyText, familyPolicies));
  }

  let invalidIPs = false;
  const ips: string[] = [];
  clusterIPs.forEach((text, i) => {
    if (i === 0 && text === "None") {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        site.invalid(ipsPath, invalidMessage(goStringSlice(clusterIPs), "'None' must be the first and only value"), "spec.clusterIPs");
      }
      ips.push("None");
      return;
    }
    const parsed = parseIp(text);
    if (parsed === null) {
      invalidIPs = true;
      site.invalid(ipPath(i), invalidMessage(text, invalidIpDetail), display(i));
    } else ips.push(parsed.text);
  });
  if (clusterIPs.length > 2) site.invalid(ipsPath, invalidMessage(goStringSlice(clusterIPs), "may only hold up to 2 values"), "spec.clusterIPs");
  if (invalidIPs) return { ips, families, policy };

  const ipFamilies = headless ? [] : ips.map((ip) => (ip.includes(":") ? "IPv6" : "IPv4") as IpFamily);
  if (ips.length > 1 && ipFamilies[0] === ipFamilies[1]) {
    site.invalid(ipsPath, invalidMessage(goStringSlice(clusterIPs), "may specify no more than one IP for each IP family"), "spec.clusterIPs");
  }
  if (!headless) {
    ipFamilies.forEach((family, i) => {
      const expected = families[i];
      if (expected !== undefined && expected !== family) {
        site.invalid(ipPath(i), invalidMessage(clusterIPs[i] ?? "", `expected an ${expected} value as indicated by \`ipFamilies[${i}]\``), display(i));
      }
    });
  }

  // initIPFamilyFields: families follow the given IPs; two families or two IPs imply dual-stack;
  // a headless Service without a selector prefers dual-stack; everything else is SingleStack.
  let resolvedFamilies: IpFamily[] = [...families];
  ipFamilies.forEach((family, i) => {
    if (resolvedFamilies[i] === undefined && !resolvedFamilies.includes(family)) resolvedFamilies[i] = family;
  });
  if (policy === null && (resolvedFamilies.length === 2 || ips.length === 2)) policy = "RequireDualStack";
  const selectorless = site.get(["spec", "selector"]) === undefined || Object.keys(site.get(["spec", "selector"]) ?? {}).length === 0;
  if (policy === null && headless && selectorless && type === "ClusterIP") policy = "PreferDualStack";
  const effective = policy ?? "SingleStack";
  if (effective === "SingleStack" && resolvedFamilies.length > 1) {
    site.invalid(["spec", "ipFamilyPolicy"], invalidMessage(effective, "must be RequireDualStack or PreferDualStack when multiple IP families are specified"));
    resolvedFamilies = resolvedFamilies.slice(0, 1);
  }
  if (resolvedFamilies.length === 0) resolvedFamilies = ["IPv4"];
  if (effective !== "SingleStack" && resolvedFamilies.length === 1) {
    resolvedFamilies.push(resolvedFamilies[0] === "IPv4" ? "IPv6" : "IPv4");
  }
  return { ips, families: resolvedFamilies, policy: effective };
}
