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
 */

const TABLE_ORDER = ["raw", "mangle", "filter", "nat", "security"];
const BUILTIN_ORDER = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

/** Splits a rule into arguments, honouring double quotes as iptables-restore does. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === " ") {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let j = i + 1;
      let value = "";
      while (j < line.length && line[j] !== '"') {
        if (line[j] === "\\" && j + 1 < line.length) j++;
        value += line[j++];
      }
      tokens.push(value);
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== " ") j++;
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

/** %.11f of an exact binary value: toFixed is exact for the values a 31-bit threshold yields. */
function kernelProbability(text: string): string {
  const threshold = Math.round(Number(text) * 0x80000000);
  return (threshold / 0x80000000).toFixed(11);
}

const quote = (s: string) => `"${s.replace(/(["\\])/g, "\\$1")}"`;

/** One `-A` rule in the kernel's spelling. */
export function kernelRule(line: string): string {
  const args = tokenize(line);
  const chain = args[1]!;
  const header: Record<string, string> = {};
  const matches: string[][] = [];
  let target: string[] = [];
  // Options after a header option still belong to the last -m match: kube-proxy writes
  // `-m tcp -p tcp -d 10.96.0.10 --dport 53`, where --dport is the tcp match's.
  let last: string[] | null = null;
  for (let i = 2; i < args.length; ) {
    const negated = args[i] === "!";
    const opt = negated ? args[i + 1]! : args[i]!;
    const start = negated ? i + 1 : i;
    if (["-s", "-d", "-i", "-o", "-p"].includes(opt)) {
      const value = args[start + 1]!;
      const v = opt === "-s" || opt === "-d" ? withPrefix(value) : value;
      header[opt] = `${negated ? "! " : ""}${opt} ${v}`;
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
  const parts = [`-A ${chain}`, ...["-s", "-d", "-i", "-o", "-p"].flatMap((k) => (header[k] ? [header[k]!] : []))];
  for (const group of matches) parts.push(matchText(group));
  if (target.length) parts.push(targetText(target));
  return parts.join(" ");
}

function matchText(group: string[]): string {
  const name = group[group[0] === "!" ? 2 : 1]!;
  const out: string[] = [];
  for (let i = 0; i < group.length; i++) {
    const t = group[i]!;
    const next = group[i + 1];
    if (name === "comment" && t === "--comment" && next !== undefined) {
      out.push(t, quote(next));
      i++;
    } else if (name === "mark" && t === "--mark" && next !== undefined) {
      out.push(t, markValue(next));
      i++;
    } else if (name === "statistic" && t === "--probability" && next !== undefined) {
      out.push(t, kernelProbability(next));
      i++;
    } else if (name === "nfacct" && t === "--nfacct-name" && next !== undefined) {
      out.push(`${t}  ${next}`);
      i++;
    } else out.push(t);
  }
  if (name === "recent") return recentText(out);
  return out.join(" ");
}

/** libxt_recent saves its options in a fixed order, whatever order they were given in. */
function recentText(tokens: string[]): string {
  const has = (flag: string) => tokens.includes(flag);
  const value = (flag: string) => (tokens.includes(flag) ? tokens[tokens.indexOf(flag) + 1] : undefined);
  const parts = ["-m recent"];
  for (const command of ["--set", "--rcheck", "--update", "--remove"]) if (has(command)) parts.push(command);
  if (has("--seconds")) parts.push(`--seconds ${value("--seconds")}`);
  if (has("--reap")) parts.push("--reap");
  if (has("--hitcount")) parts.push(`--hitcount ${value("--hitcount")}`);
  if (has("--rttl")) parts.push("--rttl");
  parts.push(`--name ${value("--name") ?? "DEFAULT"}`);
  parts.push(`--mask ${value("--mask") ?? "255.255.255.255"}`);
  parts.push(has("--rdest") ? "--rdest" : "--rsource");
  return parts.join(" ");
}

function targetText(target: string[]): string {
  const [jump, name, ...opts] = target as [string, string, ...string[]];
  if (name === "MARK") {
    const [op, value] = opts as [string, string];
    if (op === "--or-mark") return `${jump} MARK --set-xmark ${hex(value)}/${hex(value)}`;
    if (op === "--xor-mark") return `${jump} MARK --set-xmark ${hex(value)}/0x0`;
    if (op === "--set-xmark" || op === "--set-mark") return `${jump} MARK --set-xmark ${markValue(value.includes("/") ? value : `${value}/0xffffffff`)}`;
  }
  if (name === "REJECT" && !opts.includes("--reject-with")) return `${jump} REJECT --reject-with icmp-port-unreachable`;
  return [jump, name, ...opts].join(" ");
}

/**
 * A whole iptables-restore input as `iptables-save` prints it back from the kernel (without its
 * `#` timestamp lines).
 *
 * @example asKernelSaves("*nat\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m tcp -p tcp -d 10.96.0.10 --dport 53 -j DROP\nCOMMIT\n")
 */
export function asKernelSaves(text: string): string {
  const tables = new Map<string, { chains: string[]; rules: Map<string, string[]> }>();
  let current: { chains: string[]; rules: Map<string, string[]> } | null = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) {
      current = { chains: [], rules: new Map() };
      tables.set(line.slice(1), current);
    } else if (line.startsWith(":") && current) {
      current.chains.push(line);
      current.rules.set(line.slice(1).split(" ")[0]!, []);
    } else if (line.startsWith("-A ") && current) {
      const chain = line.split(" ")[1]!;
      current.rules.get(chain)?.push(kernelRule(line)) ?? current.rules.set(chain, [kernelRule(line)]);
    }
  }
  const out: string[] = [];
  const names = [...tables.keys()].sort((a, b) => TABLE_ORDER.indexOf(a) - TABLE_ORDER.indexOf(b));
  for (const name of names) {
    const table = tables.get(name)!;
    const chainName = (header: string) => header.slice(1).split(" ")[0]!;
    const builtins = table.chains.filter((c) => BUILTIN_ORDER.includes(chainName(c))).sort((a, b) => BUILTIN_ORDER.indexOf(chainName(a)) - BUILTIN_ORDER.indexOf(chainName(b)));
    const users = table.chains.filter((c) => !BUILTIN_ORDER.includes(chainName(c)));
    out.push(`*${name}`, ...builtins, ...users);
    for (const header of [...builtins, ...users]) out.push(...(table.rules.get(chainName(header)) ?? []));
    out.push("COMMIT");
  }
  return `${out.join("\n")}\n`;
}
