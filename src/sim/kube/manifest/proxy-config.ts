/**
 * kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration: the fields this lab simulates, defaulted
 * as pkg/proxy/apis/config/v1alpha1/defaults.go does and validated as
 * pkg/proxy/apis/config/validation/validation.go does (whose paths use Go struct names, e.g.
 * `KubeProxyConfiguration.KubeProxyIPTablesConfiguration.MasqueradeBit`). kube-proxy decodes its
 * config file strictly, so an unknown field is an error there too.
 */
import type { KubeProxyConfiguration } from "../model";
import { invalidMessage, notSupportedMessage } from "./field-path";
import { parseCidr } from "./ip";
import type { ObjectSite } from "./site";

/**
 * kube-proxy's defaults on Linux: iptables mode, masquerade mark bit 14 (0x4000), NodePorts also
 * on 127.0.0.1, every local address for NodePorts, ClusterCIDR local-traffic detection, IPVS
 * round-robin.
 *
 * @example defaultKubeProxyConfiguration().iptables.masqueradeBit // 14
 */
export function defaultKubeProxyConfiguration(): KubeProxyConfiguration {
  return {
    kind: "KubeProxyConfiguration",
    mode: "iptables",
    clusterCIDR: "",
    detectLocalMode: "ClusterCIDR",
    detectLocal: { bridgeInterface: "", interfaceNamePrefix: "" },
    hostnameOverride: "",
    nodePortAddresses: [],
    iptables: { masqueradeBit: 14, masqueradeAll: false, localhostNodePorts: true },
    ipvs: { scheduler: "", strictARP: false },
  };
}

const ipvsSchedulers = ["rr", "wrr", "lc", "wlc", "lblc", "lblcr", "sh", "dh", "sed", "nq", ""];
const detectLocalModes = ["ClusterCIDR", "NodeCIDR", "BridgeInterface", "InterfaceNamePrefix", ""];

