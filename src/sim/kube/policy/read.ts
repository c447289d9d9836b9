/**
 * Readers for the loader's extra kinds: networking.k8s.io/v1 NetworkPolicy (decoded strictly, defaulted
 * and checked the way ValidateNetworkPolicy checks it) and v1 Namespace (only its labels, which
 * namespaceSelector matches). Messages follow the API server's field errors.
 */
import type { Protocol } from "../model";
import type { ExtraKind } from "../manifest/index";
import type { FieldPath } from "../manifest/field-path";
import { forbiddenMessage, invalidMessage, notSupportedMessage, requiredMessage } from "../manifest/field-path";
import { isDns1123Label, isDns1123Subdomain, isValidPortName, isValidPortNum } from "../manifest/formats";
import { cidrContains, parseCidr } from "../manifest/ip";
import { validateLabels } from "../manifest/metadata";
import type { ObjectSite } from "../manifest/site";
import { everything } from "./selector";
import type { LabelSelector, NamespaceLabels, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, PolicyType, SelectorRequirement } from "./types";

const protocols: readonly Protocol[] = ["TCP", "UDP", "SCTP"];
const operators: readonly SelectorRequirement["operator"][] = ["In", "NotIn", "Exists", "DoesNotExist"];

function readSelector(site: ObjectSite, path: FieldPath): LabelSelector | null {
  if (site.get(path) === undefined || site.get(path) === null) return null;
  if (site.map(path, "v1.LabelSelector") === undefined) return null;
  site.onlyFields(path, ["matchLabels", "matchExpressions"]);
  const matchLabels = site.stringMap([...path, "matchLabels"]) ?? {};
  validateLabels(site, [...path, "matchLabels"], matchLabels);
  const matchExpressions: SelectorRequirement[] = [];
  (site.list([...path, "matchExpressions"], "[]v1.LabelSelectorRequirement") ?? []).forEach((_, i) => {
    const at: FieldPath = [...path, "matchExpressions", i];
    site.onlyFields(at, ["key", "operator", "values"]);
    const key = site.string([...at, "key"]) ?? "";
    const operator = site.string([...at, "operator"]) ?? "";
    const values = site.stringList([...at, "values"]) ?? [];
    if (key === "") site.invalid([...at, "key"], requiredMessage());
    if (!(operators as readonly string[]).includes(operator)) {
      site.invalid([...at, "operator"], operator === "" ? requiredMessage() : notSupportedMessage(operator, operators));
      return;
    }
    // ValidateLabelSelectorRequirement: In/NotIn need values, Exists/DoesNotExist forbid them.
    if ((operator === "In" || operator === "NotIn") && values.length === 0) site.invalid([...at, "values"], requiredMessage("must be specified when `operator` is 'In' or 'NotIn'"));
    if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) site.invalid([...at, "values"], forbiddenMessage("may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    matchExpressions.push({ key, operator: operator as SelectorRequirement["operator"], values });
  });
  return { matchLabels, matchExpressions };
}

function readPeer(site: ObjectSite, path: FieldPath): PolicyPeer | null {
  site.onlyFields(path, ["podSelector", "namespaceSelector", "ipBlock"]);
  const podSelector = readSelector(site, [...path, "podSelector"]);
  const namespaceSelector = readSelector(site, [...path, "namespaceSelector"]);
  const hasIpBlock = site.get([...path, "ipBlock"]) !== undefined && site.get([...path, "ipBlock"]) !== null;
  if (hasIpBlock && (podSelector !== null || namespaceSelector !== null)) {
    site.invalid(path, forbiddenMessage("may not specify more than 1 peer type (ipBlock with podSelector or namespaceSelector)"));
    return null;
  }
  if (hasIpBlock) {
    const at: FieldPath = [...path, "ipBlock"];
    site.onlyFields(at, ["cidr", "except"]);
    const cidrText = site.string([...at, "cidr"]) ?? "";
    const cidr = parseCidr(cidrText);
    if (cidrText === "") site.invalid([...at, "cidr"], requiredMessage());
    else if (cidr === null) site.invalid([...at, "cidr"], invalidMessage(cidrText, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
    const except: string[] = [];
    (site.stringList([...at, "except"]) ?? []).forEach((text, i) => {
      const block = parseCidr(text);
      if (block === null) site.invalid([...at, "except", i], invalidMessage(text, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
      else if (cidr !== null && !(block.family === cidr.family && block.prefix > cidr.prefix && cidrContains(cidr, block.address))) {
        site.invalid([...at, "except", i], invalidMessage(text, "must be a strict subset of `cidr`"));
      } else except.push(block.text);
    });
    return { kind: "ipBlock", cidr: cidr?.text ?? cidrText, except };
  }
  if (podSelector === null && namespaceSelector === null) {
    site.invalid(path, requiredMessage("must specify a peer"));
    return null;
  }
  return { kind: "selectors", podSelector, namespaceSelector };
}

function readPort(site: ObjectSite, path: FieldPath): PolicyPort {
  site.onlyFields(path, ["protocol", "port", "endPort"]);
  const protocol = site.string([...path, "protocol"]) ?? "TCP";
  if (!(protocols as readonly string[]).includes(protocol)) site.invalid([...path, "protocol"], notSupportedMessage(protocol, protocols));
  const port = site.intOrString([...path, "port"]) ?? null;
  const endPort = site.integer([...path, "endPort"]) ?? null;
  if (typeof port === "number") for (const m of isValidPortNum(port)) site.invalid([...path, "port"], invalidMessage(port, m));
  if (typeof port === "string") for (const m of isValidPortName(port)) site.invalid([...path, "port"], invalidMessage(port, m));
  if (endPort !== null) {
    if (typeof port === "string") site.invalid([...path, "endPort"], forbiddenMessage("may not be specified when `port` is non-numeric"));
    else if (port === null) site.invalid([...path, "endPort"], requiredMessage("may not be specified when `port` is not specified"));
    else if (endPort < port) site.invalid([...path, "endPort"], invalidMessage(endPort, "must be greater than or equal to `port`"));
    else for (const m of isValidPortNum(endPort)) site.invalid([...path, "endPort"], invalidMessage(endPort, m));
  }
  return { protocol: protocol as Protocol, port, endPort };
}

function readRules(site: ObjectSite, direction: "ingress" | "egress"): PolicyRule[] {
  const peerField = direction === "ingress" ? "from" : "to";
  return (site.list(["spec", direction], `[]v1.NetworkPolicy${direction === "ingress" ? "Ingress" : "Egress"}Rule`) ?? []).map((_, i) => {
    const at: FieldPath = ["spec", direction, i];
    site.onlyFields(at, [peerField, "ports"]);
    const peerList = site.list([...at, peerField], "[]v1.NetworkPolicyPeer") ?? [];
    const peers = peerList.flatMap((__, p) => {
      const peer = readPeer(site, [...at, peerField, p]);
      return peer === null ? [] : [peer];
    });
    const ports = (site.list([...at, "ports"], "[]v1.NetworkPolicyPort") ?? []).map((__, p) => readPort(site, [...at, "ports", p]));
    // An omitted or empty from/to matches every peer: the rule is limited by its ports alone.
    return { peers: peerList.length === 0 ? null : peers, ports };
  });
}

export function readNetworkPolicy(site: ObjectSite, namespace: string): NetworkPolicy {
  site.onlyFields([], ["apiVersion", "kind", "metadata", "spec", "status"]);
  site.onlyFields(["spec"], ["podSelector", "policyTypes", "ingress", "egress"]);
  const name = site.string(["metadata", "name"]) ?? "";
  if (name === "") site.invalid(["metadata", "name"], requiredMessage("name or generateName is required"));
  else for (const m of isDns1123Subdomain(name)) site.invalid(["metadata", "name"], invalidMessage(name, m));
  for (const m of isDns1123Label(namespace)) site.invalid(["metadata", "namespace"], invalidMessage(namespace, m));
  if (site.get(["spec"]) === undefined) site.invalid(["spec"], requiredMessage());
  let podSelector = readSelector(site, ["spec", "podSelector"]);
  if (podSelector === null) {
    // The Go type is a struct, not a pointer: an omitted podSelector decodes as {} and selects every Pod.
    if (site.get(["spec"]) !== undefined) site.warn(["spec"], "spec.podSelector is omitted: read as {} (every Pod in the namespace); write podSelector: {} to say so");
    podSelector = everything;
  }
  const ingress = readRules(site, "ingress");
  const egress = readRules(site, "egress");
  const given = site.stringList(["spec", "policyTypes"]);
  const policyTypes: PolicyType[] = [];
  if (given !== undefined && given.length > 0) {
    given.forEach((type, i) => {
      if (type !== "Ingress" && type !== "Egress") site.invalid(["spec", "policyTypes", i], notSupportedMessage(type, ["Ingress", "Egress"]));
      else if (!policyTypes.includes(type)) policyTypes.push(type);
    });
  } else {
    // SetDefaults_NetworkPolicy: Ingress always; Egress only when there is at least one egress rule.
    policyTypes.push("Ingress");
    if (egress.length > 0) policyTypes.push("Egress");
  }
  return { name, namespace, source: site.source, podSelector, policyTypes, policyTypesGiven: given !== undefined && given.length > 0, ingress, egress };
}

export function readNamespace(site: ObjectSite): NamespaceLabels {
  const name = site.string(["metadata", "name"]) ?? "";
  if (name === "") site.invalid(["metadata", "name"], requiredMessage("name or generateName is required"));
  else for (const m of isDns1123Label(name)) site.invalid(["metadata", "name"], invalidMessage(name, m));
  const labels = site.stringMap(["metadata", "labels"]) ?? {};
  validateLabels(site, ["metadata", "labels"], labels);
  // Since Kubernetes 1.21 the API server sets this label on every namespace (NamespaceDefaultLabelName).
  return { name, labels: { ...labels, "kubernetes.io/metadata.name": name } };
}

export const networkPolicyKind: ExtraKind<NetworkPolicy> = {
  apiVersions: ["networking.k8s.io/v1"],
  read: readNetworkPolicy,
  name: (policy) => policy.name,
};

export const namespaceKind: ExtraKind<NamespaceLabels> = {
  apiVersions: ["v1"],
  read: (site) => readNamespace(site),
  name: (ns) => ns.name,
  namespaced: false,
};
