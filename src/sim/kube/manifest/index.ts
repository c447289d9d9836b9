/**
 * Ordinary multi-document Kubernetes YAML → the `ClusterState` kube-proxy on one node works from, as
 * the API server (decoding, defaulting, validation, allocation) and the EndpointSlice controller
 * would leave it.
 *
 * Reads v1 Service, Pod and Node, discovery.k8s.io/v1 EndpointSlice and
 * kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration, also inside a v1 List. Other kinds are
 * skipped with a warning. Every problem in every file is collected before anything is thrown, each
 * with its file, line and column, so a learner fixes them all in one pass.
 */
import { LineCounter, parseAllDocuments, type Document } from "yaml";
import { InputError } from "../../net/errors";
import type { ClusterState, EndpointSlice, KubeProxyConfiguration, Node, Pod } from "../model";
import { allocateServices } from "./allocate";
import { readEndpointSlice } from "./endpoint-slice";
import { deriveSlices, hostNetworkPodIPs } from "./endpoint-slice-controller";
import { readNode } from "./node";
import { readPod } from "./pod";
import { defaultKubeProxyConfiguration, readProxyConfiguration } from "./proxy-config";
import { readService, type ServiceDraft } from "./service";
import { ObjectSite, type ManifestProblem, type RawMap } from "./site";

export { deriveEndpointSlices } from "./endpoint-slice-controller";
export { defaultKubeProxyConfiguration } from "./proxy-config";
export { nodePortRange, serviceClusterIpRanges } from "./allocate";
export type { ManifestProblem } from "./site";
export { ObjectSite } from "./site";

export interface ManifestFile {
  readonly name: string;
  readonly text: string;
}

/** Formats one problem the way compilers do, so editors and terminals can jump to it. */
export function formatProblem(problem: ManifestProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path === "" ? `${where}: ${problem.message}` : `${where}: ${problem.path}: ${problem.message}`;
}

/** Every problem found in the manifests; the message lists them all, one per line. */
export class ManifestError extends InputError {
  readonly problems: readonly ManifestProblem[];
  constructor(problems: readonly ManifestProblem[]) {
    const lines = problems.map(formatProblem);
    const files = [...new Set(problems.map((problem) => problem.file))].join(", ");
    super(files, lines.join("\n"));
    this.name = "ManifestError";
    this.message = lines.join("\n");
    this.problems = problems;
  }
}

export interface LoadedCluster {
  readonly state: ClusterState;
  readonly warnings: readonly ManifestProblem[];
  /** The objects of each extra kind the caller asked for (`LoadOptions.kinds`), in file order. */
  readonly extra: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * A kind another model reads (NetworkPolicy, Ingress, Gateway, HTTPRoute …): the API versions it is served at
 * and a reader that decodes one object from its site, reporting problems with `site.invalid`/`site.warn` (each
 * lands at its file, line and column like the built-in kinds'). `namespaced: false` for cluster-scoped kinds.
 */
export interface ExtraKind<T = unknown> {
  readonly apiVersions: readonly string[];
  readonly read: (site: ObjectSite, namespace: string) => T;
  /** The object's name, to refuse a second object of the kind with the same name in its namespace. */
  readonly name?: (value: T) => string;
  readonly namespaced?: boolean;
}

export interface LoadOptions {
  /** Kinds read besides the built-in ones, by kind. */
  readonly kinds?: Readonly<Record<string, ExtraKind<any>>>;
  /**
   * Whether a Node is required (the default): kube-proxy runs on one node whose addresses decide NodePort and
   * local-traffic rules. Models that never walk a node's rules (policy, routing, cluster DNS) pass false.
   */
  readonly needNode?: boolean;
}

/** The kinds this lab reads and the one API version each is served at. */
const servedVersions: Readonly<Record<string, string>> = {
  Service: "v1",
  Pod: "v1",
  Node: "v1",
  EndpointSlice: "discovery.k8s.io/v1",
  KubeProxyConfiguration: "kubeproxy.config.k8s.io/v1alpha1",
};

/** The resource names the API server uses in AlreadyExists errors. */
const resources: Readonly<Record<string, string>> = {
  Service: "services",
  Pod: "pods",
  Node: "nodes",
  EndpointSlice: "endpointslices.discovery.k8s.io",
};

function problemAt(file: string, line: number, column: number, path: string, message: string): ManifestProblem {
  return { file, line, column, path, message };
}

/**
 * Loads manifests into the state kube-proxy sees.
 *
 * @throws ManifestError listing every syntax, decoding, validation and allocation problem found
 * @example
 * const { state } = loadManifests([{ name: "web.yaml", text: webYaml }]);
 * state.services[0].clusterIP // "10.96.…" allocated from 10.96.0.0/12 when not given
 */
export function loadManifests(files: readonly ManifestFile[], options: LoadOptions = {}): LoadedCluster {
  const extraKinds = options.kinds ?? {};
  const needNode = options.needNode ?? true;
  const extra: Record<string, unknown[]> = Object.fromEntries(Object.keys(extraKinds).map((kind) => [kind, []]));
  const problems: ManifestProblem[] = [];
  const warnings: ManifestProblem[] = [];
  const sites: ObjectSite[] = [];
  const drafts: ServiceDraft[] = [];
  const givenSlices: EndpointSlice[] = [];
  const pods: Pod[] = [];
  const nodes: Node[] = [];
  const proxyConfigs: { config: KubeProxyConfiguration; site: ObjectSite }[] = [];
  const names = new Map<string, Set<string>>();

  const claim = (site: ObjectSite, kind: string, namespace: string, name: string): void => {
    const taken = names.get(kind) ?? new Set<string>();
    names.set(kind, taken);
    const key = namespace === "" ? name : `${namespace}/${name}`;
    if (name !== "" && taken.has(key)) site.invalid(["metadata", "name"], `${resources[kind] ?? kind} ${JSON.stringify(name)} already exists`, "metadata.name");
    taken.add(key);
  };
  const takenNames = (kind: string, namespace: string): ReadonlySet<string> => {
    const prefix = namespace === "" ? "" : `${namespace}/`;
    return new Set([...(names.get(kind) ?? [])].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)));
  };

