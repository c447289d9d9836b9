import { parseIpv4 } from "../net/ipv4";
import { InputError } from "../net/errors";
import { CT_STATE_BITS, PROTOCOL_NUMBERS } from "./packet-state";
import {
  BUILTIN_CHAINS,
  type AddressTypeName,
  type Chain,
  type CompiledMatch,
  type Hook,
  type MatchContext,
  type RecentSpec,
  type Rule,
  type Ruleset,
  type Table,
  type TableName,
  type Target,
} from "./ruleset";
import { formatIpv6, IPV6_ALL_ONES, parseIpv6, prefixMask, toolOf, type Address, type Family } from "./address";
import { dottedQuadValue } from "./dotted-quad";
import { RulesetError, tokenizeRuleLine } from "./tokenize";

const TABLES: readonly TableName[] = ["raw", "mangle", "nat", "filter"];

/**
 * Parses iptables-save text (what `iptables-save`, `iptables-save -c` and kube-proxy's
 * iptables-restore input look like) into a ruleset whose matches are compiled for walking.
 *
 * It accepts what iptables-restore accepts and refuses, with the line number, what it refuses:
 * an option no supported match or target knows, a table without COMMIT, an -A or jump to a chain
 * not declared before that line, a bad address, a target used in a table or hook the kernel's
 * x_tables would reject (DNAT outside nat PREROUTING/OUTPUT, MASQUERADE outside POSTROUTING …),
 * and jump loops (the kernel's ELOOP). `#` lines are comments, as for iptables-restore.
 *
 * `family` "IPv6" reads an ip6tables-save dump the way ip6tables-restore does: IPv6 addresses and
 * prefixes up to /128, `--to-destination [addr]:port`, ICMPv6 REJECT types, and xt_addrtype's IPv6
 * rules (no BROADCAST, BLACKHOLE or PROHIBIT …); `parseIp6tablesSave` is the same call.
 *
 * @example
 * const ruleset = parseIptablesSave("*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.5:6443\nCOMMIT\n");
 * ruleset.tables.nat?.chains.get("PREROUTING")?.rules[0]?.target // { kind: "DNAT", … }
 * @throws RulesetError (an InputError) "line 3: unknown option \"--dprot\""
 */
export function parseIptablesSave(text: string, family: Family = "IPv4"): Ruleset {
  const tables: Partial<Record<TableName, Table>> = {};
  const state: ParseState = { family, ipsetNames: new Set(), shared: new Map(), lastChain: null, lastJump: null };
  const ipsetNames = state.ipsetNames;
  let current: Table | null = null;
  let ruleCount = 0;
  // The lines of text.split("\n"), cut one at a time: a line the ruleset does not keep (a chain
  // declaration, say) is then garbage at once instead of living as long as an array of all lines.
  let next = 0;
  for (let i = 0; next <= text.length; i++) {
    const lineNo = i + 1;
    const newline = text.indexOf("\n", next);
    const end = newline < 0 ? text.length : newline;
    const full = text.slice(next, end);
    next = end + 1;
    // A CRLF dump: drop the one "\r" before the "\n" (the /\r$/ of a line).
    const raw = full.charCodeAt(full.length - 1) === 13 ? full.slice(0, -1) : full;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (trimmed.startsWith("*")) {
      if (current) throw new RulesetError(lineNo, raw, `table ${current.name} (line ${current.line}) has no COMMIT before the next table`);
      const name = trimmed.slice(1);
      if (!(TABLES as readonly string[]).includes(name)) {
        throw new RulesetError(lineNo, raw, `unknown table "${name}"; iptables has raw, mangle, nat and filter (security is not modelled)`);
      }
      // iptables-restore without --noflush replaces the whole table: a second *nat starts afresh.
      current = newTable(name as TableName, lineNo);
      state.lastChain = null;
      tables[name as TableName] = current;
      continue;
    }
    if (!current) throw new RulesetError(lineNo, raw, "a rule or chain line before any *table line");
    if (trimmed === "COMMIT") {
      validateTable(current);
      for (const chain of current.chains.values()) indexByDestination(chain);
      current = null;
      continue;
    }
    if (trimmed.startsWith(":")) {
      state.lastChain = null;
      declareChain(current, trimmed, raw, lineNo);
      continue;
    }
    const rule = parseRuleLine(current, trimmed, raw, lineNo, state);
    if (rule) ruleCount++;
  }
  if (current) throw new RulesetError(current.line, `*${current.name}`, `table ${current.name} is missing its COMMIT line`);
  return { family, tables, ruleCount, ipsetNames: [...ipsetNames] };
}

/**
 * An ip6tables-save dump (what `ip6tables-save` prints and kube-proxy's IPv6 proxier restores).
 *
 * @example
 * const ruleset = parseIp6tablesSave("*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d fd00:10:96::1/128 -p tcp -m tcp --dport 443 -j DNAT --to-destination [fd00:10:180::5]:6443\nCOMMIT\n");
 * ruleset.family // "IPv6"
 */
export function parseIp6tablesSave(text: string): Ruleset {
  return parseIptablesSave(text, "IPv6");
}

/**
 * What one parse shares across its rules. A large dump repeats a few parts on most of its lines
 * (`-p tcp`, `-m tcp --dport 80`, `! -s 10.4.0.0/14`, the same five probabilities): each is compiled
 * once and the rules share the (read-only) match, which keeps a 170,000-rule ruleset a few hundred
 * thousand objects smaller for the garbage collector to copy and trace.
 */
interface ParseState {
  /** IPv4 for iptables-restore's dialect, IPv6 for ip6tables-restore's. */
  readonly family: Family;
  readonly ipsetNames: Set<string>;
  /** Compiled matches by a key naming everything they depend on. */
  readonly shared: Map<string, CompiledMatch>;
  /**
   * The chain the previous rule was appended to (iptables-save lists a chain's rules together), so
   * most rules find theirs without a lookup; null whenever a table's chains change.
   */
  lastChain: Chain | null;
  /** The previous rule's jump target, for the next rule to the same chain to share. */
  lastJump: Extract<Target, { kind: "JUMP" }> | null;
}

/** `compile()`, or the match an earlier rule compiled under the same key. */
function sharedMatch(state: ParseState, key: string, compile: () => CompiledMatch): CompiledMatch {
  let match = state.shared.get(key);
  if (match === undefined) state.shared.set(key, (match = compile()));
  return match;
}

function newTable(name: TableName, line: number): Table {
  const chains = new Map<string, Chain>();
  // iptables-restore registers every built-in chain of a table it loads, policy ACCEPT, whether or
  // not the dump declares it (kube-proxy's restore input declares none of them).
  for (const hook of BUILTIN_CHAINS[name]) {
    chains.set(hook, { table: name, name: hook, builtin: true, policy: "ACCEPT", line: null, rules: [] });
  }
  return { name, line, chains };
}

