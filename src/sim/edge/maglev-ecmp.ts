import { maglevTable } from "./maglev";
import { hashMod, type Flow } from "./maglev-flows";
import { fmix32 } from "./maglev-schemes";

/**
 * The two halves of Maglev's answer to "keep every packet of a connection on one backend" (Eisenbud et
 * al., NSDI 2016, §3.3):
 *
 * 1. The edge router spreads packets for the VIP over every Maglev that announces it, by ECMP. ECMP
 *    hashes the 5-tuple onto one of the equal-cost next hops; it keeps no per-connection state, so when
 *    a Maglev leaves or joins, the router's buckets shift and some connections land on another Maglev.
 * 2. Each Maglev keeps a connection-tracking table: a flow's first packet is looked up in the Maglev
 *    hashing table, and the choice is remembered; later packets reuse it while that backend is healthy.
 *    A Maglev that has no entry (a flow the router just moved to it, or an entry evicted from a full
 *    table) falls back to its lookup table — and because every Maglev builds the same table from the
 *    same backend set, it picks the same backend, unless the set changed in the meantime.
 *
 * Simplifications: one conntrack table per Maglev (the paper keeps one per packet thread, and the
 * 5-tuple steering keeps a flow on one thread); entries never expire; a backend is healthy exactly
 * when it is in the set.
 */

/**
 * How a router maps a flow onto N next hops. `hash-threshold` (RFC 2992): the 32-bit hash space is cut
 * into N equal regions; `modulo-n` (RFC 2991): hash mod N. Real routers use their own (vendor) hash of
 * the 5-tuple; this one is not Maglev's, on purpose: the router and Maglev hash independently.
 */
export type EcmpMethod = "hash-threshold" | "modulo-n";

/** The router's own 32-bit hash of the flow. */
export function routerHash(flow: Flow): number {
  return fmix32(flow.lo ^ 0x5bd1e995 ^ fmix32(flow.hi));
}

/** The next hop (a Maglev) the router sends this flow's packets to. */
export function ecmpNextHop(flow: Flow, nextHops: readonly string[], method: EcmpMethod = "hash-threshold"): string {
  if (nextHops.length === 0) throw new Error("ECMP needs at least one next hop");
  const h = routerHash(flow);
  const i = method === "modulo-n" ? h % nextHops.length : Math.floor((h * nextHops.length) / 2 ** 32);
  return nextHops[i]!;
}

/**
 * How a Maglev treats a mid-connection packet it has no entry for. `maglev`: look it up in the table
 * like a first packet (what the paper describes). `conntrack-miss-drops`: a wrong model — a balancer
 * that trusts only its own state and drops what it does not know, as stateful NAT pairs do.
 */
export type MaglevForwardModel = "maglev" | "conntrack-miss-drops";

/** One Maglev machine: its name, the backend set its table is built from, and its conntrack entries. */
export interface MaglevMachine {
  readonly name: string;
  readonly backends: readonly string[];
  /** flow key → backend chosen for it. */
  readonly conntrack: ReadonlyMap<string, string>;
}

export interface Forwarding {
  readonly maglev: string;
  /** "hit": reused an entry; "miss": looked up the table and added an entry; "stale": an entry named a backend no longer in the set. */
  readonly conntrack: "hit" | "miss" | "stale";
  /** The table slot consulted, or null on a hit. */
  readonly slot: number | null;
  /** The backend the packet is encapsulated to (GRE), or null when dropped. */
  readonly backend: string | null;
  readonly machine: MaglevMachine;
}

/**
 * One packet through one Maglev (paper §3.1, the packet thread): look up the 5-tuple in the conntrack
 * table; reuse a hit whose backend is still healthy; otherwise pick from the Maglev hashing table and
 * remember the pick.
 */