  const readObject = (file: string, doc: Document, lineCounter: LineCounter, base: (string | number)[], raw: RawMap): void => {
    const site = new ObjectSite(file, doc, lineCounter, base, raw);
    sites.push(site);
    const kind = raw["kind"];
    const apiVersion = raw["apiVersion"];
    if (typeof kind !== "string" || kind === "") {
      site.invalid(["kind"], "kind not set");
      if (typeof apiVersion !== "string" || apiVersion === "") site.invalid(["apiVersion"], "apiVersion not set");
      return;
    }
    if (typeof apiVersion !== "string" || apiVersion === "") {
      site.invalid(["apiVersion"], "apiVersion not set");
      return;
    }
    const extraKind = extraKinds[kind];
    if (extraKind !== undefined) {
      if (!extraKind.apiVersions.includes(apiVersion)) {
        site.invalid(["apiVersion"], `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)} (served: ${extraKind.apiVersions.join(", ")})`);
        return;
      }
      const namespace = extraKind.namespaced === false ? "" : site.string(["metadata", "namespace"]) ?? "default";
      const value = extraKind.read(site, namespace);
      if (extraKind.name !== undefined) claim(site, kind, namespace, extraKind.name(value));
      extra[kind]!.push(value);
      return;
    }
    const served = servedVersions[kind];
    if (served === undefined) {
      const read = ["Service", "EndpointSlice", "Pod", "Node", "KubeProxyConfiguration", ...Object.keys(extraKinds)];
      site.warn(["kind"], `${kind} is not read by this lab, which reads ${read.slice(0, -1).join(", ")} and ${read[read.length - 1]}`
        + (kind === "Deployment" || kind === "ReplicaSet" || kind === "StatefulSet" || kind === "DaemonSet" ? ` (give the Pods the ${kind} would create)` : ""));
      return;
    }
    if (apiVersion !== served) {
      site.invalid(["apiVersion"], `no matches for kind ${JSON.stringify(kind)} in version ${JSON.stringify(apiVersion)}`);
      return;
    }
    const namespace = kind === "Node" || kind === "KubeProxyConfiguration" ? "" : site.string(["metadata", "namespace"]) ?? "default";
    switch (kind) {
      case "Service": {
        const draft = readService(site, takenNames(kind, namespace));
        claim(site, kind, draft.metadata.namespace, draft.metadata.name);
        drafts.push(draft);
        break;
      }
      case "EndpointSlice": {
        const slice = readEndpointSlice(site, takenNames(kind, namespace));
        claim(site, kind, slice.metadata.namespace, slice.metadata.name);
        givenSlices.push(slice);
        break;
      }
      case "Pod": {
        const pod = readPod(site, takenNames(kind, namespace));
        claim(site, kind, pod.metadata.namespace, pod.metadata.name);
        pods.push(pod);
        break;
      }
      case "Node": {
        const node = readNode(site, takenNames(kind, ""));
        claim(site, kind, "", node.metadata.name);
        nodes.push(node);
        break;
      }
      default: {
        const config = readProxyConfiguration(site);
        if (proxyConfigs.length > 0) site.invalid([], "a second KubeProxyConfiguration: kube-proxy on one node reads one configuration file");
        proxyConfigs.push({ config, site });
      }
    }
  };