function declareChain(table: Table, trimmed: string, raw: string, line: number): void {
  const match = chainLine(trimmed);
  if (!match) throw new RulesetError(line, raw, 'a chain line reads ":NAME POLICY [packets:bytes]"');
  const [name, policy] = match;
  if (name.length > 28) throw new RulesetError(line, raw, `chain name "${name}" is longer than 28 characters (XT_EXTENSION_MAXNAMELEN)`);
  const builtin = (BUILTIN_CHAINS[table.name] as readonly string[]).includes(name);
  if (builtin) {
    // "-" on a built-in chain leaves the policy as it is: ACCEPT for a freshly restored table.
    if (policy !== "ACCEPT" && policy !== "DROP" && policy !== "-") {
      throw new RulesetError(line, raw, `policy "${policy}" is not ACCEPT or DROP`);
    }
    table.chains.set(name, { table: table.name, name, builtin, policy: policy === "DROP" ? "DROP" : "ACCEPT", line, rules: [] });
    return;
  }
  if (policy !== "-") throw new RulesetError(line, raw, `user chain ${name} cannot have a policy ("${policy}"); write "-"`);
  if (isTargetName(name)) throw new RulesetError(line, raw, `"${name}" is a target name and cannot be a chain`);
  table.chains.set(name, { table: table.name, name, builtin: false, policy: null, line, rules: [] });
}

/**
 * Name and policy of ":NAME POLICY [packets:bytes]", as /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/
 * captures them. The usual line (printable ASCII words, one space apart) is split directly; any other
 * goes to the expression.
 */
function chainLine(trimmed: string): [string, string] | null {
  const parts = trimmed.split(" ");
  if (
    (parts.length === 2 || (parts.length === 3 && COUNTERS.test(parts[2]!))) &&
    parts[0]!.length > 1 &&
    parts[0]!.charCodeAt(0) === 58 &&
    printable(parts[0]!) &&
    parts[1]!.length > 0 &&
    printable(parts[1]!)
  ) {
    return [parts[0]!.slice(1), parts[1]!];
  }
  const match = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/.exec(trimmed);
  return match ? [match[1]!, match[2]!] : null;
}

const COUNTERS = /^\[\d+:\d+\]$/;

/** Only characters from "!" to "~": no whitespace of any kind. */
function printable(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

const STANDARD_TARGETS = new Set(["ACCEPT", "DROP", "RETURN", "QUEUE"]);
const EXTENSION_TARGETS = new Set(["REJECT", "MARK", "DNAT", "SNAT", "MASQUERADE"]);
function isTargetName(name: string): boolean {
  return STANDARD_TARGETS.has(name) || EXTENSION_TARGETS.has(name);
}

/** A rule being assembled from its arguments before it is compiled. */
interface Draft {
  chain: string;
  command: "-A" | "-I" | "-N" | "-X";
  insertAt: number | null;
  header: { option: string; match: CompiledMatch }[];
  protocol: { name: string; inverted: boolean } | null;
  matches: CompiledMatch[];
  modules: ModuleDraft[];
  target: Target;
  targetText: string;
  /** null until the target has an option. */
  targetOptions: Map<string, string[]> | null;
  targetName: string | null;
  comment: string | null;
  counters: { packets: number; bytes: number } | null;
  usesInIface: boolean;
  usesOutIface: boolean;
}

interface ModuleDraft {
  name: string;
  options: { name: string; values: string[]; inverted: boolean }[];
}

/** Options each match module accepts, with the number of values each takes. */
const MODULE_OPTIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  comment: { "--comment": 1 },
  tcp: { "--dport": 1, "--destination-port": 1, "--sport": 1, "--source-port": 1 },
  udp: { "--dport": 1, "--destination-port": 1, "--sport": 1, "--source-port": 1 },
  sctp: { "--dport": 1, "--destination-port": 1, "--sport": 1, "--source-port": 1 },
  multiport: { "--dports": 1, "--destination-ports": 1, "--sports": 1, "--source-ports": 1, "--ports": 1 },
  addrtype: { "--src-type": 1, "--dst-type": 1, "--limit-iface-in": 0, "--limit-iface-out": 0 },
  mark: { "--mark": 1 },
  conntrack: { "--ctstate": 1 },
  state: { "--state": 1 },
  statistic: { "--mode": 1, "--probability": 1, "--every": 1, "--packet": 1 },
  recent: {
    "--name": 1, "--set": 0, "--rcheck": 0, "--update": 0, "--remove": 0, "--seconds": 1, "--hitcount": 1,
    "--reap": 0, "--rttl": 0, "--rsource": 0, "--rdest": 0, "--mask": 1,
  },
  set: { "--match-set": 2 },
  nfacct: { "--nfacct-name": 1 },
};

const TARGET_OPTIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  REJECT: { "--reject-with": 1 },
  MARK: { "--set-mark": 1, "--set-xmark": 1, "--or-mark": 1, "--and-mark": 1, "--xor-mark": 1 },
  DNAT: { "--to-destination": 1, "--random": 0, "--persistent": 0 },
  SNAT: { "--to-source": 1, "--random": 0, "--random-fully": 0, "--persistent": 0 },
  MASQUERADE: { "--to-ports": 1, "--random": 0, "--random-fully": 0 },
};

const SHORT_OPTIONS: Readonly<Record<string, string>> = {
  "--append": "-A", "--insert": "-I", "--new-chain": "-N", "--delete-chain": "-X",
  "--source": "-s", "--src": "-s", "--destination": "-d", "--dst": "-d",
  "--in-interface": "-i", "--out-interface": "-o", "--protocol": "-p", "--match": "-m", "--jump": "-j", "--goto": "-g",
};

// The tables above as Maps, for the per-word lookups: indexing an object by a word cut from the
// line costs a string-table lookup each time. Every key of these tables starts with "--" (or is a
// module or target name) and nothing Object.prototype has does, so for such words the two agree.
const SHORT_OPTION_MAP = new Map(Object.entries(SHORT_OPTIONS));
const MODULE_OPTION_MAPS = new Map(Object.entries(MODULE_OPTIONS).map(([name, options]) => [name, new Map(Object.entries(options))]));
const TARGET_OPTION_MAPS = new Map(Object.entries(TARGET_OPTIONS).map(([name, options]) => [name, new Map(Object.entries(options))]));

/** `SHORT_OPTIONS[word]`. */
function shortOption(word: string): string | undefined {
  if (word.charCodeAt(0) === 45) return word.charCodeAt(1) === 45 ? SHORT_OPTION_MAP.get(word) : undefined;
  return SHORT_OPTIONS[word];
}

