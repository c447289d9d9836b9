import { InputError } from "../net/errors";
import { familyOfText, formatAddress, formatHostPort, maskAddress, parseAddress, toolOf, type Address } from "./address";
import { seededRandom } from "../random";
import { ConntrackTable, conntrackTimeout, type ConntrackEntry, type TrackedProtocol } from "./conntrack";
import { compileHost, type HostContext, type HostModel } from "./host";
import { compileIpsets } from "./ipset";
import { CT_DNAT, CT_ESTABLISHED, CT_NEW, CT_SNAT, formatCtState, PROTOCOL_NUMBERS } from "./packet-state";
import { RecentLists } from "./recent";
import type { Chain, CompiledMatch, Hook, MatchContext, MatchEnvironment, Rule, Ruleset, TableName } from "./ruleset";

export interface PacketSpec {
  protocol: "tcp" | "udp" | "sctp";
  /** Both addresses of one family, the ruleset's: IPv4 for iptables rules, IPv6 for ip6tables rules. */
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** Device the packet arrived on; by default the device of the route back to its source. */
  inInterface?: string;
}

export interface WalkOptions {
  /** Seeds the `statistic --mode random` draws (mulberry32); the same seed gives the same walk. */
  seed?: number;
  /** ipset name → entries as `ipset list` prints them: "10.96.0.10,udp:53", "10.0.0.0/8", "30080". */
  ipsets?: Record<string, string[]>;
  /** Existing connections: a packet that belongs to one is translated by conntrack, not by nat rules. */
  conntrack?: ConntrackTable;
  /** xt_recent lists; `--set` records into it, so the next walk sees the affinity. */
  recent?: RecentLists;
  /** Clock for xt_recent, in seconds. */
  now?: number;
  /**
   * skb->mark the packet carries in: 0 for a packet entering the node, or the mark netfilter set earlier
   * on a packet sent on again (IPVS's rewritten packet keeps the KUBE-MARK-MASQ mark from PREROUTING).
   */
  mark?: number;
}

export type Verdict = "DNAT" | "ACCEPT" | "DROP" | "REJECT" | "NONE";

/** The packet as it stands right after a step that changed it (translations, marks, conntrack state). */
export interface PacketAfter {
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** skb->mark. */
  mark: number;
  ctstate: "NEW" | "ESTABLISHED";
}

/** One thing the kernel did with the packet, in order. */
export type WalkStep =
  | { kind: "hook"; hook: Hook; table: TableName }
  | { kind: "skip"; hook: Hook; table: TableName; reason: string }
  | {
      kind: "rule";
      table: TableName;
      chain: string;
      index: number;
      line: number;
      text: string;
      matched: boolean;
      /** The first part of the rule that did not match (as iptables-save prints it), or null. */
      failed: string | null;
      depth: number;
      /** statistic --mode random: the 31-bit draw and the threshold it had to be below. */
      draw?: { value: number; threshold: number; probability: number };
      recent?: { list: string; command: string; address: string; hit: boolean };
    }
  | { kind: "jump"; table: TableName; from: string; to: string; goto: boolean; depth: number }
  | { kind: "return"; table: TableName; from: string; to: string; implicit: boolean; depth: number }
  | { kind: "policy"; table: TableName; chain: string; policy: "ACCEPT" | "DROP" }
  | { kind: "target"; table: TableName; chain: string; index: number; target: string; detail: string; after?: PacketAfter }
  | { kind: "verdict"; table: TableName; chain: string; index: number; verdict: "ACCEPT" | "DROP" | "REJECT" }
  | { kind: "route"; destination: string; device: string | null; local: boolean; source: string | null }
  | { kind: "conntrack"; action: "new" | "established" | "translate" | "confirm" | "discard"; detail: string; after?: PacketAfter };

