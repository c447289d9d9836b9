/**
 * The EndpointSlice controller (pkg/controller/endpointslice and
 * staging/src/k8s.io/endpointslice: reconciler.go, utils.go), reduced to what it computes for a
 * Service from the Pods and Nodes it sees:
 *
 * - Pods in the Service's namespace whose labels include the selector; terminal Pods (Succeeded,
 *   Failed) and Pods without an IP are skipped (ShouldPodBeInEndpoints, terminating Pods included);
 *   a Pod whose Node is unknown is skipped unless publishNotReadyAddresses is set.
 * - One address per slice family from status.podIPs (a hostNetwork Pod's podIPs are its node's IPs).
 * - Conditions (podToEndpoint): serving = Pod Ready, terminating = deletionTimestamp set,
 *   ready = publishNotReadyAddresses || (serving && !terminating).
 * - Ports per Pod (getEndpointPorts / podutil.FindPort): a named targetPort resolves to the Pod's
 *   container port of that name and protocol; a Pod lacking it gets no entry for that port, so Pods
 *   with different resolved port sets land in different slices, at most 100 endpoints each.
 * - No endpoints at all still yields one empty placeholder slice per family.
 *
 * Differences: slice names use a hashed rather than random generateName suffix; endpoint order is the
 * Pods' order in the manifests; `hostname` (set from spec.hostname/subdomain) is not modelled.
 */
import type { Endpoint, EndpointPort, EndpointSlice, IpFamily, Node, Pod, Service } from "../model";
import { serviceNameLabel } from "./endpoint-slice";
import { generateName } from "./naming";

/** discovery.LabelManagedBy and the controller's name, as real controller-made slices carry them. */
export const managedByLabel = "endpointslice.kubernetes.io/managed-by";
export const controllerName = "endpointslice-controller.k8s.io";
const zoneLabel = "topology.kubernetes.io/zone";
const maxEndpointsPerSlice = 100;

export interface DeriveOptions {
  /** spec.publishNotReadyAddresses per Service (not in the model; false when unknown). */
  readonly publishNotReadyAddresses?: (service: Service) => boolean;
  /** `namespace/name` of slices that already exist, so generated names do not collide. */
  readonly takenSliceNames?: ReadonlySet<string>;
}

function familyOf(address: string): IpFamily {
  return address.includes(":") ? "IPv6" : "IPv4";
}

/** What kubelet reports as a hostNetwork Pod's IPs: its node's InternalIPs, one per family. */
export function hostNetworkPodIPs(node: Node): string[] {
  const out: string[] = [];
  for (const address of node.addresses) {
    if (address.type !== "InternalIP") continue;
    if (!out.some((ip) => familyOf(ip) === familyOf(address.address))) out.push(address.address);
  }
  return out;
}