function parseRuleLine(table: Table, trimmed: string, raw: string, line: number, state: ParseState): Rule | null {
  let body = trimmed;
  let counters: Draft["counters"] = null;
  // `iptables-save -c` prefixes each rule with its counters.
  const counterMatch = body.charCodeAt(0) === 91 ? /^\[(\d+):(\d+)\]\s+/.exec(body) : null;
  if (counterMatch) {
    counters = { packets: Number(counterMatch[1]), bytes: Number(counterMatch[2]) };
    body = body.slice(counterMatch[0].length);
  }
  const args = tokenizeRuleLine(body, line);
  const fail = (reason: string): never => {
    throw new RulesetError(line, raw, reason);
  };
  const draft: Draft = {
    chain: "", command: "-A", insertAt: null, header: [], protocol: null, matches: [], modules: [],
    target: { kind: "NONE" }, targetText: "", targetOptions: null, targetName: null, comment: null, counters,
    usesInIface: false, usesOutIface: false,
  };
  let i = 0;
  const first = shortOption(args[0] ?? "") ?? args[0];
  if (first !== "-A" && first !== "-I" && first !== "-N" && first !== "-X") {
    fail(`a rule line starts with -A CHAIN (or -I, -N, -X); found "${args[0] ?? ""}"`);
  }
  draft.command = first as Draft["command"];
  draft.chain = args[1] ?? fail(`${first} needs a chain name`);
  i = 2;
  if (draft.command === "-N" || draft.command === "-X") state.lastChain = null;
  if (draft.command === "-N") {
    if (args.length > 2) fail("-N takes only a chain name");
    if (table.chains.has(draft.chain)) fail(`chain ${draft.chain} already exists`);
    table.chains.set(draft.chain, { table: table.name, name: draft.chain, builtin: false, policy: null, line, rules: [] });
    return null;
  }
  if (draft.command === "-X") {
    if (args.length > 2) fail("-X takes only a chain name");
    deleteChain(table, draft.chain, fail);
    return null;
  }
  const last = state.lastChain;
  const chain = (last !== null && last.name === draft.chain ? last : table.chains.get(draft.chain)) ?? fail(`chain ${draft.chain} does not exist in table ${table.name} (declare it with ":${draft.chain} - [0:0]" first)`);
  state.lastChain = chain;
  if (draft.command === "-I" && /^[0-9]+$/.test(args[2] ?? "")) {
    draft.insertAt = Number(args[2]);
    if (draft.insertAt < 1 || draft.insertAt > chain.rules.length + 1) fail(`-I position ${draft.insertAt} is outside 1…${chain.rules.length + 1}`);
    i = 3;
  }

  let inverted = false;
  const currentModules: ModuleDraft[] = [];
  let targetSeen = false;
  let headerSeen = 0;
  while (i < args.length) {
    let arg = args[i]!;
    if (arg === "!") {
      if (inverted) fail('two "!" in a row');
      inverted = true;
      i++;
      continue;
    }
    arg = shortOption(arg) ?? arg;
    if (arg === "-s" || arg === "-d" || arg === "-i" || arg === "-o" || arg === "-p") {
      const bit = HEADER_BITS[arg];
      if ((headerSeen & bit) !== 0) fail(`option "${arg}" given twice`);
      headerSeen |= bit;
      const value = optionValue(args, i, fail);
      i += 2;
      draft.header.push({ option: arg, match: compileHeader(arg, value, inverted, fail, state) });
      if (arg === "-p") draft.protocol = { name: value.toLowerCase(), inverted };
      if (arg === "-i") draft.usesInIface = true;
      if (arg === "-o") draft.usesOutIface = true;
      inverted = false;
      continue;
    }
    if (arg === "-m") {
      if (inverted) fail('"!" cannot negate -m');
      const name = optionValue(args, i, fail);
      i += 2;
      if (!MODULE_OPTION_MAPS.has(name) && !MODULE_OPTIONS[name]) fail(`match "${name}" is not supported here (supported: ${Object.keys(MODULE_OPTIONS).join(", ")})`);
      const module: ModuleDraft = { name, options: [] };
      draft.modules.push(module);
      currentModules.push(module);
      continue;
    }
    if (arg === "-j" || arg === "-g") {
      if (targetSeen) fail("a rule has one target (-j or -g)");
      if (inverted) fail('"!" cannot negate a target');
      targetSeen = true;
      const name = optionValue(args, i, fail);
      i += 2;
      draft.targetName = name;
      draft.targetText = arg === "-g" ? `-g ${name}` : name;
      if (arg === "-g") {
        if (isTargetName(name)) fail(`-g needs a user chain, not the target ${name}`);
        draft.target = { kind: "JUMP", chain: name, goto: true };
      } else if (!isTargetName(name)) {
        draft.target = { kind: "JUMP", chain: name, goto: false };
      }
      continue;
    }
    if (arg === "-c") {
      const [packets, bytes] = optionValues(args, i, 2, fail) as [string, string];
      i += 3;
      if (!/^[0-9]+$/.test(packets) || !/^[0-9]+$/.test(bytes)) fail("-c takes packet and byte counts");
      draft.counters = { packets: Number(packets), bytes: Number(bytes) };
      continue;
    }
    if (arg.startsWith("--")) {
      // A target's options once -j named an extension target.
      const targetCount = draft.targetName ? TARGET_OPTION_MAPS.get(draft.targetName)?.get(arg) : undefined;
      if (targetCount !== undefined) {
        if (inverted) fail(`"!" cannot negate ${arg}`);
        const count = targetCount;
        const values = optionValues(args, i, count, fail);
        i += 1 + count;
        (draft.targetOptions ??= new Map()).set(arg, values);
        // One flat string: " --to-destination 10.4.1.5:8080" after "DNAT", not a chain of pieces.
        draft.targetText = [draft.targetText, arg, ...values].join(" ");
        continue;
      }
      // The latest loaded match that knows the option takes it, as xtables' option merging does;
      // `-p tcp --dport 80` loads the protocol's own match implicitly.
      let owner: ModuleDraft | undefined;
      for (let m = currentModules.length - 1; m >= 0 && !owner; m--) if (MODULE_OPTION_MAPS.get(currentModules[m]!.name)?.has(arg)) owner = currentModules[m];
      if (!owner && draft.protocol && !draft.protocol.inverted && MODULE_OPTION_MAPS.get(draft.protocol.name)?.get(arg) !== undefined) {
        owner = { name: draft.protocol.name, options: [] };
        draft.modules.push(owner);
        currentModules.push(owner);
      }
      if (!owner) return fail(`unknown option "${args[i]}"`);
      const count = MODULE_OPTION_MAPS.get(owner.name)!.get(arg)!;
      const values = optionValues(args, i, count, fail);
      i += 1 + count;
      owner.options.push({ name: arg, values, inverted });
      inverted = false;
      continue;
    }
    fail(`unexpected argument "${args[i]}"`);
  }
  if (inverted) fail('"!" at the end of the rule negates nothing');

  for (const module of draft.modules) {
    for (const match of compileModule(module, draft, table.name, state, fail)) draft.matches.push(match);
  }
  draft.target = compileTarget(draft, table.name, state.family, fail);
  if (draft.target.kind === "JUMP") {
    const targetChain = table.chains.get(draft.target.chain);
    if (!targetChain) return fail(`jump to chain ${draft.target.chain}, which is not declared in table ${table.name} before this line`);
    if (targetChain.builtin) fail(`cannot jump to the built-in chain ${draft.target.chain}`);
    // The chain's own name string (equal text): later lookups by it, in validateTable and every
    // walk, then compare one pointer instead of characters. Rules jumping to the same chain as the
    // previous jump (KUBE-MARK-MASQ, every other line of a kube-proxy dump) share its target.
    const last = state.lastJump;
    if (last !== null && last.chain === targetChain.name && last.goto === draft.target.goto) draft.target = last;
    else (draft.target as { chain: string }).chain = targetChain.name;
    state.lastJump = draft.target;
    if (draft.targetText === targetChain.name) draft.targetText = targetChain.name;
  }
  if (chain.builtin) {
    // iptables refuses interfaces a hook does not have (xshared.c: "Can't use -o with PREROUTING").
    const hook = chain.name as Hook;
    if (draft.usesOutIface && (hook === "PREROUTING" || hook === "INPUT")) fail(`can't use -o with ${hook}`);
    if (draft.usesInIface && (hook === "OUTPUT" || hook === "POSTROUTING")) fail(`can't use -i with ${hook}`);
  }
  const rule: Rule = {
    table: table.name,
    chain: chain.name,
    index: 0,
    line,
    text: body,
    counters: draft.counters,
    comment: draft.comment,
    matches: orderHeader(draft.header, draft.matches),
    target: draft.target,
    targetText: draft.targetText,
  };
  if (draft.insertAt !== null) {
    chain.rules.splice(draft.insertAt - 1, 0, rule);
    chain.rules.forEach((r, n) => ((r as { index: number }).index = n + 1));
  } else {
    chain.rules.push(rule);
    (rule as { index: number }).index = chain.rules.length;
  }
  return rule;
}

