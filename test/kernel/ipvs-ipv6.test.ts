/**
 * The IPv6 proxier's IPVS-mode output against the real kernel and tools, inside a private network
 * namespace (`unshare -n`; nothing touches the host's tables and nothing leaves the namespace):
 * `ipset restore` must take both proxiers' sets — the KUBE-6-* ones `family inet6` — and list them
 * back, and `ip6tables-restore` must take the IPv6 rules (which match those sets) and `ip6tables-save`
 * must print them back as we print them. As in ipvs.test.ts, `ipvsadm` itself cannot be refereed on
 * a kernel built without CONFIG_IP_VS (this machine's: `ipvsadm -A` fails with "Protocol not
 * available"), and neither can the `-m ipvs` match of KUBE-IPVS-OUT-FILTER (xt_ipvs needs IP_VS), so
 * the cluster here keeps its node inside the LB source ranges and writes no such rule.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ipvsadmSave, kubeProxyIpvsNode } from "../../src/sim/kube/ipvs";
import { loadManifests } from "../../src/sim/kube/manifest/index";
import { fixture } from "../sim/netfilter/fixtures";

function inNetns(script: string, input = ""): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("unshare", ["-n", "sh", "-c", script], { input, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: (r.stderr ?? "") + (r.error ? String(r.error) : "") };
}

function probe(script: string): string | null {
  const r = inNetns(script);
  return r.status === 0 ? null : `${script} → exit ${r.status}: ${r.stderr.trim() || r.stdout.trim()}`;
}

const skip = process.env.SKIP_KERNEL_TESTS === "1";
const unshareProblem = skip ? "SKIP_KERNEL_TESTS=1" : probe("true");
const ipvsProblem = unshareProblem ?? probe("ipvsadm -A -t [2001:db8:ffff::1]:20000 -s rr && ipvsadm -D -t [2001:db8:ffff::1]:20000");
const ipsetProblem = unshareProblem ?? probe("ipset create PROBE hash:ip family inet6 && ipset destroy PROBE");
const ip6tablesProblem = unshareProblem ?? probe("ip6tables-save >/dev/null && ip6tables -t nat -N PROBE");

// The dual-stack fixture with the node's own network among lb6's source ranges: the node may reach
// the LB IP, so KUBE-6-LOAD-BALANCER-SOURCE-IP gets a member and no `-m ipvs` rule is written.
const text = fixture("dual-stack.yaml").replace('loadBalancerSourceRanges: ["2001:db8::/121"]', 'loadBalancerSourceRanges: ["2001:db8::/121", "fd00:192:168::/64"]');
const { state } = loadManifests([{ name: "dual-stack.yaml", text }]);
const node = kubeProxyIpvsNode(state, { seed: 7 });
const withoutTimestamps = (save: string) => save.split("\n").filter((l) => !l.startsWith("#")).join("\n");

/** `create` lines byte for byte (we give the initval, so the kernel keeps ours); members per set, sorted (hash order). */
function parseSets(save: string) {
  const creates: string[] = [];
  const members = new Map<string, string[]>();
  for (const line of save.trim().split("\n")) {
    if (line.startsWith("create ")) creates.push(line);
    else {
      const [, name = "", entry = ""] = line.split(" ");
      members.set(name, [...(members.get(name) ?? []), entry].sort());
    }
  }
  return { creates, members };
}

describe("kernel: the IPv6 proxier in IPVS mode", () => {
  it("the fixture exercises the IPv6 sets and rules", () => {
    expect(node.ipv6).not.toBeNull();
    expect(node.ipv6!.iptablesSave).not.toContain("-m ipvs");
    expect(node.ipsetSave).toContain("add KUBE-6-LOAD-BALANCER-SOURCE-IP 2001:db8:5::8,tcp:80,2001:db8:5::8\n");
  });

  it.skipIf(ipsetProblem !== null)(`ipset restore takes both families' sets and lists them back${ipsetProblem ? ` (skipped: ${ipsetProblem})` : ""}`, () => {
    const r = inNetns("ipset restore && ipset save", node.ipsetSave);
    expect(r.stderr).toBe("");
    expect(parseSets(r.stdout)).toEqual(parseSets(node.ipsetSave));
  });

  const ready = ipsetProblem === null && ip6tablesProblem === null;
  it.skipIf(!ready)(`ip6tables-restore of the IPv6 rules reads back identically${ready ? "" : ` (skipped: ${ipsetProblem ?? ip6tablesProblem})`}`, () => {
    const script = `ipset restore <<'SETS'\n${node.ipsetSave}SETS\nip6tables-restore && ip6tables-save`;
    const r = inNetns(script, node.ipv6!.iptablesSave);
    expect(r.stderr).toBe("");
    expect(withoutTimestamps(r.stdout)).toBe(node.ipv6!.iptablesSave);
  });

  it.skipIf(!ready)(`the same node's IPv4 rules still read back identically with iptables-restore${ready ? "" : " (skipped)"}`, () => {
    const script = `ipset restore <<'SETS'\n${node.ipsetSave}SETS\niptables-restore && iptables-save`;
    const r = inNetns(script, node.ipv4.iptablesSave);
    expect(r.stderr).toBe("");
    expect(withoutTimestamps(r.stdout)).toBe(node.ipv4.iptablesSave);
  });

  it.skipIf(ipvsProblem !== null)(`ipvsadm -R of both families' virtual servers lists back as our ipvsadm -Ln${ipvsProblem ? ` (skipped: ${ipvsProblem})` : ""}`, () => {
    const r = inNetns("ipvsadm -R && ipvsadm -Ln", ipvsadmSave([...node.ipv4.virtualServers, ...node.ipv6!.virtualServers]));
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(node.ipvsadmLn);
  });
});
