/**
 * kube-proxy in IPVS mode (Kubernetes 1.31, pkg/proxy/ipvs): the virtual servers, ipsets and the few
 * iptables rules it writes, printed as `ipvsadm -Ln`, `ipset save` and `iptables-save` print them,
 * and the kernel's lookup of a packet through the IPVS tables (net/netfilter/ipvs). Both proxiers
 * of a dual-stack node: IPv4, and IPv6 with its KUBE-6-* sets and ip6tables rules.
 */
export { kubeProxyIpvs, sloppyCidr, type KubeProxyIpvsResult } from "./proxier";
export { kubeProxyIpvsNode, hasIpv6, type IpvsNodeTables } from "./node";
export { ipvsLookup, serviceBucket, type IpvsLookupResult, type IpvsPacket } from "./lookup";
export {
  ipvsadmLn,
  ipvsadmLnc,
  ipvsadmSave,
  ipvsAddrPort,
  glibcMsort,
  compareServices,
  compareDests,
  type IpvsConnection,
  type IpvsProtocol,
  type RealServer,
  type VirtualServer,
} from "./ipvsadm";
export { ipsetSave, ipv6SetName, setNameFor, IPSET_INFO, type IpSet, type IpSetType } from "./ipset";
export { iptablesSave, kubeProxyIpvsRules, saveString, type IptablesRule } from "./iptables";
export {
  SCHEDULERS,
  roundRobin,
  leastConnection,
  sourceHashing,
  sourceHashTable,
  sourceHashBucket,
  foldedAddress,
  hash32,
  type IpvsScheduler,
  type SchedulerDest,
  type SchedulerInput,
  type SchedulerResult,
} from "./schedulers";
export { ipvsCost, syntheticCluster, type ModeCost } from "./cost";
export { servicePorts, endpointsFor, nodeAddresses, addressOfFamily, compareAddresses, type ServicePortInfo, type EndpointInfo } from "./service-ports";
export { categorizeEndpoints, type CategorizedEndpoints } from "../endpoints";