const HEADER_BITS = { "-s": 1, "-d": 2, "-i": 4, "-o": 8, "-p": 16 } as const;

/** The word after the option at args[i]: getopt takes it whatever it looks like. */
function optionValue(args: readonly string[], i: number, fail: (reason: string) => never): string {
  if (i + 1 >= args.length) fail(`option "${args[i]}" needs a value`);
  return args[i + 1]!;
}

/** The `count` words after the option at args[i]: getopt takes them whatever they look like. */
function optionValues(args: readonly string[], i: number, count: number, fail: (reason: string) => never): string[] {
  const values = args.slice(i + 1, i + 1 + count);
  // Only running out of words is an error.
  if (values.length < count) {
    fail(`option "${args[i]}" needs ${count === 1 ? "a value" : `${count} values`}`);
  }
  return values;
}

function deleteChain(table: Table, name: string, fail: (reason: string) => never): void {
  const chain = table.chains.get(name) ?? fail(`chain ${name} does not exist`);
  if (chain.builtin) fail(`cannot delete the built-in chain ${name}`);
  for (const other of table.chains.values()) {
    for (const rule of other.rules) {
      if (rule.target.kind === "JUMP" && rule.target.chain === name) {
        fail(`chain ${name} is still referenced from ${other.name} (line ${rule.line})`);
      }
    }
  }
  table.chains.delete(name);
}

/** The kernel compares the IP header fields in this order (ip_packet_match in ip_tables.c). */
const HEADER_ORDER: readonly string[] = ["-s", "-d", "-i", "-o", "-p"];
function orderHeader(header: { option: string; match: CompiledMatch }[], rest: readonly CompiledMatch[]): CompiledMatch[] {
  if (header.length > 1) header.sort((a, b) => HEADER_ORDER.indexOf(a.option) - HEADER_ORDER.indexOf(b.option));
  // Sized exactly: a ruleset keeps one such array per rule.
  const matches = new Array<CompiledMatch>(header.length + rest.length);
  for (let i = 0; i < header.length; i++) matches[i] = header[i]!.match;
  for (let i = 0; i < rest.length; i++) matches[header.length + i] = rest[i]!;
  return matches;
}

/**
 * Parses "a.b.c.d", "a.b.c.d/n" or "a.b.c.d/m.m.m.m" into network and mask, as xtables does; with
 * `family` "IPv6", "addr", "addr/n" (n ≤ 128) or "addr/mask" as ip6tables reads them (xtables_ip6parse_any),
 * the network and mask then being 128-bit bigints.
 */
export function parseAddressMask(text: string, fail: (reason: string) => never): { network: number; mask: number; prefix: number };
export function parseAddressMask(text: string, fail: (reason: string) => never, family: Family): { network: Address; mask: Address; prefix: number };
export function parseAddressMask(text: string, fail: (reason: string) => never, family: Family = "IPv4"): { network: Address; mask: Address; prefix: number } {
  if (text.includes(",")) fail(`"${text}": ${toolOf(family)}-save never prints address lists; write one rule per address`);
  if (family === "IPv6") return parseIpv6AddressMask(text, fail);
  // text.split("/")[0] and [1].
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const nextSlash = slash < 0 ? -1 : text.indexOf("/", slash + 1);
  const maskText = slash < 0 ? undefined : nextSlash < 0 ? text.slice(slash + 1) : text.slice(slash + 1, nextSlash);
  let address: number;
  try {
    address = dottedQuadValue(addressText);
  } catch (error) {
    if (error instanceof InputError) fail(`bad address "${text}": ${error.reason}`);
    throw error;
  }
  let mask = 0xffffffff;
  let prefix = 32;
  if (maskText !== undefined) {
    if (/^[0-9]{1,2}$/.test(maskText) && Number(maskText) <= 32) {
      prefix = Number(maskText);
      mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    } else if (maskText.includes(".")) {
      try {
        mask = parseIpv4(maskText);
      } catch {
        fail(`bad mask in "${text}"`);
      }
      prefix = 32 - Math.log2(((~mask >>> 0) + 1));
      if (!Number.isInteger(prefix)) fail(`mask ${maskText} in "${text}" is not contiguous`);
    } else {
      fail(`bad prefix length in "${text}"`);
    }
  }
  // iptables silently clears host bits ("-s 10.4.1.5/14" is stored as 10.4.0.0/14).
  return { network: (address & mask) >>> 0, mask, prefix };
}

function parseIpv6AddressMask(text: string, fail: (reason: string) => never): { network: bigint; mask: bigint; prefix: number } {
  const parts = text.split("/");
  if (parts.length > 2) fail(`bad address "${text}"`);
  const [addressText, maskText] = parts as [string, string | undefined];
  const address = ipv6Value(addressText, fail, `bad address "${text}"`);
  let prefix = 128;
  if (maskText !== undefined) {
    if (/^[0-9]{1,3}$/.test(maskText)) {
      prefix = Number(maskText);
      if (prefix > 128) fail(`bad prefix length in "${text}": an IPv6 prefix is at most 128`);
    } else if (maskText.includes(":")) {
      const mask = ipv6Value(maskText, fail, `bad mask in "${text}"`);
      // A contiguous mask is all ones, then all zeros: its complement plus one is a power of two.
      const rest = ~mask & IPV6_ALL_ONES;
      if ((rest & (rest + 1n)) !== 0n) fail(`mask ${maskText} in "${text}" is not contiguous`);
      prefix = 128 - rest.toString(2).replace(/^0+/, "").length;
    } else {
      fail(`bad prefix length in "${text}"`);
    }
  }
  const mask = prefixMask(prefix, "IPv6") as bigint;
  // ip6tables clears host bits too ("-s fd00:10::5/48" is stored as fd00:10::/48).
  return { network: address & mask, mask, prefix };
}

function ipv6Value(text: string, fail: (reason: string) => never, what: string): bigint {
  try {
    return parseIpv6(text);
  } catch (error) {
    if (error instanceof InputError) return fail(`${what}: ${error.reason}`);
    throw error;
  }
}

function compileHeader(
  option: "-s" | "-d" | "-i" | "-o" | "-p",
  value: string,
  inverted: boolean,
  fail: (reason: string) => never,
  state: ParseState,
): CompiledMatch {
  // A single address ("-s 10.4.1.5" or "-s 10.4.1.5/32", a Pod) is usually one rule's own;
  // everything else (protocols, interfaces, address ranges) repeats.
  if ((option === "-s" || option === "-d") && (!value.includes("/") || value.endsWith("/32") || value.endsWith("/128"))) return compileHeaderPart(option, value, inverted, fail, state.family);
  return sharedMatch(state, `${option}${inverted ? "!" : " "}${value}`, () => compileHeaderPart(option, value, inverted, fail, state.family));
}