export function readProxyConfiguration(site: ObjectSite): KubeProxyConfiguration {
  site.onlyFields([], [
    "apiVersion", "kind", "bindAddress", "bindAddressHardFail", "clientConnection", "clusterCIDR", "configSyncPeriod",
    "conntrack", "detectLocal", "detectLocalMode", "enableProfiling", "featureGates", "healthzBindAddress",
    "hostnameOverride", "iptables", "ipvs", "logging", "metricsBindAddress", "mode", "nftables", "nodePortAddresses",
    "oomScoreAdj", "portRange", "showHiddenMetricsForVersion", "winkernel", "syncPeriod", "minSyncPeriod",
  ]);
  site.onlyFields(["iptables"], ["masqueradeAll", "masqueradeBit", "localhostNodePorts", "minSyncPeriod", "syncPeriod"]);
  site.onlyFields(["ipvs"], ["excludeCIDRs", "minSyncPeriod", "scheduler", "strictARP", "syncPeriod", "tcpFinTimeout", "tcpTimeout", "udpTimeout"]);
  site.onlyFields(["detectLocal"], ["bridgeInterface", "interfaceNamePrefix"]);

  const defaults = defaultKubeProxyConfiguration();
  const root = "KubeProxyConfiguration";
  const mode = site.string(["mode"]) ?? "";
  const clusterCIDR = site.string(["clusterCIDR"]) ?? "";
  const detectLocalMode = site.string(["detectLocalMode"]) ?? "";
  const bridgeInterface = site.string(["detectLocal", "bridgeInterface"]) ?? "";
  const interfaceNamePrefix = site.string(["detectLocal", "interfaceNamePrefix"]) ?? "";
  // kube-proxy lower-cases and trims the override before using it as the node name.
  const hostnameOverride = (site.string(["hostnameOverride"]) ?? "").trim().toLowerCase();
  const nodePortAddresses = site.stringList(["nodePortAddresses"]) ?? [];
  const masqueradeBit = site.integer(["iptables", "masqueradeBit"]) ?? defaults.iptables.masqueradeBit;
  const masqueradeAll = site.boolean(["iptables", "masqueradeAll"]) ?? false;
  const localhostNodePorts = site.boolean(["iptables", "localhostNodePorts"]) ?? true;
  const scheduler = site.string(["ipvs", "scheduler"]) ?? "";
  const strictARP = site.boolean(["ipvs", "strictARP"]) ?? false;

  if (masqueradeBit < 0 || masqueradeBit > 31) {
    site.invalid(["iptables", "masqueradeBit"], invalidMessage(masqueradeBit, "must be within the range [0, 31]"),
      `${root}.KubeProxyIPTablesConfiguration.MasqueradeBit`);
  }
  if (mode === "ipvs" && !ipvsSchedulers.includes(scheduler)) {
    site.invalid(["ipvs", "scheduler"], invalidMessage(scheduler,
      `must be in [${ipvsSchedulers.join(" ")}], blank means the default algorithm method (currently rr)`),
      `${root}.KubeProxyIPVSConfiguration.Scheduler`);
  }
  if (mode !== "" && mode !== "iptables" && mode !== "ipvs" && mode !== "nftables") {
    site.invalid(["mode"], invalidMessage(mode, "must be iptables,ipvs,nftables or blank (blank means the best-available proxy [currently iptables])"),
      `${root}.Mode.ProxyMode`);
  }
  if (!detectLocalModes.includes(detectLocalMode)) {
    site.invalid(["detectLocalMode"], notSupportedMessage(detectLocalMode, detectLocalModes), `${root}.DetectLocalMode`);
  }
  if (detectLocalMode === "BridgeInterface" && bridgeInterface === "") {
    site.invalid(["detectLocal", "bridgeInterface"], invalidMessage("", "must not be empty"), `${root}.InterfaceName`);
  }
  if (detectLocalMode === "InterfaceNamePrefix" && interfaceNamePrefix === "") {
    site.invalid(["detectLocal", "interfaceNamePrefix"], invalidMessage("", "must not be empty"), `${root}.InterfacePrefix`);
  }
  if (clusterCIDR !== "") {
    const cidrs = clusterCIDR.split(",");
    const example = "(e.g. 10.100.0.0/16,fde4:8dba:82e1::/48)";
    if (cidrs.length > 2) {
      site.invalid(["clusterCIDR"], invalidMessage(clusterCIDR, `only one CIDR allowed or a valid DualStack CIDR ${example}`), `${root}.ClusterCIDR`);
    } else if (cidrs.length === 2) {
      const [a, b] = cidrs.map((cidr) => parseCidr(cidr));
      if (a == null || b == null || a.family === b.family) {
        site.invalid(["clusterCIDR"], invalidMessage(clusterCIDR, `must be a valid DualStack CIDR ${example}`), `${root}.ClusterCIDR`);
      }
    } else if (parseCidr(clusterCIDR) === null) {
      site.invalid(["clusterCIDR"], invalidMessage(clusterCIDR, "must be a valid CIDR block (e.g. 10.100.0.0/16 or fde4:8dba:82e1::/48)"), `${root}.ClusterCIDR`);
    }
  }
  const canonicalNodePortAddresses: string[] = [];
  for (const [i, text] of nodePortAddresses.entries()) {
    if (text === "primary") {
      if (i !== 0 || nodePortAddresses.length !== 1) {
        site.invalid(["nodePortAddresses", i], invalidMessage(text, "can't use both 'primary' and CIDRs"), `${root}.NodePortAddresses[${i}]`);
      }
      canonicalNodePortAddresses.push(text);
      continue;
    }
    const parsed = parseCidr(text);
    if (parsed === null) site.invalid(["nodePortAddresses", i], invalidMessage(text, "must be a valid CIDR"), `${root}.NodePortAddresses[${i}]`);
    else canonicalNodePortAddresses.push(parsed.text);
  }

  return {
    kind: "KubeProxyConfiguration",
    source: site.source,
    // An empty mode means "the best available", which is iptables on Linux.
    mode: mode === "ipvs" || mode === "nftables" ? mode : "iptables",
    clusterCIDR,
    detectLocalMode: detectLocalMode === "" ? "ClusterCIDR" : (detectLocalMode as KubeProxyConfiguration["detectLocalMode"]),
    detectLocal: { bridgeInterface, interfaceNamePrefix },
    hostnameOverride,
    nodePortAddresses: canonicalNodePortAddresses,
    iptables: { masqueradeBit, masqueradeAll, localhostNodePorts },
    ipvs: { scheduler, strictARP },
  };
}
