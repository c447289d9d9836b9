/**
 * kube-proxy writes its rules for `iptables-restore`; a learner who runs `iptables-save` on a real node
 * sees them as the kernel gives them back. This turns the first form into the second, so the
 * course's rules can be diffed against a real node's. What changes (each checked against
 * iptables-nft 1.8.9 by test/kernel/generated-rules.test.ts, which loads our rules and compares the
 * kernel's `iptables-save` line by line):
 *
 * - tables in the order the kernel lists them (mangle, filter, nat), chains' rules grouped under
 *   their chain in declaration order;
 * - the header matches first and in a fixed order (-s, -d, -i, -o, -p), then the -m matches as
 *   written, then the target;
 * - addresses with their prefix length (`10.96.0.10/32`); every comment quoted; mark values in
 *   short hex (`0x4000/0x4000`); MARK's --or-mark / --xor-mark as the --set-xmark they are;
 *   REJECT's default --reject-with spelled out; nfacct's name after two spaces (libxt_nfacct's
 *   save prints its own leading space);
 * - statistic's probability as the kernel stores it: a 31-bit threshold, round(p × 2^31), printed
 *   back with 11 decimals.
 *
 * For the IPv6 proxier's rules (`family` "IPv6") ip6tables-save has its own spellings, checked
 * against ip6tables 1.8.9 by test/kernel/ipv6-rules.test.ts: REJECT's default type is
 * icmp6-port-unreachable (libip6t_REJECT), and recent's default --mask is the 128-bit all-ones mask
 * (libxt_recent prints the mask in the rule's family); addresses get "/128".
 */
import type { Family } from "./ip";

const TABLE_ORDER = ["raw", "mangle", "filter", "nat", "security"];
const BUILTIN_ORDER = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

/** Splits a rule into arguments, honouring double quotes as iptables-restore does. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32) {
      i++;
    } else if (c === 34) {
      // A quoted argument runs to the next quote; a backslash takes the character after it as is.
      let close = line.indexOf('"', i + 1);
      if (close < 0) close = n;
      const backslash = line.indexOf("\\", i + 1);
      if (backslash < 0 || backslash >= close) {
        tokens.push(line.slice(i + 1, close));
        i = close + 1;
        continue;
      }
      let j = i + 1;
      let value = "";
      while (j < n && line[j] !== '"') {
        if (line[j] === "\\" && j + 1 < n) j++;
        value += line[j++];
      }
      tokens.push(value);
      i = j + 1;
    } else {
      let j = line.indexOf(" ", i);
      if (j < 0) j = n;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

const withPrefix = (address: string) => (address.includes("/") ? address : address.includes(":") ? `${address}/128` : `${address}/32`);

function hex(text: string): string {
  return `0x${Number.parseInt(text, 16).toString(16)}`;
}

function markValue(text: string): string {
  const [value, mask] = text.split("/");
  return mask === undefined ? hex(value!) : `${hex(value!)}/${hex(mask)}`;
}

const probabilities = new Map<string, string>();

/** %.11f of an exact binary value: toFixed is exact for the values a 31-bit threshold yields. */
function kernelProbability(text: string): string {
  let p = probabilities.get(text);
  if (p === undefined) {
    const threshold = Math.round(Number(text) * 0x80000000);
    probabilities.set(text, (p = (threshold / 0x80000000).toFixed(11)));
  }
  return p;
}

const quote = (s: string) => (s.includes('"') || s.includes("\\") ? `"${s.replace(/(["\\])/g, "\\$1")}"` : `"${s}"`);

/** The header options, in the order iptables-save prints them. */
const HEADER_OPTIONS = ["-s", "-d", "-i", "-o", "-p"];

/** What each family's save prints where kube-proxy leaves an option at its default. */
const DEFAULTS: Record<Family, { reject: string; recentMask: string }> = {
  IPv4: { reject: "icmp-port-unreachable", recentMask: "255.255.255.255" },
  IPv6: { reject: "icmp6-port-unreachable", recentMask: "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" },
};

/** One `-A` rule in the kernel's spelling (`iptables-save`, or `ip6tables-save` for "IPv6"). */
export function kernelRule(line: string, family: Family = "IPv4"): string {
  const args = tokenize(line);
  const chain = args[1]!;
  // By HEADER_OPTIONS' index: the option as printed (a repeated one, the last).
  const header: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  const matches: string[][] = [];
  let target: string[] = [];
  // Options after a header option still belong to the last -m match: kube-proxy writes
  // `-m tcp -p tcp -d 10.96.0.10 --dport 53`, where --dport is the tcp match's.
  let last: string[] | null = null;
  for (let i = 2; i < args.length; ) {
    const negated = args[i] === "!";
    const opt = negated ? args[i + 1]! : args[i]!;
    const start = negated ? i + 1 : i;
    const h = HEADER_OPTIONS.indexOf(opt);
    if (h >= 0) {
      const value = args[start + 1]!;
      const v = h < 2 ? withPrefix(value) : value;
      header[h] = negated ? `! ${opt} ${v}` : `${opt} ${v}`;
      i = start + 2;
    } else if (opt === "-m") {
      last = negated ? ["!", "-m", args[start + 1]!] : ["-m", args[start + 1]!];
      matches.push(last);
      i = start + 2;
    } else if (opt === "-j" || opt === "-g") {
      target = args.slice(start);
      break;
    } else if (last) {
      if (negated) last.push("!");
      last.push(opt);
      i = start + 1;
    } else {
      throw new Error(`cannot place option ${opt} in: ${line}`);
    }
  }
  const parts = [`-A ${chain}`];
  for (const h of header) if (h) parts.push(h);
  for (const group of matches) parts.push(matchText(group, family));
  if (target.length) parts.push(targetText(target, family));
  return parts.join(" ");
}