function compileHeaderPart(option: "-s" | "-d" | "-i" | "-o" | "-p", value: string, inverted: boolean, fail: (reason: string) => never, family: Family): CompiledMatch {
  const not = inverted ? "! " : "";
  if ((option === "-s" || option === "-d") && family === "IPv6") {
    const { network, mask, prefix } = parseIpv6AddressMask(value, fail);
    const text = `${not}${option} ${formatIpv6(network)}/${prefix}`;
    if (option === "-d" && prefix === 128 && !inverted) return { text, kind: "header", exactDst: network, test: destinationIs(network) };
    return { text, kind: "header", test: option === "-s" ? ipv6SourceIn(network, mask, inverted) : ipv6DestinationIn(network, mask, inverted) };
  }
  if (option === "-s" || option === "-d") {
    const { network, mask, prefix } = parseAddressMask(value, fail);
    // Joined, so the text kept for every rule is one flat string rather than a tree of pieces.
    const text = [not, option, " ", network >>> 24, ".", (network >>> 16) & 255, ".", (network >>> 8) & 255, ".", network & 255, "/", prefix].join("");
    if (option === "-d" && prefix === 32 && !inverted) {
      return { text, kind: "header", exactDst: network, test: destinationIs(network) };
    }
    const test = option === "-s" ? sourceIn(network, mask, inverted) : destinationIn(network, mask, inverted);
    return { text, kind: "header", test };
  }
  if (option === "-i" || option === "-o") {
    if (value.length > 15) fail(`interface name "${value}" is longer than 15 characters (IFNAMSIZ)`);
    const wildcard = value.endsWith("+");
    const stem = wildcard ? value.slice(0, -1) : value;
    // "+" alone matches every device, including none at all (an empty mask compares nothing).
    const matches = (name: string) => (wildcard ? name.startsWith(stem) : name === stem);
    const test =
      option === "-i"
        ? (c: MatchContext) => matches(c.inIface) !== inverted
        : (c: MatchContext) => matches(c.outIface) !== inverted;
    return { text: `${not}${option} ${value}`, kind: "header", test };
  }
  const name = value.toLowerCase();
  const number = /^[0-9]+$/.test(name) ? Number(name) : family === "IPv6" && (name === "icmpv6" || name === "ipv6-icmp") ? 58 : PROTOCOL_NUMBERS[name];
  if (number === undefined) fail(`unknown protocol "${value}" (tcp, udp, sctp, ${family === "IPv6" ? "icmpv6" : "icmp"}, all or a number)`);
  const test = number === 0 ? (_c: MatchContext) => !inverted : (c: MatchContext) => (c.proto === number) !== inverted;
  return { text: `${not}-p ${name}`, kind: "header", test };
}

// Address tests, each made in its own function so that its closure holds only the values it
// compares: a large ruleset keeps one per Pod and Service address. A walk only ever gives a
// ruleset's tests addresses of its own family (walkPacket checks), so an IPv4 test reads numbers
// and an IPv6 test bigints.
function destinationIs(network: Address): CompiledMatch["test"] {
  return (c) => c.dst === network;
}

function sourceIn(network: number, mask: number, inverted: boolean): CompiledMatch["test"] {
  if (mask === 0xffffffff && !inverted) return (c) => (((c.src as number) & 0xffffffff) >>> 0) === network;
  return (c) => ((((c.src as number) & mask) >>> 0) === network) !== inverted;
}

function destinationIn(network: number, mask: number, inverted: boolean): CompiledMatch["test"] {
  return (c) => ((((c.dst as number) & mask) >>> 0) === network) !== inverted;
}

function ipv6SourceIn(network: bigint, mask: bigint, inverted: boolean): CompiledMatch["test"] {
  return (c) => (((c.src as bigint) & mask) === network) !== inverted;
}

function ipv6DestinationIn(network: bigint, mask: bigint, inverted: boolean): CompiledMatch["test"] {
  return (c) => (((c.dst as bigint) & mask) === network) !== inverted;
}

function parsePortSpec(text: string, fail: (reason: string) => never): [number, number] {
  const m = /^([0-9]{1,5})?(?::([0-9]{1,5})?)?$/.exec(text);
  if (!m || text === "" || text === ":") fail(`bad port or range "${text}"`);
  const low = m[1] === undefined ? 0 : Number(m[1]);
  const high = text.includes(":") ? (m[2] === undefined ? 65535 : Number(m[2])) : low;
  if (low > 65535 || high > 65535 || low > high) fail(`bad port or range "${text}"`);
  return [low, high];
}

function parseNumber(text: string, fail: (reason: string) => never, what: string): number {
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(text)) fail(`${what} "${text}" is not a number`);
  const value = Number(text);
  if (value > 0xffffffff) fail(`${what} "${text}" is above 2^32-1`);
  return value >>> 0;
}

function parseMarkMask(text: string, fail: (reason: string) => never): [number, number] {
  const [value, mask] = text.split("/") as [string, string | undefined];
  return [parseNumber(value, fail, "mark"), mask === undefined ? 0xffffffff : parseNumber(mask, fail, "mask")];
}

const IPV6_REJECT_TYPES: readonly string[] = [
  "icmp6-no-route", "icmp6-adm-prohibited", "icmp6-addr-unreachable", "icmp6-port-unreachable", "tcp-reset", "icmp6-policy-fail", "icmp6-reject-route",
];
const IPV6_REJECT_ALIASES: Readonly<Record<string, string>> = {
  "no-route": "icmp6-no-route", "adm-prohibited": "icmp6-adm-prohibited", "addr-unreach": "icmp6-addr-unreachable",
  "port-unreach": "icmp6-port-unreachable", "policy-fail": "icmp6-policy-fail", "reject-route": "icmp6-reject-route",
};

/**
 * addrtype_mt_checkentry_v1 (xt_addrtype.c) refuses, for IPv6, BLACKHOLE, every type from PROHIBIT
 * on (THROW, NAT, XRESOLVE), and BROADCAST — IPv6 has no broadcast.
 */
function checkIpv6AddressTypes(types: readonly AddressTypeName[], fail: (reason: string) => never): void {
  for (const t of types) {
    if (t === "BROADCAST") fail("ip6tables addrtype does not match BROADCAST: IPv6 has no broadcast addresses");
    if (t === "BLACKHOLE" || t === "PROHIBIT" || t === "THROW" || t === "NAT" || t === "XRESOLVE") fail(`ip6tables addrtype does not support ${t} matching`);
  }
}

/**
 * match_type6() in xt_addrtype.c: the types given are all required — MULTICAST, UNICAST and UNSPEC
 * are checked against the address itself, then, if any of LOCAL, ANYCAST or UNREACHABLE is given,
 * the route lookup must report one of those. (IPv4's addrtype instead asks whether the address's
 * one type is among those given.)
 */
const NO_TYPES: ReadonlySet<AddressTypeName> = new Set();

function matchType6(has: ReadonlySet<AddressTypeName>, types: readonly AddressTypeName[]): boolean {
  if (types.includes("MULTICAST") && !has.has("MULTICAST")) return false;
  if (types.includes("UNICAST") && !has.has("UNICAST")) return false;
  if (types.includes("UNSPEC") && !has.has("UNSPEC")) return false;
  const routed = types.filter((t) => t === "LOCAL" || t === "ANYCAST" || t === "UNREACHABLE");
  return routed.length === 0 || routed.some((t) => has.has(t));
}

