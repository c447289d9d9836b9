/**
 * The masquerade decision against the rules real nodes hold: GKE's IP-MASQ chain as
 * GoogleCloudPlatform/netd installs it (its masquerade installer's test lists every rule), and the
 * upstream kubernetes-sigs/ip-masq-agent defaults (RFC 1918 plus link-local, chain IP-MASQ-AGENT).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { GKE_DEFAULT_NON_MASQUERADE, UPSTREAM_NON_MASQUERADE, inCidr, masqueradeDecision } from "../../../../src/sim/kube/cni/masquerade";
import { DEFAULT_NON_MASQUERADE_CIDRS } from "../../../../src/sim/kube/egress/path";

const RUNS = Number(process.env.EDGE_PROPERTY_RUNS ?? 200);

/** netd's expected IP-MASQ rules (GoogleCloudPlatform/netd, masquerade installer test), in order. */
const NETD_IP_MASQ = [
  "-d 169.254.0.0/16 -m comment --comment ip-masq: local traffic is not subject to MASQUERADE -j RETURN",
  "-d 10.0.0.0/8 -m comment --comment ip-masq: RFC 1918 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 172.16.0.0/12 -m comment --comment ip-masq: RFC 1918 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 192.168.0.0/16 -m comment --comment ip-masq: RFC 1918 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 240.0.0.0/4 -m comment --comment ip-masq: RFC 5735 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 192.0.2.0/24 -m comment --comment ip-masq: RFC 5737 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 198.51.100.0/24 -m comment --comment ip-masq: RFC 5737 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 203.0.113.0/24 -m comment --comment ip-masq: RFC 5737 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 100.64.0.0/10 -m comment --comment ip-masq: RFC 6598 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 198.18.0.0/15 -m comment --comment ip-masq: RFC 6815 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 192.0.0.0/24 -m comment --comment ip-masq: RFC 6890 reserved range is not subject to MASQUERADE -j RETURN",
  "-d 192.88.99.0/24 -m comment --comment ip-masq: RFC 7526 reserved range is not subject to MASQUERADE -j RETURN",
  "-m comment --comment ip-masq: outbound traffic is subject to MASQUERADE (must be last in chain) -j MASQUERADE",
];

/** The model's rule with `-A IP-MASQ ` and the comment's quotes removed, as netd's fake iptables prints it. */
const bare = (rule: string) => rule.replace(/^-A IP-MASQ /, "").replace(/"/g, "");

describe("GKE's IP-MASQ chain", () => {
  it("returns exactly netd's ranges with netd's comments, link-local included, and masquerades the rest", () => {
    const returns = NETD_IP_MASQ.slice(0, -1);
    expect(GKE_DEFAULT_NON_MASQUERADE.map((c) => `-d ${c}`)).toEqual(returns.map((r) => r.split(" -m")[0]));
    for (const cidr of GKE_DEFAULT_NON_MASQUERADE) {
      const d = masqueradeDecision(cidr.split("/")[0]!);
      expect(d).toMatchObject({ masqueraded: false, matched: cidr, chain: "IP-MASQ" });
      expect(returns).toContain(bare(d.rule));
    }
    const out = masqueradeDecision("142.250.1.1");
    expect(out).toMatchObject({ masqueraded: true, matched: null, chain: "IP-MASQ" });
    expect(bare(out.rule)).toBe(NETD_IP_MASQ.at(-1));
  });

  it("never masquerades link-local: the metadata server 169.254.169.254 keeps the Pod's address", () => {
    expect(masqueradeDecision("169.254.169.254")).toMatchObject({ masqueraded: false, matched: "169.254.0.0/16" });
  });

  it("is the one list the egress model uses", () => {
    expect(DEFAULT_NON_MASQUERADE_CIDRS).toBe(GKE_DEFAULT_NON_MASQUERADE);
  });

  it("masquerades an address exactly when no listed range holds it", () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => {
      expect(masqueradeDecision(ip).masqueraded).toBe(!GKE_DEFAULT_NON_MASQUERADE.some((c) => inCidr(ip, c)));
    }), { numRuns: RUNS });
  });
});

describe("the upstream ip-masq-agent", () => {
  it("names its chain IP-MASQ-AGENT and, by default, keeps RFC 1918 and link-local only", () => {
    const d = masqueradeDecision("169.254.169.254", UPSTREAM_NON_MASQUERADE);
    expect(d).toMatchObject({ masqueraded: false, chain: "IP-MASQ-AGENT" });
    expect(d.rule).toMatch(/^-A IP-MASQ-AGENT -d 169\.254\.0\.0\/16 /);
    // 100.64.0.0/10 is in GKE's list but not upstream's.
    expect(masqueradeDecision("100.64.1.1", UPSTREAM_NON_MASQUERADE)).toMatchObject({ masqueraded: true, chain: "IP-MASQ-AGENT" });
    expect(masqueradeDecision("100.64.1.1")).toMatchObject({ masqueraded: false, chain: "IP-MASQ" });
  });
});