  for (const file of files) {
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(file.text, { lineCounter, uniqueKeys: true });
    for (const doc of documents) {
      if (doc.errors.length > 0) {
        for (const error of doc.errors) {
          const { line, col } = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
          // yaml appends " at line L, column C:" and a code frame; the location is ours to print.
          const message = (error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "");
          problems.push(problemAt(file.name, line, col, "", `YAML syntax error: ${message}`));
        }
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (error) {
        const { line, col } = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
        problems.push(problemAt(file.name, line, col, "", `YAML error: ${error instanceof Error ? error.message : String(error)}`));
        continue;
      }
      if (value === null || value === undefined) continue; // an empty document, e.g. a trailing "---"
      const { line, col } = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
      if (typeof value !== "object" || Array.isArray(value)) {
        problems.push(problemAt(file.name, line, col, "", "expected a Kubernetes object: a mapping with apiVersion, kind and metadata"));
        continue;
      }
      const raw = value as RawMap;
      if (raw["kind"] === "List" && raw["apiVersion"] === "v1") {
        const items = raw["items"];
        if (!Array.isArray(items)) continue;
        items.forEach((item: unknown, i) => {
          if (typeof item === "object" && item !== null && !Array.isArray(item)) readObject(file.name, doc, lineCounter, ["items", i], item as RawMap);
          else {
            const at = new ObjectSite(file.name, doc, lineCounter, ["items", i], {}).source;
            problems.push(problemAt(file.name, at.line, at.column, `items[${i}]`, "expected a Kubernetes object: a mapping with apiVersion, kind and metadata"));
          }
        });
        continue;
      }
      readObject(file.name, doc, lineCounter, [], raw);
    }
  }

  const services = allocateServices(drafts);
  const proxyConfig = proxyConfigs[0]?.config ?? defaultKubeProxyConfiguration();

  // kubelet reports a hostNetwork Pod's IPs as its node's; fill them in when only the node says so.
  const nodesByName = new Map(nodes.map((node) => [node.metadata.name, node]));
  const resolvedPods = pods.map((pod) => {
    const node = pod.nodeName === null ? undefined : nodesByName.get(pod.nodeName);
    return pod.hostNetwork && pod.podIPs.length === 0 && node !== undefined ? { ...pod, podIPs: hostNetworkPodIPs(node) } : pod;
  });

  // This node: hostnameOverride, else the only Node (kube-proxy would use the OS hostname).
  let nodeName = "";
  const firstFile = files[0]?.name ?? "(no file)";
  const override = proxyConfigs[0];
  if (override !== undefined && override.config.hostnameOverride !== "") {
    nodeName = override.config.hostnameOverride;
    if (!nodesByName.has(nodeName)) {
      override.site.invalid(["hostnameOverride"],
        `names Node ${JSON.stringify(nodeName)}, which is not in the manifests: give that Node (its addresses decide NodePort and local-traffic rules)`,
        "hostnameOverride");
    }
  } else if (nodes.length === 1 && nodes[0] !== undefined) {
    nodeName = nodes[0].metadata.name;
  } else if (nodes.length === 0) {
    if (needNode) problems.push(problemAt(firstFile, 1, 1, "",
      "a Node is needed: kube-proxy runs on one node, and that node's addresses decide the NodePort and local-traffic rules; add a v1 Node with status.addresses"));
  } else {
    const second = nodes[1]?.source;
    problems.push(problemAt(second?.file ?? firstFile, second?.line ?? 1, second?.column ?? 1, "",
      `${nodes.length} Nodes given (${nodes.map((node) => node.metadata.name).join(", ")}) and no KubeProxyConfiguration hostnameOverride: set hostnameOverride to the node this kube-proxy runs on`));
  }

  // Given EndpointSlices win: the controller is not consulted for a Service someone else feeds.
  const fed = new Set(givenSlices.filter((slice) => slice.serviceName !== "").map((slice) => `${slice.metadata.namespace}/${slice.serviceName}`));
  const serviceKeys = new Set(services.map((service) => `${service.metadata.namespace}/${service.metadata.name}`));
  for (const slice of givenSlices) {
    if (slice.serviceName === "" || serviceKeys.has(`${slice.metadata.namespace}/${slice.serviceName}`)) continue;
    const at = slice.source ?? { file: firstFile, line: 1, column: 1 };
    warnings.push(problemAt(at.file, at.line, at.column, "metadata.labels[kubernetes.io/service-name]",
      `no Service ${JSON.stringify(slice.serviceName)} in namespace ${JSON.stringify(slice.metadata.namespace)}: kube-proxy keeps this slice but programs nothing for it`));
  }
  const publishNotReady = new Map(drafts.map((draft) => [`${draft.metadata.namespace}/${draft.metadata.name}`, draft.publishNotReadyAddresses]));
  const derived = deriveSlices(
    services.filter((service) => !fed.has(`${service.metadata.namespace}/${service.metadata.name}`)),
    resolvedPods,
    nodes,
    {
      publishNotReadyAddresses: (service) => publishNotReady.get(`${service.metadata.namespace}/${service.metadata.name}`) ?? false,
      takenSliceNames: new Set(givenSlices.map((slice) => `${slice.metadata.namespace}/${slice.metadata.name}`)),
    },
  );
  warnings.push(...skippedPodWarnings(drafts, resolvedPods, nodesByName, fed));

  for (const site of sites) {
    problems.push(...site.problems);
    warnings.push(...site.warnings);
  }
  const order = new Map(files.map((file, i) => [file.name, i]));
  const byPlace = (a: ManifestProblem, b: ManifestProblem): number =>
    (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line || a.column - b.column;
  problems.sort(byPlace);
  warnings.sort(byPlace);
  if (problems.length > 0) throw new ManifestError(problems);

  return {
    // A slice without the service-name label never reaches kube-proxy's informer (warned above).
    state: { services, endpointSlices: [...givenSlices.filter((slice) => slice.serviceName !== ""), ...derived], pods: resolvedPods, nodes, proxyConfig, nodeName },
    warnings,
    extra,
  };
}

/**
 * Pods a Service selects that the controller leaves out, said aloud: a Pod without an IP (no
 * status.podIPs yet) or on a Node the manifests do not contain never becomes an endpoint, and a
 * learner who pasted only spec would otherwise see an empty Service without knowing why.
 */
function skippedPodWarnings(
  drafts: readonly ServiceDraft[], pods: readonly Pod[], nodesByName: ReadonlyMap<string, Node>, fed: ReadonlySet<string>,
): ManifestProblem[] {
  const out: ManifestProblem[] = [];
  const reported = new Set<Pod>();
  for (const draft of drafts) {
    const selector = draft.selector;
    if (selector === null || draft.type === "ExternalName" || fed.has(`${draft.metadata.namespace}/${draft.metadata.name}`)) continue;
    for (const pod of pods) {
      if (reported.has(pod) || pod.metadata.namespace !== draft.metadata.namespace) continue;
      if (!Object.entries(selector).every(([key, value]) => pod.metadata.labels[key] === value)) continue;
      if (pod.phase === "Succeeded" || pod.phase === "Failed") continue;
      const at = pod.source ?? { file: "", line: 1, column: 1 };
      if (pod.podIPs.length === 0) {
        reported.add(pod);
        out.push(problemAt(at.file, at.line, at.column, "status.podIPs",
          `Pod ${JSON.stringify(pod.metadata.name)} has no IP, so Service ${JSON.stringify(draft.metadata.name)} gets no endpoint for it (add status.podIPs as kubectl get -o yaml shows them)`));
      } else if ((pod.nodeName === null || !nodesByName.has(pod.nodeName)) && !draft.publishNotReadyAddresses) {
        reported.add(pod);
        out.push(problemAt(at.file, at.line, at.column, "spec.nodeName",
          `Pod ${JSON.stringify(pod.metadata.name)} is on ${pod.nodeName === null ? "no node" : `Node ${JSON.stringify(pod.nodeName)}, which is not in the manifests`}: the EndpointSlice controller skips Pods whose Node it cannot find`));
      }
    }
  }
  return out;
}
