import type { AnyTemplate } from "../../engine/types";
import { clusteripChainOrder } from "./clusterip-chain-order";
import { clusteripDnatHeader } from "./clusterip-dnat-header";
import { clusteripExplain } from "./clusterip-explain";
import { clusteripReplySource } from "./clusterip-reply-source";
import { conntrackTuples } from "./conntrack-tuples";
import { diagnoseConntrack } from "./diagnose-conntrack";
import { ebpfServiceMap } from "./ebpf-service-map";
import { endpointCandidates } from "./endpoint-candidates";
import { endpointProbability } from "./endpoint-probability";
import { iptablesRuleCount } from "./iptables-rule-count";
import { localNoEndpoint } from "./local-no-endpoint";
import { masqueradeOrNot } from "./masquerade-or-not";
import { negVsInstanceGroups } from "./neg-vs-instance-groups";
import { noReadyEndpoints } from "./no-ready-endpoints";
import { nodeportJourneyTrace } from "./nodeport-journey-trace";
import { nodeportSourceSeen } from "./nodeport-source-seen";
import { serviceTypes } from "./service-types";
import { sessionAffinityRules } from "./session-affinity-rules";

/** Questions on the in-cluster dataplane (Services, kube-proxy, NAT, conntrack, ways in), one line per template. */
export const CLUSTER_TEMPLATES: readonly AnyTemplate[] = [
  negVsInstanceGroups,
  clusteripDnatHeader,
  clusteripReplySource,
  clusteripChainOrder,
  endpointProbability,
  masqueradeOrNot,
  nodeportSourceSeen,
  localNoEndpoint,
  noReadyEndpoints,
  diagnoseConntrack,
  iptablesRuleCount,
  ebpfServiceMap,
  endpointCandidates,
  serviceTypes,
  sessionAffinityRules,
  conntrackTuples,
  nodeportJourneyTrace,
  clusteripExplain,
];
