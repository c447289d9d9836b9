/**
 * asKernelSaves with a family: the IPv6 proxier's restore input as ip6tables-save prints it back
 * (test/kernel/ipv6-rules.test.ts checks whole rulesets against the real ip6tables-save).
 */
import { describe, expect, it } from "vitest";
import { asKernelSaves, kernelRule } from "../../../../src/sim/kube/iptables/kernel-form";

const filter = (rule: string) => `*filter\n:KUBE-X - [0:0]\n${rule}\nCOMMIT\n`;

describe("asKernelSaves for ip6tables", () => {
  it("spells REJECT's default type and recent's default mask in the rule's family", () => {
    const reject = "-A KUBE-X -m comment --comment x -m tcp -p tcp -d fd00:10:96::c --dport 80 -j REJECT";
    expect(kernelRule(reject, "IPv6")).toBe('-A KUBE-X -d fd00:10:96::c/128 -p tcp -m comment --comment "x" -m tcp --dport 80 -j REJECT --reject-with icmp6-port-unreachable');
    expect(kernelRule(reject.replace("fd00:10:96::c", "10.96.0.12"))).toBe('-A KUBE-X -d 10.96.0.12/32 -p tcp -m comment --comment "x" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable');
    const recent = "-A KUBE-X -m recent --name KUBE-SEP-A --rcheck --seconds 10800 --reap -j KUBE-SEP-A";
    expect(asKernelSaves(filter(recent), "IPv6")).toContain("-m recent --rcheck --seconds 10800 --reap --name KUBE-SEP-A --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j KUBE-SEP-A");
    expect(asKernelSaves(filter(recent))).toContain("--name KUBE-SEP-A --mask 255.255.255.255 --rsource");
  });

  it("leaves an explicit --reject-with and --mask as written", () => {
    expect(kernelRule("-A KUBE-X -j REJECT --reject-with icmp6-adm-prohibited", "IPv6")).toBe("-A KUBE-X -j REJECT --reject-with icmp6-adm-prohibited");
    expect(kernelRule("-A KUBE-X -m recent --set --name N --mask ffff:ffff:: -j ACCEPT", "IPv6")).toBe("-A KUBE-X -m recent --set --name N --mask ffff:ffff:: --rsource -j ACCEPT");
  });
});