export interface Walk {
  /**
   * What the rules decided, in this precedence:
   * - "DROP" / "REJECT": a DROP or REJECT rule (or a built-in chain's DROP policy, or no route)
   *   discarded the packet;
   * - "DNAT": otherwise, a DNAT rule translated the destination (see `chosen`);
   * - "ACCEPT": otherwise, a rule with -j ACCEPT accepted the packet in at least one table;
   * - "NONE": no rule did any of these — the packet went through on the ACCEPT policies of the
   *   built-in chains (a MASQUERADE/SNAT alone still gives NONE; see `masquerade` and `packetOut`;
   *   so does a packet conntrack translated as part of an existing connection).
   */
  verdict: Verdict;
  /**
   * Every DNAT destination the nat rules could pick where the packet entered, all statistic/recent
   * branches, in rule order: "10.180.0.1:8080", or "[fd00:10:180::1]:8080" as ip6tables writes it.
   */
  candidates: string[];
  chosen: string | null;
  masquerade: boolean;
  steps: WalkStep[];
  rulesEvaluated: number;
  /** The packet as it leaves (towards `delivery`), or null when it was discarded. */
  packetOut: PacketSpec | null;
  /** The connection as conntrack holds it after this packet, or null when no entry survives. */
  conntrack: ConntrackEntry | null;
  /** Where the packet went: a local socket, out of a device after forwarding, or out of a device it was sent from. */
  delivery: { kind: "local" | "forward" | "output"; device: string | null } | null;
}

/** Mutable packet state during a walk (what MatchContext exposes read-only). */
interface State extends MatchContext {
  proto: number;
  src: Address;
  dst: Address;
  srcPort: number;
  dstPort: number;
  inIface: string;
  outIface: string;
  mark: number;
  ctstate: number;
  hook: Hook;
}

type ChainResult = { kind: "ACCEPT" } | { kind: "DROP" } | { kind: "REJECT" } | { kind: "NAT" };

const TWO_31 = 0x80000000;

function snapshot(state: State): PacketAfter {
  return {
    src: formatAddress(state.src),
    srcPort: state.srcPort,
    dst: formatAddress(state.dst),
    dstPort: state.dstPort,
    mark: state.mark >>> 0,
    ctstate: state.ctstate & CT_ESTABLISHED ? "ESTABLISHED" : "NEW",
  };
}

/**
 * Walks one packet through a ruleset the way the kernel does: a packet from one of the host's own
 * addresses starts in OUTPUT (raw → mangle → nat → filter), any other in PREROUTING
 * (raw → mangle → nat); the routing decision after nat PREROUTING sends it to INPUT
 * (mangle → filter → nat) or FORWARD (mangle → filter), and everything leaving goes through
 * POSTROUTING (mangle → nat). Traffic to the host's own address from itself loops through lo and
 * comes back in through PREROUTING (raw, mangle) and INPUT.
 *
 * nat rules run only for the first packet of a connection (conntrack NEW): a packet belonging to a
 * connection in `options.conntrack` is translated from the entry instead, as nf_nat_inet_fn does.
 * IP forwarding is assumed on, as on any Kubernetes node.
 *
 * An IPv6 packet walks an ip6tables ruleset (`parseIp6tablesSave`) through the same hooks and
 * tables; the kernel never shows a packet to the other family's rules, so a packet whose family is
 * not the ruleset's is refused.
 *
 * @example
 * const walk = walkPacket(ruleset, { protocol: "tcp", src: "10.0.0.2", srcPort: 40000, dst: "172.30.0.41", dstPort: 80 }, host, { seed: 1 });
 * walk.chosen // "10.180.0.1:80"
 */
