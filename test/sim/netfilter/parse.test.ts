import { describe, expect, it } from "vitest";
import { parseIptablesSave, RulesetError } from "../../../src/sim/netfilter";
import { InputError } from "../../../src/sim/net/errors";
import { fixture } from "./fixtures";

const wrap = (rule: string) => `*filter\n:INPUT ACCEPT [0:0]\n:X - [0:0]\n${rule}\nCOMMIT\n`;
const errorOf = (text: string) => {
  try {
    parseIptablesSave(text);
  } catch (error) {
    return error;
  }
  throw new Error("parsed without error");
};

describe("parseIptablesSave", () => {
  it("parses the verbatim kube-proxy dumps, keeping each rule's text, line and position", () => {
    const rs = parseIptablesSave(fixture("kube-proxy-overall.iptables-save"));
    expect(rs.ruleCount).toBe(65);
    const sep = rs.tables.nat!.chains.get("KUBE-SEP-I77PXRDZVX7PMWMN")!.rules[1]!;
    expect(sep.text).toBe("-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80");
    expect(sep.line).toBe(79);
    expect(sep.index).toBe(2);
    expect(sep.comment).toBe("ns5/svc5:p80");
    expect(sep.target).toEqual({ kind: "DNAT", address: 0x0ab40003, port: 80 });
    expect(rs.tables.nat!.chains.get("PREROUTING")).toMatchObject({ builtin: true, policy: "ACCEPT", line: null });
    expect(parseIptablesSave(fixture("kube-proxy-bad-ips.iptables-save")).ruleCount).toBe(23);
  });

  it("reads iptables-save -c counters and the MARK forms iptables-save prints", () => {
    const rs = parseIptablesSave("*nat\n:POSTROUTING ACCEPT [3:180]\n:K - [0:0]\n[7:420] -A K -j MARK --set-xmark 0x4000/0x0\n[1:60] -A K -j MARK --set-xmark 0x4000/0x4000\nCOMMIT\n");
    const [xor, or] = rs.tables.nat!.chains.get("K")!.rules;
    expect(xor!.counters).toEqual({ packets: 7, bytes: 420 });
    expect(xor!.target).toEqual({ kind: "MARK", value: 0x4000, mask: 0 });
    expect(or!.target).toEqual({ kind: "MARK", value: 0x4000, mask: 0x4000 });
  });

  it.each([
    ["-A INPUT -p tcp --dprot 80 -j ACCEPT", 4, /unknown option "--dprot"/],
    ["-A INPUT -j KUBE-NOWHERE", 4, /jump to chain KUBE-NOWHERE, which is not declared/],
    ["-A NOPE -j ACCEPT", 4, /chain NOPE does not exist/],
    ["-A INPUT -s 10.0.0.300 -j ACCEPT", 4, /bad address "10.0.0.300": octet 4 is above 255/],
    ["-A INPUT -d 10.0.0.0/33 -j ACCEPT", 4, /bad prefix length/],
    ["-A INPUT -m tcp --dport 80 -j ACCEPT", 4, /-m tcp is only valid with -p tcp/],
    ["-A INPUT -p tcp -j DNAT --to-destination 10.0.0.1:80", 4, /DNAT is only valid in the nat table/],
    ['-A INPUT -m comment --comment "unterminated -j ACCEPT', 4, /unterminated quoted string/],
    ["-A INPUT -m statistic --mode nth --every 2 -j ACCEPT", 4, /not modelled/],
    ["-A INPUT -o eth0 -j ACCEPT", 4, /can't use -o with INPUT/],
  ])("refuses %s with its line number", (rule, line, message) => {
    const error = errorOf(wrap(rule));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(RulesetError);
    expect((error as RulesetError).line).toBe(line);
    expect((error as Error).message).toMatch(message);
  });

  it("refuses a table without COMMIT, naming the table's line", () => {
    const error = errorOf("# dump\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\n") as RulesetError;
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/missing its COMMIT/);
  });

  it("refuses MASQUERADE in a user chain reached from PREROUTING, and jump loops", () => {
    const nat = (rules: string) => `*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:X - [0:0]\n${rules}\nCOMMIT\n`;
    expect(() => parseIptablesSave(nat("-A PREROUTING -j X\n-A X -j MASQUERADE"))).toThrow(/MASQUERADE cannot run in PREROUTING/);
    expect(() => parseIptablesSave(nat("-A POSTROUTING -j X\n-A X -j MASQUERADE"))).not.toThrow();
    expect(() => parseIptablesSave(nat("-A X -j X"))).not.toThrow(); // unreachable loops are left alone
    expect(() => parseIptablesSave(nat("-A PREROUTING -j X\n-A X -j X"))).toThrow(/jump loop/);
  });

  it("masks host bits the way iptables does, and accepts dotted masks", () => {
    const rs = parseIptablesSave(wrap("-A INPUT -s 10.4.1.5/14 -d 192.168.0.0/255.255.0.0 -j ACCEPT"));
    expect(rs.tables.filter!.chains.get("INPUT")!.rules[0]!.matches.map((m) => m.text)).toEqual(["-s 10.4.0.0/14", "-d 192.168.0.0/16"]);
  });
});
