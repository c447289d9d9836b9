import type { Family } from "../iptables/ip";
import type { KubeProxyConfiguration } from "../model";
import type { IpSetBuilder } from "./ipset";

/** One rule as `iptables-save` prints it after the chain name ("-A CHAIN " + spec). */
export interface IptablesRule {
  readonly table: "filter" | "nat";
  readonly chain: string;
  readonly spec: string;
}

const NAT_CHAINS = ["KUBE-SERVICES", "KUBE-POSTROUTING", "KUBE-NODE-PORT", "KUBE-LOAD-BALANCER", "KUBE-MARK-MASQ"];
const FILTER_CHAINS = [
  "KUBE-FORWARD",
  "KUBE-NODE-PORT",
  "KUBE-PROXY-FIREWALL",
  "KUBE-SOURCE-RANGES-FIREWALL",
  "KUBE-IPVS-FILTER",
  "KUBE-IPVS-OUT-FILTER",
];
const BUILTIN: Record<"filter" | "nat", string[]> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
};

/**
 * libxtables xtables_save_string: a value made only of [A-Za-z0-9_-] is printed bare, anything else
 * in double quotes with `"` and `\` escaped. That is why `iptables-save` shows
 * `--comment "kubernetes service portals"` but would show `--comment x` bare.
 */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/(["\\])/g, "\\$1")}"`;
}

function comment(text: string): string {
  return `-m comment --comment ${saveString(text)}`;
}

/** `iptables-save` prints an address match with its prefix, "/32" included (ip6tables-save: "/128"). */
function addr(text: string, family: Family): string {
  return text.includes("/") ? text : `${text}/${family === "IPv6" ? 128 : 32}`;
}

const PROTO_NUMBER: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 };

export interface IptablesInputs {
  readonly config: KubeProxyConfiguration;
  /** "! -s 10.4.0.0/14", "! -i cbr0" … the LocalTrafficDetector's IfNotLocal() in save order; null when not implemented. */
  readonly ifNotLocal: string | null;
  readonly sets: ReadonlyMap<string, IpSetBuilder>;
  /** lbNoNodeAccessIPPortProtocolEntries: LB IP, port and protocol the node itself may not reach. */
  readonly lbNoNodeAccess: readonly { ip: string; port: number; protocol: string }[];
  /** The proxier's family: IPv6 rules go to ip6tables. Default IPv4. */
  readonly family?: Family;
}

/**
 * The rules kube-proxy's IPVS proxier writes (proxier.go createAndLinkKubeChain + writeIptablesRules,
 * 1.31), already in the canonical form `iptables-save` (IPv6: `ip6tables-save`) prints back:
 *   - matches on the IP header (-s, -i, -p) come first whatever order kube-proxy wrote them in;
 *   - `--mark 0x004000/0x004000` (kube-proxy formats with %#08x) reads back as `0x4000/0x4000`;
 *   - `MARK --or-mark M` is saved as `--set-xmark M/M`, `MARK --xor-mark M` as `--set-xmark M/0x0`;
 *   - REJECT gains its default `--reject-with icmp-port-unreachable` (ip6tables: `icmp6-port-unreachable`,
 *     libip6t_REJECT's default);
 *   - `-m ipvs --vaddr A --vproto tcp --vport P` reads back as `--vproto 6 --vaddr A --vport P`.
 * These were checked by restoring kube-proxy's own text with iptables-restore 1.8.9 (nf_tables) and
 * saving it again (test/kernel/ipvs.test.ts does it for every run where the kernel allows).
 *
 * The IPv6 proxier writes the same rules into ip6tables, with its own sets (KUBE-6-…), `::1/128` in
 * place of 127.0.0.0/8 for the localhost RETURN, and its family's prefix lengths.
 *
 * Unlike iptables mode, nothing here grows with the number of Services or endpoints: each rule
 * matches a whole ipset, and the per-Service data lives in the sets and in IPVS.
 */
export function kubeProxyIpvsRules(input: IptablesInputs): IptablesRule[] {
  const family = input.family ?? "IPv4";
  const rules: IptablesRule[] = [];
  const nat = (chain: string, spec: string) => rules.push({ table: "nat", chain, spec });
  const filter = (chain: string, spec: string) => rules.push({ table: "filter", chain, spec });
  const set = (name: string) => {
    const s = input.sets.get(name);
    if (!s) throw new Error(`ipset ${name} missing`);
    return s;
  };
  // masqueradeBit 14 → 0x4000; iptables-save prints marks in lower-case hex without padding.
  const mark = `0x${(2 ** input.config.iptables.masqueradeBit).toString(16)}`;

  // createAndLinkKubeChain: EnsureRule(Prepend, …) for each jump, in iptablesJumpChain order. Each
  // prepend goes to position 1, so in a chain with several jumps the *last* one listed ends up first.
  const jumps: [("filter" | "nat"), string, string, string][] = [
    ["nat", "OUTPUT", "KUBE-SERVICES", "kubernetes service portals"],
    ["nat", "PREROUTING", "KUBE-SERVICES", "kubernetes service portals"],
    ["nat", "POSTROUTING", "KUBE-POSTROUTING", "kubernetes postrouting rules"],
    ["filter", "FORWARD", "KUBE-FORWARD", "kubernetes forwarding rules"],
    ["filter", "INPUT", "KUBE-NODE-PORT", "kubernetes health check rules"],
    ["filter", "INPUT", "KUBE-PROXY-FIREWALL", "kube-proxy firewall rules"],
    ["filter", "FORWARD", "KUBE-PROXY-FIREWALL", "kube-proxy firewall rules"],
    ["filter", "INPUT", "KUBE-IPVS-FILTER", "kubernetes ipvs access filter"],
    ["filter", "OUTPUT", "KUBE-IPVS-OUT-FILTER", "kubernetes ipvs access filter"],
  ];
  const builtinRules = new Map<string, IptablesRule[]>();
  for (const [table, from, to, text] of jumps) {
    const key = `${table}/${from}`;
    const list = builtinRules.get(key) ?? [];
    list.unshift({ table, chain: from, spec: `${comment(text)} -j ${to}` });
    builtinRules.set(key, list);
  }
  for (const list of builtinRules.values()) rules.push(...list);

  // "Dismiss connects to localhost early in the service chain."
  nat("KUBE-SERVICES", `-s ${family === "IPv6" ? "::1/128" : "127.0.0.0/8"} -j RETURN`);

  // ipsetWithIptablesChain, in its declared order; a rule only for a non-empty set.
  const withChain: [string, "nat" | "filter", string, string, string, string][] = [
    ["KUBE-LOOP-BACK", "nat", "KUBE-POSTROUTING", "MASQUERADE", "dst,dst,src", ""],
    ["KUBE-LOAD-BALANCER", "nat", "KUBE-SERVICES", "KUBE-LOAD-BALANCER", "dst,dst", ""],
    ["KUBE-LOAD-BALANCER-LOCAL", "nat", "KUBE-LOAD-BALANCER", "RETURN", "dst,dst", ""],
    ["KUBE-NODE-PORT-LOCAL-TCP", "nat", "KUBE-NODE-PORT", "RETURN", "dst", "tcp"],
    ["KUBE-NODE-PORT-TCP", "nat", "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst", "tcp"],
    ["KUBE-NODE-PORT-LOCAL-UDP", "nat", "KUBE-NODE-PORT", "RETURN", "dst", "udp"],
    ["KUBE-NODE-PORT-UDP", "nat", "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst", "udp"],
    ["KUBE-NODE-PORT-LOCAL-SCTP-HASH", "nat", "KUBE-NODE-PORT", "RETURN", "dst,dst", "sctp"],
    ["KUBE-NODE-PORT-SCTP-HASH", "nat", "KUBE-NODE-PORT", "KUBE-MARK-MASQ", "dst,dst", "sctp"],
    ["KUBE-LOAD-BALANCER-FW", "filter", "KUBE-PROXY-FIREWALL", "KUBE-SOURCE-RANGES-FIREWALL", "dst,dst", ""],
    ["KUBE-LOAD-BALANCER-SOURCE-CIDR", "filter", "KUBE-SOURCE-RANGES-FIREWALL", "RETURN", "dst,dst,src", ""],
    ["KUBE-LOAD-BALANCER-SOURCE-IP", "filter", "KUBE-SOURCE-RANGES-FIREWALL", "RETURN", "dst,dst,src", ""],
  ];
  for (const [name, table, from, to, matchType, proto] of withChain) {
    const s = set(name);
    if (s.isEmpty) continue;
    const spec = `${proto ? `-p ${proto} ` : ""}${comment(s.comment)} -m set --match-set ${s.name} ${matchType} -j ${to}`;
    rules.push({ table, chain: from, spec });
  }

  const clusterIP = set("KUBE-CLUSTER-IP");
  if (!clusterIP.isEmpty) {
    const match = `${comment(clusterIP.comment)} -m set --match-set ${clusterIP.name}`;
    if (input.config.iptables.masqueradeAll) nat("KUBE-SERVICES", `${match} dst,dst -j KUBE-MARK-MASQ`);
    else if (input.ifNotLocal !== null) nat("KUBE-SERVICES", `${input.ifNotLocal} ${match} dst,dst -j KUBE-MARK-MASQ`);
    // No local detector: masquerade node-originated traffic whose source is a VIP (the dummy
    // interface makes the kernel pick a VIP as source address when talking to a VIP).
    else nat("KUBE-SERVICES", `${match} src,dst -j KUBE-MARK-MASQ`);
  }

  const externalIPRules = (match: string) => {
    nat("KUBE-SERVICES", `${match} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat("KUBE-SERVICES", `${match} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  const externalIP = set("KUBE-EXTERNAL-IP");
  if (!externalIP.isEmpty) {
    const match = `${comment(externalIP.comment)} -m set --match-set ${externalIP.name} dst,dst`;
    nat("KUBE-SERVICES", `${match} -j KUBE-MARK-MASQ`);
    externalIPRules(match);
  }
  const externalIPLocal = set("KUBE-EXTERNAL-IP-LOCAL");
  if (!externalIPLocal.isEmpty) externalIPRules(`${comment(externalIPLocal.comment)} -m set --match-set ${externalIPLocal.name} dst,dst`);

  nat("KUBE-SERVICES", "-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT");
  nat("KUBE-LOAD-BALANCER", "-j KUBE-MARK-MASQ");
  filter("KUBE-SOURCE-RANGES-FIREWALL", "-j DROP");
  for (const entry of input.lbNoNodeAccess) {
    filter(
      "KUBE-IPVS-OUT-FILTER",
      `-s ${addr(entry.ip, family)} -m ipvs --vproto ${PROTO_NUMBER[entry.protocol] ?? 0} --vaddr ${entry.ip} --vport ${entry.port} -j DROP`,
    );
  }
  // acceptIPVSTraffic: must stay at the end of KUBE-SERVICES.
  for (const name of ["KUBE-CLUSTER-IP", "KUBE-LOAD-BALANCER"]) {
    if (!set(name).isEmpty) nat("KUBE-SERVICES", `-m set --match-set ${set(name).name} dst,dst -j ACCEPT`);
  }
  filter("KUBE-FORWARD", `${comment("kubernetes forwarding rules")} -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter("KUBE-FORWARD", `${comment("kubernetes forwarding conntrack rule")} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  filter(
    "KUBE-NODE-PORT",
    `${comment("Kubernetes health check node port")} -m set --match-set ${set("KUBE-HEALTH-CHECK-NODE-PORT").name} dst -j ACCEPT`,
  );
  // KUBE-IPVS-FILTER (kubernetes#72236): a NEW connection to a kube-ipvs0 address on a port that is
  // not a Service port is rejected, so a ClusterIP does not expose the node's own listening ports.
  filter("KUBE-IPVS-FILTER", `-m set --match-set ${set("KUBE-LOAD-BALANCER").name} dst,dst -j RETURN`);
  filter("KUBE-IPVS-FILTER", `-m set --match-set ${set("KUBE-CLUSTER-IP").name} dst,dst -j RETURN`);
  filter("KUBE-IPVS-FILTER", `-m set --match-set ${set("KUBE-EXTERNAL-IP").name} dst,dst -j RETURN`);
  filter("KUBE-IPVS-FILTER", `-m set --match-set ${set("KUBE-EXTERNAL-IP-LOCAL").name} dst,dst -j RETURN`);
  filter("KUBE-IPVS-FILTER", `-m set --match-set ${set("KUBE-HEALTH-CHECK-NODE-PORT").name} dst -j RETURN`);
  // kube-proxy writes a bare `-j REJECT`; the save shows the family's default ICMP type.
  const rejectWith = family === "IPv6" ? "icmp6-port-unreachable" : "icmp-port-unreachable";
  filter(
    "KUBE-IPVS-FILTER",
    `-m conntrack --ctstate NEW -m set --match-set ${set("KUBE-IPVS-IPS").name} dst -j REJECT --reject-with ${rejectWith}`,
  );
  nat("KUBE-POSTROUTING", `-m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat("KUBE-POSTROUTING", `-j MARK --set-xmark ${mark}/0x0`);
  // iptables ≥ 1.6.2 has --random-fully, so kube-proxy's HasRandomFully() is true.
  nat("KUBE-POSTROUTING", `${comment("kubernetes service traffic requiring SNAT")} -j MASQUERADE --random-fully`);
  nat("KUBE-MARK-MASQ", `-j MARK --set-xmark ${mark}/${mark}`);
  return rules;
}

/**
 * Formats rules the way `iptables-save` (1.8.9, nf_tables backend) lists them — and `ip6tables-save`,
 * whose layout is the same: `*filter` before
 * `*nat`, the built-in chains with their ACCEPT policy and zero counters, then kube-proxy's chains
 * sorted by name, then every rule grouped by chain in that same order.
 *
 * The `# Generated by iptables-save … on <date>` and `# Completed on <date>` comment lines are left
 * out: they carry the wall-clock time, and a simulation that must print the same bytes on every run
 * cannot know it. iptables-restore ignores them.
 */
export function iptablesSave(rules: readonly IptablesRule[]): string {
  const out: string[] = [];
  for (const table of ["filter", "nat"] as const) {
    const userChains = (table === "nat" ? NAT_CHAINS : FILTER_CHAINS).slice().sort();
    out.push(`*${table}`);
    for (const chain of BUILTIN[table]) out.push(`:${chain} ACCEPT [0:0]`);
    for (const chain of userChains) out.push(`:${chain} - [0:0]`);
    for (const chain of [...BUILTIN[table], ...userChains]) {
      for (const rule of rules) if (rule.table === table && rule.chain === chain) out.push(`-A ${chain} ${rule.spec}`);
    }
    out.push("COMMIT");
  }
  return `${out.join("\n")}\n`;
}