function matchText(group: string[], family: Family): string {
  const name = group[group[0] === "!" ? 2 : 1]!;
  // The option whose value the kernel prints its own way, if this match has one.
  const special =
    name === "comment" ? "--comment" : name === "mark" ? "--mark" : name === "statistic" ? "--probability" : name === "nfacct" ? "--nfacct-name" : "";
  if (special === "" || !group.includes(special)) return name === "recent" ? recentText(group, family) : group.join(" ");
  const out: string[] = [];
  for (let i = 0; i < group.length; i++) {
    const t = group[i]!;
    const next = group[i + 1];
    if (t === special && next !== undefined) {
      if (name === "comment") out.push(t, quote(next));
      else if (name === "mark") out.push(t, markValue(next));
      else if (name === "statistic") out.push(t, kernelProbability(next));
      else out.push(`${t}  ${next}`);
      i++;
    } else out.push(t);
  }
  return out.join(" ");
}

/** libxt_recent saves its options in a fixed order, whatever order they were given in. */
function recentText(tokens: string[], family: Family): string {
  const has = (flag: string) => tokens.includes(flag);
  const value = (flag: string) => (tokens.includes(flag) ? tokens[tokens.indexOf(flag) + 1] : undefined);
  const parts = ["-m recent"];
  for (const command of ["--set", "--rcheck", "--update", "--remove"]) if (has(command)) parts.push(command);
  if (has("--seconds")) parts.push(`--seconds ${value("--seconds")}`);
  if (has("--reap")) parts.push("--reap");
  if (has("--hitcount")) parts.push(`--hitcount ${value("--hitcount")}`);
  if (has("--rttl")) parts.push("--rttl");
  parts.push(`--name ${value("--name") ?? "DEFAULT"}`);
  parts.push(`--mask ${value("--mask") ?? DEFAULTS[family].recentMask}`);
  parts.push(has("--rdest") ? "--rdest" : "--rsource");
  return parts.join(" ");
}

function targetText(target: string[], family: Family): string {
  const [jump, name, ...opts] = target as [string, string, ...string[]];
  if (name === "MARK") {
    const [op, value] = opts as [string, string];
    if (op === "--or-mark") return `${jump} MARK --set-xmark ${hex(value)}/${hex(value)}`;
    if (op === "--xor-mark") return `${jump} MARK --set-xmark ${hex(value)}/0x0`;
    if (op === "--set-xmark" || op === "--set-mark") return `${jump} MARK --set-xmark ${markValue(value.includes("/") ? value : `${value}/0xffffffff`)}`;
  }
  if (name === "REJECT" && !opts.includes("--reject-with")) return `${jump} REJECT --reject-with ${DEFAULTS[family].reject}`;
  return [jump, name, ...opts].join(" ");
}

/**
 * A whole iptables-restore input as `iptables-save` prints it back from the kernel (without its
 * `#` timestamp lines); with `family` "IPv6", an ip6tables-restore input as `ip6tables-save` does.
 *
 * @example asKernelSaves("*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m tcp -p tcp -d 10.96.0.10 --dport 53 -j DROP\nCOMMIT\n")
 */
export function asKernelSaves(text: string, family: Family = "IPv4"): string {
  const tables = new Map<string, { chains: string[]; rules: Map<string, string[]> }>();
  let current: { chains: string[]; rules: Map<string, string[]> } | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) {
      current = { chains: [], rules: new Map() };
      tables.set(line.slice(1), current);
    } else if (line.startsWith(":") && current) {
      current.chains.push(line);
      current.rules.set(chainOfHeader(line), []);
    } else if (line.startsWith("-A ") && current) {
      const end = line.indexOf(" ", 3);
      const chain = end < 0 ? line.slice(3) : line.slice(3, end);
      const rule = kernelRule(line, family);
      const rules = current.rules.get(chain);
      if (rules) rules.push(rule);
      else current.rules.set(chain, [rule]);
    }
  }
  const out: string[] = [];
  const names = [...tables.keys()].sort((a, b) => TABLE_ORDER.indexOf(a) - TABLE_ORDER.indexOf(b));
  for (const name of names) {
    const table = tables.get(name)!;
    // Built-in chains first, in the kernel's hook order; then user chains as declared.
    const builtins: string[] = [];
    const users: string[] = [];
    for (const header of table.chains) (BUILTIN_ORDER.includes(chainOfHeader(header)) ? builtins : users).push(header);
    builtins.sort((a, b) => BUILTIN_ORDER.indexOf(chainOfHeader(a)) - BUILTIN_ORDER.indexOf(chainOfHeader(b)));
    out.push(`*${name}`);
    for (const header of builtins) out.push(header);
    for (const header of users) out.push(header);
    for (const headers of [builtins, users]) {
      for (const header of headers) for (const rule of table.rules.get(chainOfHeader(header)) ?? []) out.push(rule);
    }
    out.push("COMMIT");
  }
  // A final "" for the trailing newline, so that the text is one flat string.
  if (out.length === 0) return "\n";
  out.push("");
  return out.join("\n");
}

/** The chain a ":NAME POLICY [0:0]" line declares. */
function chainOfHeader(header: string): string {
  const end = header.indexOf(" ", 1);
  return end < 0 ? header.slice(1) : header.slice(1, end);
}