export function maglevForward(
  machine: MaglevMachine,
  flow: Flow,
  opts: { readonly tableSize: number; readonly firstPacket: boolean; readonly model?: MaglevForwardModel },
): Forwarding {
  const known = machine.conntrack.get(flow.key);
  if (known !== undefined && machine.backends.includes(known)) {
    return { maglev: machine.name, conntrack: "hit", slot: null, backend: known, machine };
  }
  const state = known === undefined ? "miss" : "stale";
  if (state === "miss" && !opts.firstPacket && opts.model === "conntrack-miss-drops") {
    return { maglev: machine.name, conntrack: state, slot: null, backend: null, machine };
  }
  const table = maglevTable(machine.backends, opts.tableSize);
  const slot = hashMod(flow, opts.tableSize);
  const backend = machine.backends[table.entries[slot]!]!;
  const conntrack = new Map(machine.conntrack);
  conntrack.set(flow.key, backend);
  return { maglev: machine.name, conntrack: state, slot, backend, machine: { ...machine, conntrack } };
}

/** One step of the ECMP + connection-tracking story. */
export interface ConntrackStep {
  readonly id: string;
  /** Who acts: the router, a Maglev, or the operator changing the set. */
  readonly actor: string;
  readonly title: string;
  readonly detail: string;
  /** The Maglev the packet reached, the conntrack outcome, the slot read and the backend chosen. */
  readonly forwarding: Omit<Forwarding, "machine"> | null;
  /** Every Maglev's conntrack entry for the flow after this step ("–" when it has none). */
  readonly entries: readonly { readonly maglev: string; readonly backend: string | null }[];
}

export interface ConntrackStoryInput {
  readonly maglevs: readonly string[];
  /** Backend (GFE) set when the connection opens, and after the change (the same set when nothing changed). */
  readonly gfesBefore: readonly string[];
  readonly gfesAfter: readonly string[];
  readonly flow: Flow;
  readonly tableSize: number;
  readonly ecmp?: EcmpMethod;
  readonly model?: MaglevForwardModel;
}

export interface ConntrackStory {
  readonly steps: readonly ConntrackStep[];
  /** The GFE the connection was opened on, the one its last packet reached (null: dropped), and whether it survived. */
  readonly openedOn: string;
  readonly endedOn: string | null;
  readonly survived: boolean;
  /** The Maglev drained, and the one the router moves the flow to. */
  readonly drained: string;
  readonly takeover: string;
}

/**
 * A connection's life across an ECMP reshuffle: its first packet and a later one through the Maglev
 * the router picks; then (if the sets differ) the GFE set changes and every Maglev rebuilds its table;
 * then that Maglev is drained (its controller withdraws the VIP, §2.2) and the router sends the flow
 * to another Maglev, which has no entry for it.
 */
