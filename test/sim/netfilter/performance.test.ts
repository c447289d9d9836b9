import { describe, expect, it } from "vitest";
import { parseIptablesSave, walkPacket } from "../../../src/sim/netfilter";
import { fakeProxierNode, fixture, withJumpChains } from "./fixtures";

/** A kube-proxy-shaped nat table for `services` Services with one or two endpoints each. */
function manyServices(services: number): string {
  const chains: string[] = [":KUBE-SERVICES - [0:0]", ":KUBE-NODEPORTS - [0:0]", ":KUBE-MARK-MASQ - [0:0]", ":KUBE-POSTROUTING - [0:0]"];
  const rules: string[] = [
    "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000",
    "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
    "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
    "-A KUBE-POSTROUTING -j MASQUERADE",
  ];
  const services_: string[] = [];
  for (let s = 0; s < services; s++) {
    const ip = `172.30.${s >> 8}.${s & 255}`;
    const svc = `KUBE-SVC-${String(s).padStart(16, "0")}`;
    chains.push(`:${svc} - [0:0]`);
    services_.push(`-A KUBE-SERVICES -m comment --comment "ns/svc${s}:p80 cluster IP" -m tcp -p tcp -d ${ip} --dport 80 -j ${svc}`);
    rules.push(`-A ${svc} -m comment --comment "ns/svc${s}:p80 cluster IP" -m tcp -p tcp -d ${ip} --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`);
    const endpoints = s % 2 === 0 ? 1 : 2;
    for (let e = 0; e < endpoints; e++) {
      const sep = `KUBE-SEP-${String(s * 2 + e).padStart(16, "0")}`;
      const ep = `10.${180 + e}.${s >> 8}.${s & 255}`;
      chains.push(`:${sep} - [0:0]`);
      const stat = e < endpoints - 1 ? " -m statistic --mode random --probability 0.5000000000" : "";
      rules.push(`-A ${svc} -m comment --comment "ns/svc${s}:p80 -> ${ep}:80"${stat} -j ${sep}`);
      rules.push(`-A ${sep} -m comment --comment ns/svc${s}:p80 -s ${ep} -j KUBE-MARK-MASQ`);
      rules.push(`-A ${sep} -m comment --comment ns/svc${s}:p80 -m tcp -p tcp -j DNAT --to-destination ${ep}:80`);
    }
  }
  services_.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  const nat = ["*nat", ...chains, ...services_, ...rules, "COMMIT"].join("\n");
  return withJumpChains(`${fixture("kube-proxy-overall.iptables-save").split("*nat")[0]}${nat}\n`);
}

describe("walking 10,000 Services' rules", () => {
  const text = manyServices(10_000);
  const started = performance.now();
  const ruleset = parseIptablesSave(text);
  const parseMs = performance.now() - started;

  it("has about 60,000 rules", () => {
    expect(ruleset.ruleCount).toBeGreaterThan(60_000);
  });

  it("walks one packet to the last Service in well under a millisecond (median of 200)", () => {
    const packet = { protocol: "tcp" as const, src: "10.0.0.2", srcPort: 40000, dst: "172.30.39.15", dstPort: 80 };
    const times: number[] = [];
    let walk = walkPacket(ruleset, packet, fakeProxierNode);
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      walk = walkPacket(ruleset, packet, fakeProxierNode, { seed: i });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const median = times[100]!;
    console.log(`parse ${ruleset.ruleCount} rules: ${parseMs.toFixed(0)} ms; walk (${walk.rulesEvaluated} rules evaluated): median ${median.toFixed(3)} ms, p95 ${times[190]!.toFixed(3)} ms`);
    expect(walk.candidates).toEqual(["10.180.39.15:80", "10.181.39.15:80"]);
    expect(walk.rulesEvaluated).toBeGreaterThan(10_000);
    expect(median).toBeLessThan(1);
  });
});
