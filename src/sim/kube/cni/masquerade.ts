/**
 * Which Pod traffic the ip-masq-agent rewrites to the node's address. The agent builds one nat chain,
 * jumped to from POSTROUTING for every packet whose destination is not local to the node: a RETURN per
 * non-masquerade CIDR, then MASQUERADE for the rest (kubernetes-sigs/ip-masq-agent). The upstream agent
 * calls the chain `IP-MASQ-AGENT`; on GKE nodes it is `IP-MASQ`, with comments such as
 * `ip-masq: RFC 1918 reserved range is not subject to MASQUERADE`.
 *
 * Two default lists exist and the difference matters:
 * - the upstream agent without a ConfigMap: RFC 1918's three ranges, plus 169.254.0.0/16 because
 *   `masqLinkLocal` is false by default;
 * - GKE's documented default non-masquerade destinations, which add RFC 6598 shared space, the
 *   documentation ranges and others (GKE "IP masquerade agent" concept page); link-local
 *   169.254.0.0/16 is never masqueraded there either — GKE's IP-MASQ chain returns it first.
 * A custom `nonMasqueradeCIDRs` list replaces either. The model leaves out GKE's other rule that can
 * apply first (default SNAT disabled by `--disable-default-snat`) and Autopilot's Egress NAT policy.
 */
import { InputError } from "../../net/errors";

export const UPSTREAM_NON_MASQUERADE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] as const;

/**
 * GKE's IP-MASQ chain in rule order, each range with the comment GKE's node setup writes for it
 * (GoogleCloudPlatform/netd's masquerade installer and its test; the same list as the GKE docs'
 * "default non-masquerade destinations", with link-local first).
 */
export const GKE_IP_MASQ_RULES: readonly { readonly cidr: string; readonly comment: string }[] = [
  { cidr: "169.254.0.0/16", comment: "ip-masq: local traffic is not subject to MASQUERADE" },
  ...["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((cidr) => ({ cidr, comment: "ip-masq: RFC 1918 reserved range is not subject to MASQUERADE" })),
  { cidr: "240.0.0.0/4", comment: "ip-masq: RFC 5735 reserved range is not subject to MASQUERADE" },
  ...["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"].map((cidr) => ({ cidr, comment: "ip-masq: RFC 5737 reserved range is not subject to MASQUERADE" })),
  { cidr: "100.64.0.0/10", comment: "ip-masq: RFC 6598 reserved range is not subject to MASQUERADE" },
  { cidr: "198.18.0.0/15", comment: "ip-masq: RFC 6815 reserved range is not subject to MASQUERADE" },
  { cidr: "192.0.0.0/24", comment: "ip-masq: RFC 6890 reserved range is not subject to MASQUERADE" },
  { cidr: "192.88.99.0/24", comment: "ip-masq: RFC 7526 reserved range is not subject to MASQUERADE" },
];

/** GKE's default non-masquerade destinations, link-local included: the one list the CNI and egress models share. */
export const GKE_DEFAULT_NON_MASQUERADE: readonly string[] = GKE_IP_MASQ_RULES.map((r) => r.cidr);

function toInt(address: string): number {
  const parts = address.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) throw new InputError(address, "not an IPv4 address");
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function inCidr(address: string, cidr: string): boolean {
  const [base, len] = cidr.split("/");
  const bits = Number(len);
  const size = 2 ** (32 - bits);
  return Math.floor(toInt(address) / size) === Math.floor(toInt(base!) / size);
}

export interface MasqueradeDecision {
  readonly masqueraded: boolean;
  /** The non-masquerade CIDR that returned early, or null when the final MASQUERADE rule matched. */
  readonly matched: string | null;
  /** The nat chain that decided: `IP-MASQ` on GKE nodes, `IP-MASQ-AGENT` for the upstream agent. */
  readonly chain: MasqueradeChain;
  /** The rule as `iptables-save` prints it. */
  readonly rule: string;
}

export type MasqueradeChain = "IP-MASQ" | "IP-MASQ-AGENT";

/**
 * @example masqueradeDecision("10.4.1.9").masqueraded // false: 10.0.0.0/8 returns early
 * @example masqueradeDecision("142.250.1.1").masqueraded // true
 */
export function masqueradeDecision(dst: string, nonMasquerade: readonly string[] = GKE_DEFAULT_NON_MASQUERADE): MasqueradeDecision {
  const matched = nonMasquerade.find((c) => inCidr(dst, c)) ?? null;
  // The default argument (or a list equal to it) is GKE's; the upstream list is the upstream agent's.
  const upstream = nonMasquerade.length === UPSTREAM_NON_MASQUERADE.length && nonMasquerade.every((c, i) => c === UPSTREAM_NON_MASQUERADE[i]);
  const chain: MasqueradeChain = upstream ? "IP-MASQ-AGENT" : "IP-MASQ";
  if (chain === "IP-MASQ-AGENT") {
    return matched
      ? { masqueraded: false, matched, chain, rule: `-A IP-MASQ-AGENT -d ${matched} -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN` }
      : { masqueraded: true, matched: null, chain, rule: `-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE` };
  }
  // GKE's comment for the range; a custom list's extra ranges get the generic one.
  const comment = GKE_IP_MASQ_RULES.find((r) => r.cidr === matched)?.comment ?? "ip-masq: local traffic is not subject to MASQUERADE";
  return matched
    ? { masqueraded: false, matched, chain, rule: `-A IP-MASQ -d ${matched} -m comment --comment "${comment}" -j RETURN` }
    : { masqueraded: true, matched: null, chain, rule: `-A IP-MASQ -m comment --comment "ip-masq: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE` };
}