export function walkPacket(ruleset: Ruleset, packet: PacketSpec, host: HostContext | HostModel, options: WalkOptions = {}): Walk {
  const hostModel = "isLocal" in host ? host : compileHost(host);
  const proto = PROTOCOL_NUMBERS[packet.protocol];
  if (proto === undefined || !["tcp", "udp", "sctp"].includes(packet.protocol)) throw new InputError(String(packet.protocol), "the protocol is tcp, udp or sctp");
  for (const port of [packet.srcPort, packet.dstPort]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(String(port), "a port is a whole number from 1 to 65535");
  }
  const family = familyOfText(packet.src);
  if (familyOfText(packet.dst) !== family) throw new InputError(`${packet.src} → ${packet.dst}`, "the source and destination of one packet are of one family (both IPv4 or both IPv6)");
  if (ruleset.family !== family) {
    throw new InputError(packet.dst, `an ${family} packet meets only ${toolOf(family)} rules, and these are ${toolOf(ruleset.family)} (${ruleset.family}) rules; walk the node's ${toolOf(family)}-save dump instead`);
  }
  const random = seededRandom(options.seed ?? 1);
  const recent = options.recent ?? new RecentLists();
  const now = options.now ?? 0;
  const ipsets = compileIpsets(options.ipsets ?? {});
  for (const name of ruleset.ipsetNames) {
    if (!ipsets.has(name)) throw new InputError(name, `the rules match ipset "${name}", which was not given in options.ipsets (the kernel refuses such rules: "Set ${name} doesn't exist")`);
  }
  const env: MatchEnvironment = {
    addressType: (a, iface) => hostModel.addressType(a, iface),
    ipv6AddressTypes: (a, iface) => hostModel.ipv6AddressTypes(a, iface),
    ipset: (name) => ipsets.get(name)!,
    recent,
    now,
  };

  const steps: WalkStep[] = [];
  let rulesEvaluated = 0;
  const state: State = {
    proto,
    src: parseAddress(packet.src, family),
    dst: parseAddress(packet.dst, family),
    srcPort: packet.srcPort,
    dstPort: packet.dstPort,
    inIface: "",
    outIface: "",
    mark: (options.mark ?? 0) >>> 0,
    ctstate: CT_NEW,
    hook: "PREROUTING",
  };
  const original = { src: state.src, dst: state.dst, srcPort: state.srcPort, dstPort: state.dstPort };

  // conntrack keys its tuples by the canonical text ("fd00::a", not "FD00:0::A").
  const found = options.conntrack?.lookup(packet.protocol, formatAddress(state.src), packet.srcPort, formatAddress(state.dst), packet.dstPort) ?? null;
  if (found) {
    state.ctstate = CT_ESTABLISHED | (isDnatEntry(found.entry) ? CT_DNAT : 0) | (isSnatEntry(found.entry) ? CT_SNAT : 0);
    steps.push({ kind: "conntrack", action: "established", detail: `belongs to an existing connection (${found.direction} direction): ctstate ${formatCtState(state.ctstate)}; nat rules are not consulted`, after: snapshot(state) });
  } else {
    steps.push({ kind: "conntrack", action: "new", detail: "no conntrack entry: ctstate NEW, nat rules decide this connection's translation", after: snapshot(state) });
  }

  let explicitAccept = false;
  let dnat: string | null = null;
  let masquerade = false;
  let candidates: string[] = [];
  let discard: "DROP" | "REJECT" | null = null;

  /** Runs one built-in chain of one table; returns false if the packet was discarded. */
  const runTable = (table: TableName, hook: Hook): boolean => {
    const t = ruleset.tables[table];
    if (!t) return true;
    const builtin = t.chains.get(hook);
    if (!builtin) return true;
    state.hook = hook;
    steps.push({ kind: "hook", hook, table });
    const result = runChain(builtin, table);
    if (result.kind === "DROP" || result.kind === "REJECT") {
      discard = result.kind;
      return false;
    }
    return true;
  };

  const runChain = (builtin: Chain, table: TableName): ChainResult => {
    const chains = ruleset.tables[table]!.chains;
    const stack: { chain: Chain; next: number; relevant: readonly number[] | null; cursor: number }[] = [];
    let chain = builtin;
    let i = 0;
    let relevant = relevantRules(chain, state.dst);
    let cursor = 0;
    for (;;) {
      if (i >= chain.rules.length) {
        if (chain.builtin || stack.length === 0) return policy(builtin, table);
        const back = stack.pop()!;
        steps.push({ kind: "return", table, from: chain.name, to: back.chain.name, implicit: true, depth: stack.length });
        chain = back.chain;
        i = back.next;
        relevant = back.relevant;
        cursor = back.cursor;
        continue;
      }
      if (relevant !== null) {
        // Rules the destination index rules out fail on their -d, their first check.
        const until = cursor < relevant.length ? relevant[cursor]! : chain.rules.length;
        if (i < until) {
          const cached = skippedSteps(chain, stack.length);
          for (; i < until; i++) {
            if (i < cursor) continue;
            steps.push(cached[i] ?? (cached[i] = skippedStep(chain.rules[i]!, stack.length)));
            rulesEvaluated++;
          }
          continue;
        }
        cursor++;
      }
      const rule = chain.rules[i]!;
      rulesEvaluated++;
      const step = evaluateRule(rule, stack.length);
      if (!step.matched) {
        i++;
        continue;
      }
      const target = rule.target;
      switch (target.kind) {
        case "NONE":
          i++;
          continue;
        case "ACCEPT":
          explicitAccept = true;
          steps.push({ kind: "verdict", table, chain: chain.name, index: rule.index, verdict: "ACCEPT" });
          return { kind: "ACCEPT" };
        case "DROP":
          steps.push({ kind: "verdict", table, chain: chain.name, index: rule.index, verdict: "DROP" });
          return { kind: "DROP" };
        case "REJECT":
          steps.push({ kind: "verdict", table, chain: chain.name, index: rule.index, verdict: "REJECT" });
          steps.push({ kind: "target", table, chain: chain.name, index: rule.index, target: "REJECT", detail: `answers with ${target.rejectWith}` });
          return { kind: "REJECT" };
        case "RETURN": {
          if (chain.builtin || stack.length === 0) {
            if (!chain.builtin) steps.push({ kind: "return", table, from: chain.name, to: builtin.name, implicit: false, depth: 0 });
            return policy(builtin, table);
          }
          const back = stack.pop()!;
          steps.push({ kind: "return", table, from: chain.name, to: back.chain.name, implicit: false, depth: stack.length });
          chain = back.chain;
          i = back.next;
          relevant = back.relevant;
          cursor = back.cursor;
          continue;
        }
        case "JUMP": {
          const next = chains.get(target.chain)!;
          steps.push({ kind: "jump", table, from: chain.name, to: next.name, goto: target.goto, depth: stack.length + 1 });
          // -g leaves no return address: the target chain's end returns to our caller (ipt_do_table).
          if (!target.goto) stack.push({ chain, next: i + 1, relevant, cursor });
          chain = next;
          i = 0;
          relevant = relevantRules(chain, state.dst);
          cursor = 0;
          continue;
        }
        case "MARK": {
          const before = state.mark;
          state.mark = ((state.mark & ~target.mask) ^ target.value) >>> 0;
          steps.push({ kind: "target", table, chain: chain.name, index: rule.index, target: "MARK", detail: `mark 0x${before.toString(16)} → 0x${state.mark.toString(16)}`, after: snapshot(state) });
          i++;
          continue;
        }
        case "DNAT": {
          const port = target.port ?? state.dstPort;
          const before = formatHostPort(state.dst, state.dstPort);
          state.dst = target.address;
          state.dstPort = port;
          state.ctstate |= CT_DNAT;
          dnat = formatHostPort(target.address, port);
          steps.push({ kind: "target", table, chain: chain.name, index: rule.index, target: "DNAT", detail: `destination ${before} → ${dnat}`, after: snapshot(state) });
          return { kind: "NAT" };
        }
        case "SNAT": {
          const before = formatHostPort(state.src, state.srcPort);
          state.src = target.address;
          if (target.port !== null) state.srcPort = target.port;
          else if (target.randomFully) state.srcPort = randomPort();
          state.ctstate |= CT_SNAT;
          steps.push({ kind: "target", table, chain: chain.name, index: rule.index, target: "SNAT", detail: `source ${before} → ${formatHostPort(state.src, state.srcPort)}`, after: snapshot(state) });
          return { kind: "NAT" };
        }
        case "MASQUERADE": {
          // nf_nat_masquerade_ipv4(): the source becomes inet_select_addr(out, nexthop, universe) — an
          // address of the outgoing device, or, when it has none (a Pod's host-side veth under GKE's
          // CNI), the first universe-scope address of any interface. Only with none at all is the
          // packet dropped. nf_nat_masquerade_ipv6() asks ipv6_dev_get_saddr() (RFC 6724 source
          // selection over every interface's addresses, the outgoing one's first) instead; the
          // route's preferred source plays no part there.
          let address: Address | null;
          if (family === "IPv6") address = hostModel.ipv6SourceAddress(state.outIface, state.dst as bigint);
          else address = hostModel.route(state.dst)?.src ?? hostModel.primaryAddress(state.outIface) ?? hostModel.anyUniverseAddress();
          if (address === null) {
            steps.push({ kind: "target", table, chain: chain.name, index: rule.index, target: "MASQUERADE", detail: `no interface has an ${family} address to masquerade as; the kernel drops the packet` });
            return { kind: "DROP" };
          }
          const before = formatHostPort(state.src, state.srcPort);
          state.src = address;
          if (target.randomFully) state.srcPort = randomPort();
          state.ctstate |= CT_SNAT;
          masquerade = true;
          steps.push({ kind: "target", table, chain: chain.name, index: rule.index, target: "MASQUERADE", detail: `source ${before} → ${formatHostPort(state.src, state.srcPort)} (address of ${state.outIface})`, after: snapshot(state) });
          return { kind: "NAT" };
        }
      }
    }
  };

  const policy = (builtin: Chain, table: TableName): ChainResult => {
    const p = builtin.policy ?? "ACCEPT";
    steps.push({ kind: "policy", table, chain: builtin.name, policy: p });
    return { kind: p === "DROP" ? "DROP" : "ACCEPT" };
  };

  // --random-fully: a random port from the ephemeral range; seeded here so walks stay reproducible.
  const randomPort = () => 1024 + Math.floor(random() * (65536 - 1024));

  const evaluateRule = (rule: Rule, depth: number): { matched: boolean } => {
    let failed: CompiledMatch | null = null;
    let draw: { value: number; threshold: number; probability: number } | undefined;
    let recentStep: { list: string; command: string; address: string; hit: boolean } | undefined;
    const matches = rule.matches;
    for (let m = 0; m < matches.length; m++) {
      const match = matches[m]!;
      if (match.kind === "statistic") {
        const value = Math.floor(random() * TWO_31);
        draw = { value, threshold: match.threshold!, probability: match.probability! };
        if ((value < match.threshold!) === Boolean(match.inverted)) {
          failed = match;
          break;
        }
        continue;
      }
      if (match.kind === "recent") {
        const hit = evaluateRecent(match, state, recent, now);
        const spec = match.recent!;
        recentStep = { list: spec.name, command: spec.command, address: formatAddress(maskAddress(spec.side === "rsource" ? state.src : state.dst, spec.mask)), hit };
        if (hit === Boolean(match.inverted)) {
          failed = match;
          break;
        }
        continue;
      }
      if (!match.test(state, env)) {
        failed = match;
        break;
      }
    }
    const step: WalkStep = {
      kind: "rule",
      table: rule.table,
      chain: rule.chain,
      index: rule.index,
      line: rule.line,
      text: rule.text,
      matched: failed === null,
      failed: failed === null ? null : failed.text,
      depth,
    };
    if (draw) step.draw = draw;
    if (recentStep) step.recent = recentStep;
    steps.push(step);
    return step;
  };

  /** nat at a destination-manipulating hook (PREROUTING/OUTPUT): the rules for NEW, the entry otherwise. */
  const natDestination = (hook: "PREROUTING" | "OUTPUT"): boolean => {
    if (found) {
      translateFromEntry("dst", hook);
      return true;
    }
    if (!ruleset.tables.nat) return true;
    candidates = exploreCandidates(ruleset, hook, { ...state, hook }, env);
    return runTable("nat", hook);
  };

  const natSource = (hook: "POSTROUTING" | "INPUT"): boolean => {
    if (found) {
      translateFromEntry("src", hook);
      return true;
    }
    return runTable("nat", hook);
  };

  const translateFromEntry = (manip: "src" | "dst", hook: Hook) => {
    const { entry, direction } = found!;
    // A packet in the original direction is made to look like the reverse of the reply tuple; a
    // reply is made to look like the reverse of the original tuple (nf_nat_packet / nf_ct_invert_tuple).
    const want = direction === "original" ? { src: entry.reply.dst, srcPort: entry.reply.dstPort, dst: entry.reply.src, dstPort: entry.reply.srcPort } : { src: entry.original.dst, srcPort: entry.original.dstPort, dst: entry.original.src, dstPort: entry.original.srcPort };
    if (manip === "dst") {
      const before = formatHostPort(state.dst, state.dstPort);
      const after = formatHostPort(want.dst, want.dstPort);
      state.dst = parseAddress(want.dst, family);
      state.dstPort = want.dstPort;
      steps.push({ kind: "conntrack", action: "translate", detail: before === after ? `nat ${hook}: destination unchanged (${after})` : `nat ${hook}: conntrack rewrites the destination ${before} → ${after}`, after: snapshot(state) });
    } else {
      const before = formatHostPort(state.src, state.srcPort);
      const after = formatHostPort(want.src, want.srcPort);
      state.src = parseAddress(want.src, family);
      state.srcPort = want.srcPort;
      steps.push({ kind: "conntrack", action: "translate", detail: before === after ? `nat ${hook}: source unchanged (${after})` : `nat ${hook}: conntrack rewrites the source ${before} → ${after}`, after: snapshot(state) });
    }
  };

  const routeStep = () => {
    const route = hostModel.route(state.dst);
    steps.push({ kind: "route", destination: formatAddress(state.dst), device: route?.dev ?? null, local: route?.local ?? false, source: route?.src === undefined || route.src === null ? null : formatAddress(route.src) });
    return route;
  };

  let delivery: Walk["delivery"] = null;
  let confirmed = false;
  const pass = (table: TableName, hook: Hook) => runTable(table, hook);

  const localIn = (): boolean => {
    state.outIface = "";
    if (!pass("mangle", "INPUT") || !pass("filter", "INPUT")) return false;
    if (!confirmed && !natSource("INPUT")) return false;
    delivery = { kind: "local", device: state.inIface };
    return true;
  };

  const postrouting = (): boolean => {
    // POSTROUTING has no input device (ip_output passes indev NULL to the hook).
    state.inIface = "";
    if (!pass("mangle", "POSTROUTING")) return false;
    if (!natSource("POSTROUTING")) return false;
    return true;
  };

  const walkFromOutside = (): boolean => {
    state.inIface = packet.inInterface ?? hostModel.route(state.src)?.dev ?? "";
    state.outIface = "";
    if (!pass("raw", "PREROUTING") || !pass("mangle", "PREROUTING")) return false;
    if (!natDestination("PREROUTING")) return false;
    const route = routeStep();
    if (!route) {
      steps.push({ kind: "conntrack", action: "discard", detail: "no route to the destination: the packet is dropped (ICMP net unreachable)" });
      discard = "DROP";
      return false;
    }
    if (route.local) return localIn();
    state.outIface = route.dev;
    if (!pass("mangle", "FORWARD") || !pass("filter", "FORWARD")) return false;
    if (!postrouting()) return false;
    delivery = { kind: "forward", device: route.dev };
    return true;
  };

  const walkFromHost = (): boolean => {
    state.inIface = "";
    let route = routeStep();
    if (!route) {
      steps.push({ kind: "conntrack", action: "discard", detail: "no route: connect() fails with ENETUNREACH before any hook" });
      discard = "DROP";
      return false;
    }
    state.outIface = route.dev;
    if (!pass("raw", "OUTPUT") || !pass("mangle", "OUTPUT")) return false;
    const dstBefore = state.dst;
    if (!natDestination("OUTPUT")) return false;
    if (state.dst !== dstBefore) {
      // ip_route_me_harder(): a destination changed in OUTPUT is routed again.
      route = routeStep();
      if (!route) {
        discard = "DROP";
        return false;
      }
      state.outIface = route.dev;
    }
    if (!pass("filter", "OUTPUT")) return false;
    if (!postrouting()) return false;
    if (!route.local) {
      delivery = { kind: "output", device: route.dev };
      return true;
    }
    // Looped back through lo: conntrack confirmed the entry on the way out, and both NAT bindings
    // are set, so nat PREROUTING and nat INPUT are not consulted again on the way in.
    confirm();
    state.inIface = "lo";
    state.outIface = "";
    if (!pass("raw", "PREROUTING") || !pass("mangle", "PREROUTING")) return false;
    if (ruleset.tables.nat) steps.push({ kind: "skip", hook: "PREROUTING", table: "nat", reason: "looped back: the connection's NAT is already set up" });
    return localIn();
  };

  let entry: ConntrackEntry | null = null;
  const confirm = () => {
    if (confirmed) return;
    confirmed = true;
    const protocol = packet.protocol as TrackedProtocol;
    if (found) {
      const replied = found.direction === "reply" || !found.entry.flags.includes("UNREPLIED");
      const stateName = protocol === "tcp" ? (found.direction === "reply" && found.entry.state === "SYN_SENT" ? "SYN_RECV" : found.entry.state) : found.entry.state;
      entry = {
        ...found.entry,
        state: stateName,
        flags: replied ? (protocol === "udp" ? ["ASSURED"] : []) : ["UNREPLIED"],
        timeout: conntrackTimeout(protocol, stateName, replied),
      };
      return;
    }
    const stateName = protocol === "tcp" ? "SYN_SENT" : protocol === "sctp" ? "CLOSED" : null;
    entry = {
      protocol,
      original: { src: formatAddress(original.src), dst: formatAddress(original.dst), srcPort: original.srcPort, dstPort: original.dstPort },
      reply: { src: formatAddress(state.dst), dst: formatAddress(state.src), srcPort: state.dstPort, dstPort: state.srcPort },
      state: stateName,
      flags: ["UNREPLIED"],
      timeout: conntrackTimeout(protocol, stateName, false),
      mark: 0,
    };
  };

  const fromHost = hostModel.isLocal(state.src);
  const delivered = fromHost ? walkFromHost() : walkFromOutside();
  if (delivered) confirm();
  if (entry) {
    const { original: o, reply: r } = entry as ConntrackEntry;
    steps.push({ kind: "conntrack", action: "confirm", detail: `conntrack entry: ${formatHostPort(o.src, o.srcPort)} → ${formatHostPort(o.dst, o.dstPort)}, reply expected from ${formatHostPort(r.src, r.srcPort)}` });
  } else if (!found) {
    steps.push({ kind: "conntrack", action: "discard", detail: "the packet was discarded before conntrack confirmed it: no entry is created" });
  }
  const verdict: Verdict = discard ?? (dnat !== null ? "DNAT" : explicitAccept ? "ACCEPT" : "NONE");
  return {
    verdict,
    candidates,
    chosen: dnat,
    masquerade,
    steps,
    rulesEvaluated,
    packetOut: delivered ? { protocol: packet.protocol, src: formatAddress(state.src), srcPort: state.srcPort, dst: formatAddress(state.dst), dstPort: state.dstPort } : null,
    conntrack: entry,
    delivery: delivered ? (delivery as Walk["delivery"]) : null,
  };
}

