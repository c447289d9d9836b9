/**
 * discovery.k8s.io/v1 EndpointSlice: decoded, defaulted (pkg/apis/discovery/v1/defaults.go: port
 * name "", protocol TCP) and validated (pkg/apis/discovery/validation/validation.go). Condition
 * pointers keep their API meaning: nil ready is true, nil serving follows ready, nil terminating is
 * false — the reading kube-proxy's endpointslice cache applies.
 */
import type { Endpoint, EndpointPort, EndpointSlice, Protocol } from "../model";
import { duplicateMessage, invalidMessage, notSupportedMessage, requiredMessage, type FieldPath } from "./field-path";
import { isDns1123Label, isDns1123Subdomain, isQualifiedName } from "./formats";
import { parseIp } from "./ip";
import { readMeta } from "./metadata";
import { nonSpecialIpMessages } from "./service";
import type { ObjectSite } from "./site";

/** discovery.LabelServiceName: how kube-proxy (and everyone else) ties a slice to its Service. */
export const serviceNameLabel = "kubernetes.io/service-name";

const addressTypes = ["FQDN", "IPv4", "IPv6"] as const;
const protocols: readonly Protocol[] = ["SCTP", "TCP", "UDP"];

/** validation.IsFullyQualifiedDomainName, for FQDN slices. */
function fqdnMessages(site: ObjectSite, path: FieldPath, name: string): void {
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  const subdomain = isDns1123Subdomain(trimmed);
  if (subdomain.length > 0) site.invalid(path, invalidMessage(trimmed, subdomain.join(",")));
  else if (trimmed.split(".").length < 2) site.invalid(path, invalidMessage(trimmed, "should be a domain with at least two segments separated by dots"));
}

export function readEndpointSlice(site: ObjectSite, takenNames: ReadonlySet<string>): EndpointSlice {
  site.onlyFields([], ["apiVersion", "kind", "metadata", "addressType", "endpoints", "ports"]);
  const metadata = readMeta(site, { nameFormat: isDns1123Subdomain, namespaced: true, takenNames, kind: "EndpointSlice" });
  const addressText = site.string(["addressType"]) ?? "";
  if (addressText === "") site.invalid(["addressType"], requiredMessage());
  else if (!(addressTypes as readonly string[]).includes(addressText)) site.invalid(["addressType"], notSupportedMessage(addressText, addressTypes));
  const addressType = (addressTypes as readonly string[]).includes(addressText) ? (addressText as EndpointSlice["addressType"]) : "IPv4";

  const endpoints: Endpoint[] = [];
  (site.list(["endpoints"], "[]v1.Endpoint") ?? []).forEach((_, i) => {
    const path: FieldPath = ["endpoints", i];
    site.onlyFields(path, ["addresses", "conditions", "hostname", "targetRef", "deprecatedTopology", "nodeName", "zone", "hints"]);
    site.onlyFields([...path, "conditions"], ["ready", "serving", "terminating"]);
    const addresses: string[] = [];
    const given = site.stringList([...path, "addresses"]) ?? [];
    if (given.length === 0) site.invalid([...path, "addresses"], requiredMessage("must contain at least 1 address"));
    else if (given.length > 100) site.invalid([...path, "addresses"], `Too many: ${given.length}: must have at most 100 items`);
    given.forEach((address, j) => {
      const addressPath: FieldPath = [...path, "addresses", j];
      if (addressType === "FQDN") {
        fqdnMessages(site, addressPath, address);
        addresses.push(address);
        return;
      }
      const parsed = parseIp(address);
      if (parsed === null || parsed.family !== addressType) {
        site.invalid(addressPath, invalidMessage(address, `must be a valid ${addressType} address`));
        return;
      }
      for (const message of nonSpecialIpMessages(address)) site.invalid(addressPath, invalidMessage(address, message));
      addresses.push(parsed.text);
    });

    const ready = site.boolean([...path, "conditions", "ready"]) ?? true;
    const serving = site.boolean([...path, "conditions", "serving"]) ?? ready;
    const terminating = site.boolean([...path, "conditions", "terminating"]) ?? false;

    const nodeName = site.string([...path, "nodeName"]) ?? null;
    if (nodeName !== null) {
      for (const message of isDns1123Subdomain(nodeName)) site.invalid([...path, "nodeName"], invalidMessage(nodeName, message));
    }
    const hostname = site.string([...path, "hostname"]) ?? null;
    if (hostname !== null) {
      for (const message of isDns1123Label(hostname)) site.invalid([...path, "hostname"], invalidMessage(hostname, message));
    }
    let targetRef: Endpoint["targetRef"] = null;
    if (site.map([...path, "targetRef"], "v1.ObjectReference") !== undefined) {
      targetRef = {
        kind: site.string([...path, "targetRef", "kind"]) ?? "",
        name: site.string([...path, "targetRef", "name"]) ?? "",
        namespace: site.string([...path, "targetRef", "namespace"]) ?? "",
      };
    }
    endpoints.push({
      addresses,
      conditions: { ready, serving, terminating },
      nodeName,
      zone: site.string([...path, "zone"]) ?? null,
      hostname,
      targetRef,
    });
  });

  const ports: EndpointPort[] = [];
  const names = new Set<string>();
  (site.list(["ports"], "[]v1.EndpointPort") ?? []).forEach((_, i) => {
    const path: FieldPath = ["ports", i];
    site.onlyFields(path, ["name", "protocol", "port", "appProtocol"]);
    const name = site.string([...path, "name"]) ?? "";
    const protocol = site.string([...path, "protocol"]) ?? "TCP";
    const port = site.integer([...path, "port"]) ?? null;
    const appProtocol = site.string([...path, "appProtocol"]) ?? null;
    if (name !== "") for (const message of isDns1123Label(name)) site.invalid([...path, "name"], invalidMessage(name, message));
    if (names.has(name)) site.invalid([...path, "name"], duplicateMessage(name));
    names.add(name);
    if (!(protocols as readonly string[]).includes(protocol)) site.invalid([...path, "protocol"], notSupportedMessage(protocol, protocols));
    if (appProtocol !== null) {
      for (const message of isQualifiedName(appProtocol)) site.invalid([...path, "appProtocol"], invalidMessage(appProtocol, message));
    }
    ports.push({ name, protocol: protocol as Protocol, port, appProtocol });
  });

  const serviceName = metadata.labels[serviceNameLabel] ?? "";
  if (serviceName === "") {
    // The API server accepts such a slice, but kube-proxy's informer selects on this label and the
    // slice never reaches it; warn rather than let a learner wonder where the endpoints went.
    site.warn(["metadata", "labels"],
      `kube-proxy ignores this EndpointSlice: it has no ${serviceNameLabel} label naming its Service`,
      `metadata.labels[${serviceNameLabel}]`);
  }
  return { kind: "EndpointSlice", metadata, source: site.source, serviceName, addressType, ports, endpoints };
}
