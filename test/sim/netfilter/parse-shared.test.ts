import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kubeProxyIptables } from "../../../src/sim/kube/iptables";
import { syntheticCluster } from "../../../src/sim/kube/synthetic";
import { parseIpv4 } from "../../../src/sim/net/ipv4";
import { dottedQuadValue } from "../../../src/sim/netfilter/dotted-quad";
import { parseIptablesSave, type Rule } from "../../../src/sim/netfilter";
import { fixture } from "./fixtures";

// parseIptablesSave shares what a large dump repeats (compiled matches, the previous rule's chain
// and jump target) and takes shortcuts for the usual spellings of chain lines and addresses. These
// check that none of it shows: a rule parses the same wherever it stands, and the shortcuts accept
// and refuse what the general paths do.
const view = (rule: Rule) => ({
  table: rule.table,
  chain: rule.chain,
  text: rule.text,
  comment: rule.comment,
  counters: rule.counters,
  matches: rule.matches.map(({ test: _, ...m }) => m),
  target: rule.target,
  targetText: rule.targetText,
});

const outcome = <T,>(f: () => T): T | string => {
  try {
    return f();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
};

describe("parseIptablesSave's shared parts", () => {
  // Parts that differ only in a "!", a case, a direction or -j/-g, one after another.
  const lookalikes = [
    "*filter",
    ":INPUT ACCEPT [0:0]",
    ":X - [0:0]",
    ...["-p tcp", "! -p tcp", "-p TCP", "-p 6", "-s 10.0.0.0/8", "! -s 10.0.0.0/8", "-d 10.0.0.0/8", "-s 10.0.0.1/32", "-s 10.0.0.1"].map((m) => `-A INPUT ${m} -j X`),
    ...["--dport 80", "! --dport 80", "--sport 80", "--destination-port 80", "--dport 80:90"].flatMap((m) => [`-A INPUT -p tcp -m tcp ${m} -j X`, `-A INPUT -p udp -m udp ${m} -g X`]),
    ...["0.5", "0.50", "0.25"].flatMap((p) => [`-A X -m statistic --mode random --probability ${p} -j ACCEPT`, `-A X -m statistic --mode random ! --probability ${p} -j DROP`]),
    "-A INPUT -j X",
    "-A INPUT -g X",
    "-A INPUT -g X",
    "-A INPUT -j X",
    "COMMIT",
    "",
  ].join("\n");
  const dumps = [
    kubeProxyIptables(syntheticCluster({ services: 40, endpointsPerService: 3, nodePortEvery: 3 })).text,
    fixture("kube-proxy-overall.iptables-save"),
    lookalikes,
  ];
  const ctx = { proto: 6, src: 0x0a040105, dst: 0x0a60000a, srcPort: 40000, dstPort: 80, inIface: "eth0", outIface: "", mark: 0x4000, ctstate: 2, hook: "PREROUTING" } as const;
  const env = { addressType: () => "UNICAST" as const, ipset: () => ({ has: () => false }), recent: { seen: () => undefined, record: () => {}, remove: () => {} }, now: 0 };

  it("parses each rule of a dump as it parses that rule alone", () => {
    for (const dump of dumps) {
      const whole = parseIptablesSave(dump);
      const lines = dump.split("\n");
      for (const [name, table] of Object.entries(whole.tables)) {
        const start = lines.indexOf(`*${name}`);
        const declarations = lines.slice(start + 1, lines.indexOf("COMMIT", start)).filter((l) => l.startsWith(":"));
        for (const chain of table.chains.values()) {
          for (const rule of chain.rules) {
            const alone = parseIptablesSave([`*${name}`, ...declarations, rule.text, "COMMIT", ""].join("\n")).tables[table.name]!.chains.get(chain.name)!.rules[0]!;
            expect(view(alone)).toEqual(view(rule));
            expect(rule.matches.map((m) => m.test(ctx, env))).toEqual(alone.matches.map((m) => m.test(ctx, env)));
          }
        }
      }
    }
  });

  it("appends to a chain declared again after -X, not to the one it replaced", () => {
    const rs = parseIptablesSave("*filter\n:X - [0:0]\n-A X -j ACCEPT\n-X X\n:X - [0:0]\n-A X -j DROP\n-N Y\n-A Y -j RETURN\n-X Y\n-N Y\n-A Y -j ACCEPT\nCOMMIT\n");
    expect(rs.tables.filter!.chains.get("X")!.rules.map((r) => r.targetText)).toEqual(["DROP"]);
    expect(rs.tables.filter!.chains.get("Y")!.rules.map((r) => r.targetText)).toEqual(["ACCEPT"]);
  });

  it("reads chain lines in any spacing as the ':NAME POLICY [p:b]' expression does", () => {
    const chainLine = fc
      .tuple(
        fc.constantFrom("KUBE-SVC-X", "A", "OUTPUT", "x".repeat(29), "DNAT", "é", "[0:0]"),
        fc.constantFrom(" ", "  ", "\t", " \t", "\u00a0"),
        fc.constantFrom("-", "ACCEPT", "DROP", "x"),
        fc.constantFrom("", " [0:0]", "\t[12:345]", " [a:0]", " [0:0] x", " [0:0]\u3000", "  [1:2]  "),
      )
      .map(([name, gap, policy, counters]) => `:${name}${gap}${policy}${counters}`);
    fc.assert(
      fc.property(chainLine, (line) => {
        const re = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/.exec(line.trim());
        const rs = outcome(() => parseIptablesSave(`*nat\n${line}\nCOMMIT\n`));
        if (!re) expect(rs).toMatch(/a chain line reads/);
        else if (typeof rs !== "string") expect(rs.tables.nat!.chains.get(re[1]!)?.line).toBe(2);
      }),
      { numRuns: 500 },
    );
  });

  it("dottedQuadValue is parseIpv4, value or error, for any short string of digits and dots", () => {
    const text = fc.array(fc.constantFrom("0", "1", "2", "5", "9", ".", ".", " ", "a"), { maxLength: 16 }).map((cs) => cs.join(""));
    const quad = fc.tuple(...[0, 1, 2, 3].map(() => fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom("00", "01", "010", "")))).map((o) => o.join("."));
    fc.assert(
      fc.property(fc.oneof(text, quad), (s) => {
        expect(outcome(() => dottedQuadValue(s))).toEqual(outcome(() => parseIpv4(s)));
      }),
      { numRuns: 2000 },
    );
  });
});
