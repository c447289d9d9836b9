/**
 * kube-proxy in IPVS mode (Kubernetes 1.31, pkg/proxy/ipvs): the virtual servers, ipsets and the few
 * iptables rules it writes, printed as `ipvsadm -Ln`, `ipset save` and `iptables-save` print them,
 * and the kernel's lookup of a packet through the IPVS tables (net/netfilter/ipvs).
 */
export { kubeProxyIpvs, sloppyCidr, type KubeProxyIpvsResult } from "./proxier";
export { ipvsLookup, serviceBucket, type IpvsLookupResult, type IpvsPacket } from "./lookup";
export {
  ipvsadmLn,
  ipvsadmLnc,
  ipvsadmSave,
  glibcMsort,
  compareServices,
  compareDests,
  type IpvsConnection,
  type IpvsProtocol,
  type RealServer,
  type VirtualServer,
} from "./ipvsadm";
export { ipsetSave, IPSET_INFO, type IpSet, type IpSetType } from "./ipset";
export { iptablesSave, kubeProxyIpvsRules, saveString, type IptablesRule } from "./iptables";
export {
  SCHEDULERS,
  roundRobin,
  leastConnection,
  sourceHashing,
  sourceHashTable,
  sourceHashBucket,
  hash32,
  type IpvsScheduler,
  type SchedulerDest,
  type SchedulerInput,
  type SchedulerResult,
} from "./schedulers";
export { ipvsCost, syntheticCluster, type ModeCost } from "./cost";
export { servicePorts, endpointsFor, nodeAddresses, type ServicePortInfo, type EndpointInfo } from "./service-ports";
export { categorizeEndpoints, type CategorizedEndpoints } from "../endpoints";