const ADDRESS_TYPES: readonly AddressTypeName[] = [
  "UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
];

function not(o: { inverted: boolean }): string {
  return o.inverted ? "! " : "";
}

/** The module's one `name` option (undefined when absent); refused when given twice. */
function singleOption(module: ModuleDraft, name: string, fail: (reason: string) => never): ModuleDraft["options"][number] | undefined {
  let found: ModuleDraft["options"][number] | undefined;
  for (const o of module.options) {
    if (o.name !== name) continue;
    if (found) fail(`${name} given twice for -m ${module.name}`);
    found = o;
  }
  return found;
}

function compileModule(
  module: ModuleDraft,
  draft: Draft,
  table: TableName,
  state: ParseState,
  fail: (reason: string) => never,
): CompiledMatch[] {
  const opts = module.options;
  const single = (name: string) => singleOption(module, name, fail);
  switch (module.name) {
    case "comment": {
      const c = single("--comment") ?? fail("-m comment needs --comment");
      if (c.inverted) fail('"!" cannot negate --comment');
      if (c.values[0]!.length > 255) fail("a comment is at most 255 characters (XT_MAX_COMMENT_LEN)");
      draft.comment = c.values[0]!;
      return [];
    }
    case "tcp":
    case "udp":
    case "sctp": {
      const proto = PROTOCOL_NUMBERS[module.name]!;
      // x_tables checks this at load time: "tcp match: only valid for protocol 6".
      if (!draft.protocol || draft.protocol.inverted || PROTOCOL_NUMBERS[draft.protocol.name] !== proto) {
        fail(`-m ${module.name} is only valid with -p ${module.name}`);
      }
      if (opts.length === 0) return [sharedMatch(state, `-m ${module.name}`, () => ({ text: `-m ${module.name}`, kind: "match", test: () => true }))];
      return opts.map((o) =>
        sharedMatch(state, `-m ${module.name} ${not(o)}${o.name} ${o.values[0]}`, () => {
          const [low, high] = parsePortSpec(o.values[0]!, fail);
          const isDst = o.name === "--dport" || o.name === "--destination-port";
          const text = `-m ${module.name} ${not(o)}${isDst ? "--dport" : "--sport"} ${o.values[0]}`;
          const inv = o.inverted;
          const test = isDst
            ? (c: MatchContext) => (c.dstPort >= low && c.dstPort <= high) !== inv
            : (c: MatchContext) => (c.srcPort >= low && c.srcPort <= high) !== inv;
          return { text, kind: "match" as const, test };
        }),
      );
    }
    case "multiport": {
      if (!draft.protocol || draft.protocol.inverted || !["tcp", "udp", "sctp"].includes(draft.protocol.name)) {
        fail("-m multiport needs -p tcp, udp or sctp");
      }
      if (opts.length !== 1) fail("-m multiport takes exactly one of --dports, --sports, --ports");
      const o = opts[0]!;
      const ranges = o.values[0]!.split(",").map((p) => parsePortSpec(p, fail));
      // xt_multiport holds at most 15 ports, a range counting as two.
      if (ranges.reduce((n, [lo, hi]) => n + (lo === hi ? 1 : 2), 0) > 15) fail("-m multiport takes at most 15 ports");
      const inv = o.inverted;
      const inRanges = (port: number) => ranges.some(([lo, hi]) => port >= lo && port <= hi);
      const which = o.name === "--dports" || o.name === "--destination-ports" ? "dst" : o.name === "--ports" ? "either" : "src";
      const test = (c: MatchContext) =>
        (which === "dst" ? inRanges(c.dstPort) : which === "src" ? inRanges(c.srcPort) : inRanges(c.srcPort) || inRanges(c.dstPort)) !== inv;
      return [{ text: `-m multiport ${not(o)}${o.name} ${o.values[0]}`, kind: "match", test }];
    }
    case "addrtype": {
      const limitIn = opts.some((o) => o.name === "--limit-iface-in");
      const limitOut = opts.some((o) => o.name === "--limit-iface-out");
      if (limitIn && limitOut) fail("--limit-iface-in and --limit-iface-out are mutually exclusive");
      const checks = opts.filter((o) => o.name === "--src-type" || o.name === "--dst-type");
      if (checks.length === 0) fail("-m addrtype needs --src-type or --dst-type");
      return checks.map((o) => {
        const types = o.values[0]!.split(",").map((t) => t.toUpperCase()) as AddressTypeName[];
        for (const t of types) if (!(ADDRESS_TYPES as readonly string[]).includes(t)) fail(`unknown address type "${t}"`);
        if (state.family === "IPv6") checkIpv6AddressTypes(types, fail);
        const inv = o.inverted;
        const isSrc = o.name === "--src-type";
        const limit = limitIn ? "in" : limitOut ? "out" : null;
        const suffix = limitIn ? " --limit-iface-in" : limitOut ? " --limit-iface-out" : "";
        const text = `-m addrtype ${not(o)}${o.name} ${o.values[0]}${suffix}`;
        if (state.family === "IPv6") {
          const test = (c: MatchContext, env: Parameters<CompiledMatch["test"]>[1]) => {
            const iface = limit === "in" ? c.inIface : limit === "out" ? c.outIface : null;
            const has = env.ipv6AddressTypes?.((isSrc ? c.src : c.dst) as bigint, iface) ?? NO_TYPES;
            return matchType6(has, types) !== inv;
          };
          return { text, kind: "match" as const, test };
        }
        const test = (c: MatchContext, env: Parameters<CompiledMatch["test"]>[1]) => {
          const iface = limit === "in" ? c.inIface : limit === "out" ? c.outIface : null;
          const type = env.addressType((isSrc ? c.src : c.dst) as number, iface);
          return types.includes(type) !== inv;
        };
        return { text, kind: "match" as const, test };
      });
    }
    case "mark": {
      const o = single("--mark") ?? fail("-m mark needs --mark");
      const [value, mask] = parseMarkMask(o.values[0]!, fail);
      const inv = o.inverted;
      return [{ text: `-m mark ${not(o)}--mark ${o.values[0]}`, kind: "match", test: (c) => (((c.mark & mask) >>> 0) === value) !== inv }];
    }
    case "conntrack":
    case "state": {
      const o = single(module.name === "state" ? "--state" : "--ctstate") ?? fail(`-m ${module.name} needs --${module.name === "state" ? "state" : "ctstate"}`);
      let bits = 0;
      for (const name of o.values[0]!.split(",")) {
        const bit = CT_STATE_BITS[name.toUpperCase()];
        if (bit === undefined) fail(`unknown conntrack state "${name}"`);
        bits |= bit;
      }
      const inv = o.inverted;
      return [{ text: `-m ${module.name} ${not(o)}${o.name} ${o.values[0]}`, kind: "match", test: (c) => ((c.ctstate & bits) !== 0) !== inv }];
    }
    case "statistic": {
      const mode = single("--mode") ?? fail("-m statistic needs --mode");
      if (mode.values[0] !== "random") fail(`statistic --mode ${mode.values[0]} is not modelled (only random, which kube-proxy uses)`);
      const p = single("--probability") ?? fail("statistic --mode random needs --probability");
      return [
        sharedMatch(state, `-m statistic --mode random ${not(p)}--probability ${p.values[0]}`, () => {
          const probability = Number(p.values[0]);
          if (!/^[0-9.]+$/.test(p.values[0]!) || !(probability >= 0 && probability <= 1)) fail(`probability "${p.values[0]}" is not between 0 and 1`);
          // libxt_statistic stores lround(0x80000000 * p); the kernel matches when
          // (get_random_u32() & 0x7FFFFFFF) < that threshold (xt_statistic.c).
          const threshold = Math.round(0x80000000 * probability);
          return { text: `-m statistic --mode random ${not(p)}--probability ${p.values[0]}`, kind: "statistic", test: () => true, probability, threshold, inverted: p.inverted };
        }),
      ];
    }
    case "recent":
      return [compileRecent(opts, state.family, fail)];
    case "set": {
      const o = single("--match-set") ?? fail("-m set needs --match-set NAME FLAGS");
      const [name, flagText] = o.values as [string, string];
      const flags = flagText.split(",");
      if (flags.length > 6 || flags.some((f) => f !== "src" && f !== "dst")) fail(`set flags "${flagText}" are not src/dst`);
      state.ipsetNames.add(name);
      const inv = o.inverted;
      const typed = flags as ("src" | "dst")[];
      return [{ text: `-m set ${not(o)}--match-set ${name} ${flagText}`, kind: "match", test: (c, env) => env.ipset(name).has(c, typed) !== inv }];
    }
    case "nfacct": {
      // nfacct only counts; it always matches (xt_nfacct.c returns true).
      const o = single("--nfacct-name") ?? fail("-m nfacct needs --nfacct-name");
      return [{ text: `-m nfacct --nfacct-name ${o.values[0]}`, kind: "match", test: () => true }];
    }
  }
  void table;
  return fail(`match "${module.name}" is not supported`);
}

