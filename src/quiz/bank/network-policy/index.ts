import type { AnyTemplate } from "../../engine/types";
import { bothEnds } from "./both-ends";
import { dnsEgress } from "./dns-egress";
import { firewallDropLayer } from "./firewall-drop-layer";
import { healthCheckRule } from "./health-check-rule";
import { peerAndOr } from "./peer-and-or";

/** The network-policy questions, one line per template. */
export const NETWORK_POLICY_TEMPLATES: readonly AnyTemplate[] = [
  bothEnds,
  peerAndOr,
  dnsEgress,
  firewallDropLayer,
  healthCheckRule,
];