function isDnatEntry(e: ConntrackEntry): boolean {
  return e.reply.src !== e.original.dst || e.reply.srcPort !== e.original.dstPort;
}
function isSnatEntry(e: ConntrackEntry): boolean {
  return e.reply.dst !== e.original.src || e.reply.dstPort !== e.original.srcPort;
}

/**
 * xt_recent's match (recent_mt in xt_recent.c): --set records and matches; --rcheck matches when
 * the address was seen (within --seconds, at least --hitcount times); --update is --rcheck that
 * also records; --remove matches and forgets. --reap drops entries older than --seconds.
 */
function evaluateRecent(match: CompiledMatch, state: State, recent: RecentLists | MatchEnvironment["recent"], now: number): boolean {
  const spec = match.recent!;
  const address = maskAddress(spec.side === "rsource" ? state.src : state.dst, spec.mask);
  if (spec.command === "set") {
    recent.record(spec.name, address, now);
    return true;
  }
  const seen = recent.seen(spec.name, address);
  if (!seen || seen.length === 0) return false;
  if (spec.command === "remove") {
    recent.remove(spec.name, address);
    return true;
  }
  const since = spec.seconds === null ? -Infinity : now - spec.seconds;
  const hits = seen.filter((t) => t >= since).length;
  const hit = hits >= (spec.hitcount ?? 1);
  if (spec.reap && spec.seconds !== null && "reap" in recent) (recent as RecentLists).reap(spec.name, address, since);
  if (spec.command === "update" && hit) recent.record(spec.name, address, now);
  return hit;
}

