import { BGP_TEMPLATES } from "./bgp/index";
import { RPKI_TEMPLATES } from "./rpki/index";
import { MAGLEV_TEMPLATES } from "./maglev/index";
import { GFE_TEMPLATES } from "./gfe/index";
import { DNS_TEMPLATES } from "./dns/index";
import { COMPARE_TEMPLATES } from "./compare/index";
import { CERTS_TEMPLATES } from "./certs/index";
import { ACME_TEMPLATES } from "./acme/index";
import { SSL_MODES_TEMPLATES } from "./ssl-modes/index";
import { HANDSHAKE_TEMPLATES } from "./handshake/index";
import { L7_ROUTING_TEMPLATES } from "./l7-routing/index";
import { CLUSTER_DNS_TEMPLATES } from "./cluster-dns/index";
import { NETWORK_POLICY_TEMPLATES } from "./network-policy/index";
import { POD_NETWORK_TEMPLATES } from "./pod-network/index";
import { TROUBLESHOOT_TEMPLATES } from "./troubleshoot/index";
import { EGRESS_TEMPLATES } from "./egress/index";
import { CLUSTER_TEMPLATES } from "./cluster/index";
import { FLAGSHIP_TEMPLATES } from "./flagship/index";
import { JOURNEY_TEMPLATES } from "./journey/index";
import type { AnyTemplate, AnyVariant } from "../engine/types";

/**
 * Every question template, in the order the practice page lists them. A capability adds its
 * questions to its own registry file (`flagship/index.ts`, `journey/index.ts`, `cluster/index.ts`, later `edge/`, `tls/`),
 * one line per template.
 */
export const TEMPLATES: readonly AnyTemplate[] = [
  ...FLAGSHIP_TEMPLATES,
  ...JOURNEY_TEMPLATES,
  ...CLUSTER_TEMPLATES,
  ...BGP_TEMPLATES,
  ...RPKI_TEMPLATES,
  ...MAGLEV_TEMPLATES,
  ...GFE_TEMPLATES,
  ...DNS_TEMPLATES,
  ...COMPARE_TEMPLATES,
  ...HANDSHAKE_TEMPLATES,
  ...SSL_MODES_TEMPLATES,
  ...CERTS_TEMPLATES,
  ...ACME_TEMPLATES,
  ...POD_NETWORK_TEMPLATES,
  ...CLUSTER_DNS_TEMPLATES,
  ...NETWORK_POLICY_TEMPLATES,
  ...L7_ROUTING_TEMPLATES,
  ...TROUBLESHOOT_TEMPLATES,
  ...EGRESS_TEMPLATES,
];

/** A template by id, or null. */
export function findTemplate(id: string): AnyTemplate | null {
  return TEMPLATES.find((t) => t.id === id) ?? null;
}

/** One variant of a template; `variant` is pure, so the same id and seed always give the same variant. */
export function makeVariant(template: AnyTemplate, seed: number): AnyVariant {
  return template.variant(seed) as AnyVariant;
}