/** getAddressTypesForService: the Service's families, else its cluster IP's, else both. */
function addressTypesFor(service: Service): IpFamily[] {
  if (service.ipFamilies.length > 0) return [...service.ipFamilies];
  if (service.clusterIP !== null && service.clusterIP !== "None") return [familyOf(service.clusterIP)];
  return ["IPv4", "IPv6"];
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** podutil.FindPort: a number is used as is; a name must match a container port's name and protocol. */
function findPort(pod: Pod, targetPort: number | string, protocol: string): number | null {
  if (typeof targetPort === "number") return targetPort;
  const match = pod.ports.find((port) => port.name === targetPort && port.protocol === protocol);
  return match === undefined ? null : match.containerPort;
}

/**
 * The EndpointSlices the controller would write for each Service that has a selector (ExternalName
 * Services and selector-less ones get none), from the given Pods and Nodes.
 *
 * @example deriveEndpointSlices(services, pods, nodes)[0].metadata.name // "web-7xk2p"-style
 */
export function deriveEndpointSlices(services: readonly Service[], pods: readonly Pod[], nodes: readonly Node[]): EndpointSlice[] {
  return deriveSlices(services, pods, nodes, {});
}

export function deriveSlices(
  services: readonly Service[], pods: readonly Pod[], nodes: readonly Node[], options: DeriveOptions,
): EndpointSlice[] {
  const nodesByName = new Map(nodes.map((node) => [node.metadata.name, node]));
  const taken = new Set<string>(options.takenSliceNames ?? []);
  const slices: EndpointSlice[] = [];
  for (const service of services) {
    if (service.type === "ExternalName" || service.selector === null) continue;
    const publishNotReady = options.publishNotReadyAddresses?.(service) ?? false;
    const selector = service.selector;
    const selected = pods.filter((pod) => pod.metadata.namespace === service.metadata.namespace && selects(selector, pod.metadata.labels));
    for (const addressType of addressTypesFor(service)) {
      const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
      for (const pod of selected) {
        if (pod.phase === "Succeeded" || pod.phase === "Failed") continue;
        const node = pod.nodeName === null ? undefined : nodesByName.get(pod.nodeName);
        const ips = pod.podIPs.length === 0 && pod.hostNetwork && node !== undefined ? hostNetworkPodIPs(node) : pod.podIPs;
        if (ips.length === 0) continue;
        if (node === undefined && !publishNotReady) continue;
        const addresses = ips.filter((ip) => familyOf(ip) === addressType);
        if (addresses.length === 0) continue;

        const ports: EndpointPort[] = [];
        for (const servicePort of service.ports) {
          const port = findPort(pod, servicePort.targetPort, servicePort.protocol);
          if (port === null) continue;
          ports.push({ name: servicePort.name, protocol: servicePort.protocol, port, appProtocol: servicePort.appProtocol });
        }
        const key = ports.map((port) => `${port.name}/${port.protocol}/${port.port}/${port.appProtocol ?? ""}`).join(",");
        const group = groups.get(key) ?? { ports, endpoints: [] };
        groups.set(key, group);

        const serving = pod.ready;
        const terminating = pod.terminating;
        const zone = node?.metadata.labels[zoneLabel];
        group.endpoints.push({
          addresses,
          conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
          nodeName: pod.nodeName,
          zone: zone === undefined || zone === "" ? null : zone,
          hostname: null,
          targetRef: { kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace },
        });
      }

      const chunks: { key: string; ports: EndpointPort[]; endpoints: Endpoint[] }[] = [];
      for (const [key, group] of groups) {
        for (let start = 0; start < group.endpoints.length; start += maxEndpointsPerSlice) {
          chunks.push({ key: `${key}#${start}`, ports: group.ports, endpoints: group.endpoints.slice(start, start + maxEndpointsPerSlice) });
        }
      }
      if (chunks.length === 0) chunks.push({ key: "placeholder", ports: [], endpoints: [] });
      for (const chunk of chunks) slices.push(newSlice(service, addressType, chunk, taken));
    }
  }
  return slices;
}

/** newEndpointSlice + setEndpointSliceLabels: the Service's labels, then the controller's own. */
function newSlice(
  service: Service, addressType: IpFamily, chunk: { key: string; ports: EndpointPort[]; endpoints: Endpoint[] }, taken: Set<string>,
): EndpointSlice {
  const { name: serviceName, namespace } = service.metadata;
  // getEndpointSlicePrefix: "<service>-", unless that would not be a valid name prefix.
  const namesInNamespace = new Set([...taken].filter((entry) => entry.startsWith(`${namespace}/`)).map((entry) => entry.slice(namespace.length + 1)));
  const name = generateName(`${serviceName}-`, `${namespace}/${serviceName}/${addressType}/${chunk.key}`, namesInNamespace);
  taken.add(`${namespace}/${name}`);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(service.metadata.labels)) {
    if (key !== serviceNameLabel && key !== managedByLabel) labels[key] = value;
  }
  if (service.clusterIP === "None") labels["service.kubernetes.io/headless"] = "";
  labels[serviceNameLabel] = serviceName;
  labels[managedByLabel] = controllerName;
  return {
    kind: "EndpointSlice",
    metadata: { name, namespace, labels },
    serviceName,
    addressType,
    ports: chunk.ports,
    endpoints: chunk.endpoints,
  };
}