/**
 * Every DNAT destination the nat chain at `hook` can reach for this packet, exploring both outcomes
 * of each statistic and recent match (kube-proxy's tracer does the same in runChain: a branch only
 * ends the chain when it was not probabilistic). Marks set on one branch do not leak into another.
 */
function exploreCandidates(ruleset: Ruleset, hook: Hook, start: State, env: MatchEnvironment): string[] {
  const nat = ruleset.tables.nat!;
  const found: string[] = [];
  const seen = new Set<string>();
  let budget = 200_000;
  const explore = (chain: Chain, s: State, depth: number): boolean => {
    if (depth > 64) return false;
    const relevant = relevantRules(chain, s.dst);
    const count = relevant === null ? chain.rules.length : relevant.length;
    for (let k = 0; k < count; k++) {
      const rule = chain.rules[relevant === null ? k : relevant[k]!]!;
      if (--budget < 0) return true;
      let maybe = false;
      let no = false;
      for (const match of rule.matches) {
        if (match.kind === "statistic") {
          if (match.threshold === 0 && !match.inverted) no = true;
          else if (match.threshold !== TWO_31 || match.inverted) maybe = true;
        } else if (match.kind === "recent") {
          if (match.recent!.command !== "set") maybe = true;
        } else if (!match.test(s, env)) {
          no = true;
        }
        if (no) break;
      }
      if (no) continue;
      const branch = maybe ? { ...s } : s;
      const t = rule.target;
      let terminated = false;
      let returned = false;
      switch (t.kind) {
        case "NONE":
          break;
        case "MARK":
          branch.mark = ((branch.mark & ~t.mask) ^ t.value) >>> 0;
          break;
        case "RETURN":
          returned = true;
          break;
        case "JUMP": {
          terminated = explore(nat.chains.get(t.chain)!, branch, depth + 1);
          if (t.goto) returned = true;
          break;
        }
        case "DNAT": {
          const target = formatHostPort(t.address, t.port ?? s.dstPort);
          if (!seen.has(target)) {
            seen.add(target);
            found.push(target);
          }
          terminated = true;
          break;
        }
        default:
          terminated = true;
      }
      if (maybe) continue;
      if (terminated) return true;
      if (returned) return false;
    }
    return false;
  };
  explore(nat.chains.get(hook)!, start, 0);
  return found;
}