function compileRecent(opts: ModuleDraft["options"], family: Family, fail: (reason: string) => never): CompiledMatch {
  const commands = opts.filter((o) => ["--set", "--rcheck", "--update", "--remove"].includes(o.name));
  if (commands.length !== 1) fail("-m recent takes exactly one of --set, --rcheck, --update, --remove");
  const command = commands[0]!;
  const value = (name: string) => opts.find((o) => o.name === name)?.values[0];
  const seconds = value("--seconds");
  const hitcount = value("--hitcount");
  if ((seconds !== undefined || hitcount !== undefined) && (command.name === "--set" || command.name === "--remove")) {
    fail("--seconds and --hitcount go with --rcheck or --update");
  }
  const reap = opts.some((o) => o.name === "--reap");
  if (reap && seconds === undefined) fail("--reap needs --seconds");
  const maskText = value("--mask");
  // libxt_recent's default mask is all ones in the rule's family; ip6tables reads --mask as an IPv6 address.
  let mask: Address = family === "IPv6" ? IPV6_ALL_ONES : 0xffffffff;
  if (maskText !== undefined) {
    try {
      mask = family === "IPv6" ? parseIpv6(maskText) : parseIpv4(maskText);
    } catch {
      fail(`bad --mask "${maskText}"`);
    }
  }
  const spec: RecentSpec = {
    name: value("--name") ?? "DEFAULT",
    command: command.name.slice(2) as RecentSpec["command"],
    seconds: seconds === undefined ? null : parseNumber(seconds, fail, "--seconds"),
    hitcount: hitcount === undefined ? null : parseNumber(hitcount, fail, "--hitcount"),
    reap,
    side: opts.some((o) => o.name === "--rdest") ? "rdest" : "rsource",
    mask,
  };
  const text = `-m recent ${command.inverted ? "! " : ""}${command.name} --name ${spec.name}${spec.seconds !== null ? ` --seconds ${spec.seconds}` : ""}${spec.reap ? " --reap" : ""} --${spec.side}`;
  // The walker evaluates recent itself (it needs the clock and records --set); test() is the plain lookup.
  return { text, kind: "recent", recent: spec, inverted: command.inverted, test: () => true };
}

function parseHostPort(text: string, fail: (reason: string) => never, option: string, family: Family): { address: Address; port: number | null } {
  if (family === "IPv6") return parseIpv6HostPort(text, fail, option);
  const m = /^([0-9.]+)(?::([0-9]+))?$/.exec(text);
  if (!m) fail(`${option} "${text}": ranges are not modelled; give one address and at most one port`);
  let address: number;
  try {
    address = dottedQuadValue(m[1]!);
  } catch (error) {
    if (error instanceof InputError) fail(`${option} "${text}": ${error.reason}`);
    throw error;
  }
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) fail(`${option} "${text}": port out of range`);
  return { address, port };
}

/**
 * libxt_DNAT/libxt_SNAT's IPv6 form: "[addr]:port", "[addr]" or a bare "addr" (a colon belongs to the
 * address unless the address is in brackets), as kube-proxy writes `--to-destination [fd00::5]:8080`.
 */
function parseIpv6HostPort(text: string, fail: (reason: string) => never, option: string): { address: bigint; port: number | null } {
  const m = /^\[([0-9A-Fa-f:.]+)\](?::([0-9]+))?$/.exec(text) ?? /^([0-9A-Fa-f:.]+)()$/.exec(text);
  if (!m) fail(`${option} "${text}": ranges are not modelled; give one address ("[addr]:port" with a port) and at most one port`);
  const address = ipv6Value(m[1]!, fail, `${option} "${text}"`);
  const port = m[2] === undefined || m[2] === "" ? null : Number(m[2]);
  if (port !== null && (port < 1 || port > 65535)) fail(`${option} "${text}": port out of range`);
  return { address, port };
}

