/**
 * v1 Pod: the parts the EndpointSlice controller reads — labels, node, host networking, container
 * ports (for named target ports), IPs, the Ready condition and deletionTimestamp — checked as
 * ValidatePodCreate checks them (containers and their ports) and status as ValidatePodStatusUpdate
 * checks podIPs. The rest of a Pod spec is accepted unread.
 *
 * Status and deletionTimestamp are taken as the cluster reports them (`kubectl get pod -o yaml`), not
 * cleared as a create request would clear them: the manifests describe a running cluster.
 */
import type { ContainerPort, Pod, Protocol } from "../model";
import { duplicateMessage, invalidMessage, notSupportedMessage, requiredMessage, type FieldPath } from "./field-path";
import { isDns1123Label, isDns1123Subdomain, isValidPortName, isValidPortNum } from "./formats";
import { parseIp } from "./ip";
import { readMeta } from "./metadata";
import { invalidIpDetail } from "./service";
import type { ObjectSite } from "./site";

const protocols: readonly Protocol[] = ["SCTP", "TCP", "UDP"];
const phases: readonly Pod["phase"][] = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

export function readPod(site: ObjectSite, takenNames: ReadonlySet<string>): Pod {
  const metadata = readMeta(site, { nameFormat: isDns1123Subdomain, namespaced: true, takenNames, kind: "Pod" });
  const deletionTimestamp = site.string(["metadata", "deletionTimestamp"]);
  const nodeName = site.string(["spec", "nodeName"]) ?? "";
  if (nodeName !== "") {
    for (const message of isDns1123Subdomain(nodeName)) site.invalid(["spec", "nodeName"], invalidMessage(nodeName, message));
  }
  const hostNetwork = site.boolean(["spec", "hostNetwork"]) ?? false;
  // ValidatePodSpec: spec.hostname and spec.subdomain are DNS-1123 labels (they become DNS labels).
  const hostname = site.string(["spec", "hostname"]) ?? "";
  const subdomain = site.string(["spec", "subdomain"]) ?? "";
  if (hostname !== "") for (const message of isDns1123Label(hostname)) site.invalid(["spec", "hostname"], invalidMessage(hostname, message));
  if (subdomain !== "") for (const message of isDns1123Label(subdomain)) site.invalid(["spec", "subdomain"], invalidMessage(subdomain, message));

  const ports: ContainerPort[] = [];
  const containers = site.list(["spec", "containers"], "[]v1.Container") ?? [];
  if (containers.length === 0) site.invalid(["spec", "containers"], requiredMessage());
  const containerNames = new Set<string>();
  containers.forEach((_, c) => {
    const containerPath: FieldPath = ["spec", "containers", c];
    const name = site.string([...containerPath, "name"]) ?? "";
    if (name === "") site.invalid([...containerPath, "name"], requiredMessage());
    else {
      for (const message of isDns1123Label(name)) site.invalid([...containerPath, "name"], invalidMessage(name, message));
      if (containerNames.has(name)) site.invalid([...containerPath, "name"], duplicateMessage(name));
      containerNames.add(name);
    }
    if ((site.string([...containerPath, "image"]) ?? "") === "") site.invalid([...containerPath, "image"], requiredMessage());
    const portNames = new Set<string>();
    (site.list([...containerPath, "ports"], "[]v1.ContainerPort") ?? []).forEach((__, p) => {
      const path: FieldPath = [...containerPath, "ports", p];
      site.onlyFields(path, ["name", "containerPort", "protocol", "hostPort", "hostIP"]);
      const portName = site.string([...path, "name"]) ?? "";
      const containerPort = site.integer([...path, "containerPort"]) ?? 0;
      const protocol = site.string([...path, "protocol"]) ?? "TCP";
      // validateContainerPorts: names are IANA service names, unique within the container.
      if (portName !== "") {
        for (const message of isValidPortName(portName)) site.invalid([...path, "name"], invalidMessage(portName, message));
        if (portNames.has(portName)) site.invalid([...path, "name"], duplicateMessage(portName));
        portNames.add(portName);
      }
      if (containerPort === 0) site.invalid([...path, "containerPort"], requiredMessage());
      else for (const message of isValidPortNum(containerPort)) site.invalid([...path, "containerPort"], invalidMessage(containerPort, message));
      if (!(protocols as readonly string[]).includes(protocol)) site.invalid([...path, "protocol"], notSupportedMessage(protocol, protocols));
      ports.push({ name: portName === "" ? null : portName, containerPort, protocol: protocol as Protocol });
    });
  });

  const phaseText = site.string(["status", "phase"]) ?? "Pending";
  const phase = (phases as readonly string[]).includes(phaseText) ? (phaseText as Pod["phase"]) : "Unknown";

  // status.podIPs, falling back to the older single status.podIP.
  const podIPs: string[] = [];
  const rawPodIPs = site.list(["status", "podIPs"], "[]v1.PodIP") ?? [];
  rawPodIPs.forEach((_, i) => {
    const ip = site.string(["status", "podIPs", i, "ip"]) ?? "";
    const parsed = parseIp(ip);
    if (parsed === null) site.invalid(["status", "podIPs", i, "ip"], invalidMessage(ip, invalidIpDetail));
    else podIPs.push(parsed.text);
  });
  const podIP = site.string(["status", "podIP"]);
  if (podIP !== undefined && podIP !== "") {
    const parsed = parseIp(podIP);
    if (parsed === null) site.invalid(["status", "podIP"], invalidMessage(podIP, invalidIpDetail));
    else if (podIPs.length === 0) podIPs.push(parsed.text);
    else if (podIPs[0] !== parsed.text) site.invalid(["status", "podIP"], invalidMessage(podIP, "must match status.podIPs[0]"));
  }
  if (podIPs.length === 2 && podIPs[0]?.includes(":") === podIPs[1]?.includes(":")) {
    site.invalid(["status", "podIPs"], invalidMessage({ goSyntax: `[${podIPs.join(" ")}]` }, "may specify no more than one IP for each IP family"));
  }

  let ready = false;
  (site.list(["status", "conditions"], "[]v1.PodCondition") ?? []).forEach((_, i) => {
    if (site.string(["status", "conditions", i, "type"]) === "Ready") ready = site.string(["status", "conditions", i, "status"]) === "True";
  });

  return {
    kind: "Pod",
    metadata,
    source: site.source,
    nodeName: nodeName === "" ? null : nodeName,
    hostNetwork,
    podIPs,
    phase,
    ready,
    terminating: deletionTimestamp !== undefined && deletionTimestamp !== "",
    ports,
    // Only when given, so Pods without them read exactly as before.
    ...(hostname !== "" ? { hostname } : {}),
    ...(subdomain !== "" ? { subdomain } : {}),
  };
}