/**
 * Positions (0-based, ascending) of the rules in a long chain that can match this destination —
 * those indexed under it plus those without an exact -d — or null to scan every rule.
 */
function relevantRules(chain: Chain, dst: Address): readonly number[] | null {
  const index = chain.dstIndex;
  if (!index) return null;
  const hits = index.byDst.get(dst);
  if (!hits) return index.always;
  const merged: number[] = [];
  let a = 0;
  let b = 0;
  while (a < hits.length || b < index.always.length) {
    if (b >= index.always.length || (a < hits.length && hits[a]! < index.always[b]!)) merged.push(hits[a++]!);
    else merged.push(index.always[b++]!);
  }
  return merged;
}

// The "no match — -d …" step of an indexed rule never changes, so walks share one object per rule
// and depth (steps are read-only).
const skippedCache = new WeakMap<Chain, Map<number, WalkStep[]>>();
function skippedSteps(chain: Chain, depth: number): WalkStep[] {
  let byDepth = skippedCache.get(chain);
  if (!byDepth) skippedCache.set(chain, (byDepth = new Map()));
  let list = byDepth.get(depth);
  if (!list) byDepth.set(depth, (list = []));
  return list;
}
function skippedStep(rule: Rule, depth: number): WalkStep {
  return Object.freeze({ kind: "rule", table: rule.table, chain: rule.chain, index: rule.index, line: rule.line, text: rule.text, matched: false, failed: rule.matches[0]!.text, depth });
}