/** Which hooks each extension target may run in (the .hooks field of its xt_target in the kernel). */
const TARGET_HOOKS: Readonly<Record<string, { table: TableName | null; hooks: readonly Hook[] }>> = {
  DNAT: { table: "nat", hooks: ["PREROUTING", "OUTPUT"] },
  SNAT: { table: "nat", hooks: ["POSTROUTING", "INPUT"] },
  MASQUERADE: { table: "nat", hooks: ["POSTROUTING"] },
  REJECT: { table: null, hooks: ["INPUT", "FORWARD", "OUTPUT"] },
  MARK: { table: null, hooks: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"] },
};

function compileTarget(draft: Draft, table: TableName, family: Family, fail: (reason: string) => never): Target {
  const name = draft.targetName;
  if (name === null || draft.target.kind === "JUMP") return draft.target;
  const opt = (o: string) => draft.targetOptions?.get(o)?.[0];
  const has = (o: string) => draft.targetOptions?.has(o) ?? false;
  const rule = TARGET_HOOKS[name];
  if (rule?.table && rule.table !== table) fail(`${name} is only valid in the ${rule.table} table`);
  switch (name) {
    case "ACCEPT":
    case "DROP":
    case "RETURN":
      return { kind: name };
    case "QUEUE":
      return fail("QUEUE hands packets to userspace and is not modelled");
    case "REJECT": {
      if (family === "IPv6") {
        // libip6t_REJECT's table: each type by its full name or its short alias; saved by the full name.
        const given = opt("--reject-with") ?? "icmp6-port-unreachable";
        const rejectWith = IPV6_REJECT_ALIASES[given] ?? given;
        if (!IPV6_REJECT_TYPES.includes(rejectWith)) fail(`--reject-with ${given} is not an ip6tables REJECT type (${IPV6_REJECT_TYPES.join(", ")})`);
        if (rejectWith === "tcp-reset" && draft.protocol?.name !== "tcp") fail("--reject-with tcp-reset needs -p tcp");
        return { kind: "REJECT", rejectWith };
      }
      const rejectWith = opt("--reject-with") ?? "icmp-port-unreachable";
      const allowed = ["icmp-net-unreachable", "icmp-host-unreachable", "icmp-port-unreachable", "icmp-proto-unreachable", "icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited", "tcp-reset"];
      if (!allowed.includes(rejectWith)) fail(`--reject-with ${rejectWith} is not a REJECT type`);
      if (rejectWith === "tcp-reset" && draft.protocol?.name !== "tcp") fail("--reject-with tcp-reset needs -p tcp");
      return { kind: "REJECT", rejectWith };
    }
    case "MARK": {
      const ops = ["--set-mark", "--set-xmark", "--or-mark", "--and-mark", "--xor-mark"].filter(has);
      if (ops.length !== 1) fail("MARK takes exactly one of --set-mark, --set-xmark, --or-mark, --and-mark, --xor-mark");
      const op = ops[0]!;
      const [v, m] = parseMarkMask(opt(op)!, fail);
      // libxt_MARK reduces every form to xt_mark_tginfo2 {mark, mask}: mark = (mark & ~mask) ^ value.
      switch (op) {
        case "--set-xmark":
          return { kind: "MARK", value: v, mask: m };
        case "--set-mark":
          return { kind: "MARK", value: v, mask: (m | v) >>> 0 };
        case "--or-mark":
          return { kind: "MARK", value: v, mask: v };
        case "--and-mark":
          return { kind: "MARK", value: 0, mask: ~v >>> 0 };
        default:
          return { kind: "MARK", value: v, mask: 0 };
      }
    }
    case "DNAT": {
      const to = opt("--to-destination") ?? fail("DNAT needs --to-destination");
      return { kind: "DNAT", ...parseHostPort(to, fail, "--to-destination", family) };
    }
    case "SNAT": {
      const to = opt("--to-source") ?? fail("SNAT needs --to-source");
      return { kind: "SNAT", ...parseHostPort(to, fail, "--to-source", family), randomFully: has("--random-fully") };
    }
    case "MASQUERADE":
      if (has("--to-ports")) fail("MASQUERADE --to-ports is not modelled");
      return { kind: "MASQUERADE", randomFully: has("--random-fully") };
  }
  return fail(`target ${name} is not supported`);
}

/**
 * Checks what iptables-restore's commit makes the kernel check (translate_table/mark_source_chains
 * in ip_tables.c, xt_check_target): no jump loops, and every extension target only reachable from
 * hooks it supports.
 */
function validateTable(table: Table): void {
  // The common case, a valid table, is confirmed in one pass; only a table with a problem is walked
  // again the kernel's way below, to report the same first problem.
  if (hooksAllowed(table)) return;
  const reach = new Map<string, Set<Hook>>();
  for (const hook of BUILTIN_CHAINS[table.name]) {
    const visiting = new Set<string>();
    const visit = (chainName: string, via: Rule | null) => {
      const chain = table.chains.get(chainName)!;
      if (visiting.has(chainName)) {
        throw new RulesetError(via?.line ?? table.line, via?.text ?? chainName, `jump loop: chain ${chainName} is reached again from itself (the kernel refuses with ELOOP)`);
      }
      let hooks = reach.get(chainName);
      if (!hooks) reach.set(chainName, (hooks = new Set()));
      if (hooks.has(hook) && visiting.size > 0) return;
      hooks.add(hook);
      visiting.add(chainName);
      for (const rule of chain.rules) {
        const rule_ = TARGET_HOOKS[rule.target.kind === "JUMP" ? "" : rule.target.kind];
        if (rule_ && !rule_.hooks.includes(hook)) {
          throw new RulesetError(rule.line, rule.text, `${rule.target.kind} cannot run in ${hook} (chain ${chainName} is reached from ${table.name} ${hook}); the kernel accepts it only in ${rule_.hooks.join(", ")}`);
        }
        if (rule.target.kind === "JUMP") visit(rule.target.chain, rule);
      }
      visiting.delete(chainName);
    };
    visit(hook, null);
  }
}

const HOOK_BITS: Readonly<Record<Hook, number>> = { PREROUTING: 1, INPUT: 2, FORWARD: 4, OUTPUT: 8, POSTROUTING: 16 };
const ALL_HOOKS = 31;
/** TARGET_HOOKS as bit sets, by target kind. */
const TARGET_HOOK_BITS: ReadonlyMap<string, number> = new Map(
  Object.entries(TARGET_HOOKS).map(([kind, { hooks }]) => [kind, hooks.reduce((bits, hook) => bits | HOOK_BITS[hook], 0)]),
);

/**
 * Whether `validateTable` would accept the table: no jump loop reachable from a built-in chain, and
 * each built-in chain's hook allowed by every extension target it reaches. Each chain is visited
 * once, its result (the hooks all the targets it reaches allow) reused by every chain jumping to it;
 * false on anything unexpected, so the full check runs and reports it.
 */
function hooksAllowed(table: Table): boolean {
  // -1 while a chain is being visited: meeting it again is a loop.
  const allowed = new Map<Chain, number>();
  let ok = true;
  const visit = (chain: Chain): number => {
    const known = allowed.get(chain);
    if (known !== undefined) {
      if (known < 0) ok = false;
      return known < 0 ? ALL_HOOKS : known;
    }
    allowed.set(chain, -1);
    let bits = ALL_HOOKS;
    for (const rule of chain.rules) {
      const target = rule.target;
      if (target.kind === "JUMP") {
        const next = table.chains.get(target.chain);
        if (!next) {
          ok = false;
          break;
        }
        bits &= visit(next);
      } else {
        bits &= TARGET_HOOK_BITS.get(target.kind) ?? ALL_HOOKS;
      }
      if (!ok) break;
    }
    allowed.set(chain, bits);
    return bits;
  };
  for (const hook of BUILTIN_CHAINS[table.name]) {
    const chain = table.chains.get(hook);
    if (!chain || (visit(chain) & HOOK_BITS[hook]) === 0 || !ok) return false;
  }
  return ok;
}

/**
 * For long chains (kube-proxy's KUBE-SERVICES holds one rule per Service port), the rules whose
 * first check is an exact `-d a.b.c.d/32` (`-d fd00::a/128`), grouped by that address. A walk still reports every
 * such rule as evaluated and failing on its -d, exactly as the kernel's linear scan would; the
 * index only spares it from calling the check 10,000 times.
 */
function indexByDestination(chain: Chain): void {
  if (chain.rules.length < 32) return;
  const byDst = new Map<Address, number[]>();
  const always: number[] = [];
  chain.rules.forEach((rule, n) => {
    const first = rule.matches[0];
    if (first?.exactDst !== undefined) {
      const list = byDst.get(first.exactDst);
      if (list) list.push(n);
      else byDst.set(first.exactDst, [n]);
    } else {
      always.push(n);
    }
  });
  (chain as { dstIndex?: Chain["dstIndex"] }).dstIndex = { byDst, always };
}
