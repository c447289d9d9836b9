/**
 * Which Pod traffic the ip-masq-agent rewrites to the node's address. The agent builds one nat chain,
 * IP-MASQ-AGENT, jumped to from POSTROUTING for every packet whose destination is not local to the
 * node: a RETURN per non-masquerade CIDR, then MASQUERADE for the rest (kubernetes-sigs/ip-masq-agent).
 *
 * Two default lists exist and the difference matters:
 * - the upstream agent without a ConfigMap: RFC 1918's three ranges, plus 169.254.0.0/16 because
 *   `masqLinkLocal` is false by default;
 * - GKE's documented default non-masquerade destinations, which add RFC 6598 shared space, the
 *   documentation ranges and others (GKE "IP masquerade agent" concept page).
 * A custom `nonMasqueradeCIDRs` list replaces either. The model leaves out GKE's other rule that can
 * apply first (default SNAT disabled by `--disable-default-snat`) and Autopilot's Egress NAT policy.
 */
import { InputError } from "../../net/errors";

export const UPSTREAM_NON_MASQUERADE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] as const;

export const GKE_DEFAULT_NON_MASQUERADE = [
  "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24",
  "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
] as const;

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
  /** The rule as `iptables-save` prints it. */
  readonly rule: string;
}

/**
 * @example masqueradeDecision("10.4.1.9").masqueraded // false: 10.0.0.0/8 returns early
 * @example masqueradeDecision("142.250.1.1").masqueraded // true
 */
export function masqueradeDecision(dst: string, nonMasquerade: readonly string[] = GKE_DEFAULT_NON_MASQUERADE): MasqueradeDecision {
  const matched = nonMasquerade.find((c) => inCidr(dst, c)) ?? null;
  return matched
    ? { masqueraded: false, matched, rule: `-A IP-MASQ-AGENT -d ${matched} -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN` }
    : { masqueraded: true, matched: null, rule: `-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE` };
}