export function conntrackStory(input: ConntrackStoryInput): ConntrackStory {
  const { flow, tableSize, model } = input;
  const method = input.ecmp ?? "hash-threshold";
  if (input.maglevs.length < 2) throw new Error("the story needs at least two Maglevs");
  let machines: MaglevMachine[] = input.maglevs.map((name) => ({ name, backends: input.gfesBefore, conntrack: new Map() }));
  const steps: ConntrackStep[] = [];
  const entries = () => machines.map((m) => ({ maglev: m.name, backend: m.conntrack.get(flow.key) ?? null }));
  const send = (to: string, firstPacket: boolean) => {
    const i = machines.findIndex((m) => m.name === to);
    const f = maglevForward(machines[i]!, flow, { tableSize, firstPacket, ...(model ? { model } : {}) });
    machines = machines.map((m, j) => (j === i ? f.machine : m));
    const { machine: _, ...forwarding } = f;
    return forwarding;
  };
  const describe = (f: Omit<Forwarding, "machine">) =>
    f.backend === null
      ? `${f.maglev} has no conntrack entry for this flow and, trusting only its own state, drops the packet.`
      : f.conntrack === "hit"
        ? `${f.maglev} finds the flow in its conntrack table and reuses the entry: GRE to ${f.backend}.`
        : `${f.maglev} has ${f.conntrack === "stale" ? "an entry naming a GFE that is gone" : "no conntrack entry"}, so it hashes the 5-tuple to slot ${f.slot} of its table, which names ${f.backend}; it remembers that and encapsulates the packet (GRE) to ${f.backend}.`;

  const first = ecmpNextHop(flow, input.maglevs, method);
  steps.push({
    id: "syn-router", actor: "router", title: "The first packet (SYN) reaches the edge router",
    detail: `${input.maglevs.length} Maglevs announce the VIP, so the router has ${input.maglevs.length} equal-cost next hops. Its ECMP hash (${method}) of the 5-tuple picks ${first}.`,
    forwarding: null, entries: entries(),
  });
  const opened = send(first, true);
  steps.push({ id: "syn-maglev", actor: first, title: `${first} picks a GFE`, detail: describe(opened), forwarding: opened, entries: entries() });
  const again = send(first, false);
  steps.push({
    id: "data-maglev", actor: first, title: "A later packet of the same connection",
    detail: `The router hashes the same 5-tuple to the same next hop. ${describe(again)}`, forwarding: again, entries: entries(),
  });

  const changed = input.gfesBefore.join(",") !== input.gfesAfter.join(",");
  if (changed) {
    machines = machines.map((m) => ({ ...m, backends: input.gfesAfter }));
    const gone = input.gfesBefore.filter((g) => !input.gfesAfter.includes(g));
    const joined = input.gfesAfter.filter((g) => !input.gfesBefore.includes(g));
    const what = [gone.length ? `${gone.join(", ")} left` : "", joined.length ? `${joined.join(", ")} joined` : ""].filter(Boolean).join(" and ");
    steps.push({
      id: "gfe-change", actor: "operator", title: "The GFE set changes",
      detail: `${what || "The GFEs were reordered"}; every Maglev rebuilds its lookup table from the new set. Entries already in conntrack tables stay.`,
      forwarding: null, entries: entries(),
    });
    const still = send(first, false);
    steps.push({ id: "data-after-change", actor: first, title: `${first} after the rebuild`, detail: describe(still), forwarding: still, entries: entries() });
  }

  const remaining = input.maglevs.filter((m) => m !== first);
  const takeover = ecmpNextHop(flow, remaining, method);
  steps.push({
    id: "drain", actor: "router", title: `${first} is drained`,
    detail: `${first}'s controller withdraws its BGP announcement of the VIP (for an upgrade, say). The router now has ${remaining.length} next hops; the flow's hash lands on ${takeover}, which has never seen this connection. ECMP keeps no per-flow state.`,
    forwarding: null, entries: entries(),
  });
  const moved = send(takeover, false);
  steps.push({ id: "takeover", actor: takeover, title: `${takeover} receives a mid-connection packet`, detail: describe(moved), forwarding: moved, entries: entries() });

  const openedOn = opened.backend!;
  const endedOn = moved.backend;
  const survived = endedOn === openedOn;
  const verdict = survived
    ? `Same GFE as before: ${takeover}'s table agrees with the one ${first} used, so the connection survives without any state being shared.`
    : endedOn === null
      ? "The packet is lost; the client retransmits into the same black hole until the connection times out."
      : input.gfesAfter.includes(openedOn)
        ? `${endedOn} is not ${openedOn}: the table changed under this flow, and ${endedOn} has no socket for the connection, so it answers with a TCP reset. This is the case neither conntrack nor consistent hashing covers: a Maglev change and a table change together.`
        : `${openedOn} is gone, so the connection is lost whatever happens; ${endedOn} has no socket for it and resets it.`;
  steps.push({ id: "outcome", actor: "outcome", title: survived ? "The connection survives" : "The connection breaks", detail: verdict, forwarding: null, entries: entries() });
  return { steps, openedOn, endedOn, survived, drained: first, takeover };
}
