import type { DecisionTable, Step, SubStep, Trace, Unit } from "../../sim/core/trace";
import type { PacketUnit } from "../../sim/net/packet-unit";

/**
 * Fills in what the in-cluster traces leave implicit, so the step labs can show every decision:
 *
 * - **The packet after each decision.** The netfilter walk says *what* changed in words — "destination
 *   10.96.120.15:80 → 10.244.1.12:8080" on a DNAT, "conntrack rewrites the source …" on the reply,
 *   "mark 0x0 → 0x4000", "route to … dev eth0" — but its sub-steps carry no `unit`, so without this
 *   the packet would look untouched until the step ends. Each change is applied where the walk made it.
 * - **The row each decision was made against.** Only rules point at their `iptables-save` line. A hook
 *   or a chain's policy is now pointed at the chain's declaration (`:PREROUTING ACCEPT [0:0]` in its
 *   table's section); a jump, a target (DNAT, MARK, MASQUERADE) or a verdict at the rule that fired it;
 *   a return at the rule that jumped into the chain — so the highlighted row never disappears mid-walk.
 *
 * Nothing the simulator set is overwritten: a step whose sub-steps already carry units, or a sub-step
 * with a `ref`, is kept as it is. When the simulator sets units and refs itself, this becomes a no-op.
 */
export function withNetfilterDetail<T extends Trace>(trace: T): T {
  const tables = new Map(trace.tables.map((t) => [t.id, t] as const));
  const steps = trace.steps.map((step) => enrichStep(step, tables));
  return { ...trace, steps } as T;
}

type Endpoint = { ip: string; port: number };

/** "10.96.120.15:80" or "[fd00::a]:80". */
function endpoint(text: string): Endpoint | null {
  const m = /^\[?([^\]\s]+?)\]?:(\d+)$/.exec(text.trim());
  return m ? { ip: m[1]!, port: Number(m[2]) } : null;
}

/** "destination A → B" / "the source A → B" in a sub-step's detail. */
function rewriteIn(detail: string): { field: "src" | "dst"; to: Endpoint } | null {
  const m = /\b(source|destination)\s+(\S+)\s+→\s+(\S+)/.exec(detail);
  if (!m) return null;
  const to = endpoint(m[3]!);
  return to ? { field: m[1] === "source" ? "src" : "dst", to } : null;
}

const isPacket = (u: Unit | null | undefined): u is PacketUnit => !!u && u.kind === "packet";

/** The row of `:CHAIN` inside the `*table` section of an iptables-save dump. */
export function chainDeclarationRow(table: DecisionTable, tableName: string, chain: string): number | null {
  let inSection = false;
  for (let i = 0; i < table.rows.length; i++) {
    const row = table.rows[i]!;
    if (row.startsWith("*")) inSection = row.slice(1).trim() === tableName;
    else if (inSection && row.startsWith(`:${chain} `)) return i;
    else if (inSection && row === "COMMIT") inSection = false;
  }
  return null;
}

const TARGET_KINDS = new Set(["jump", "dnat", "snat", "masquerade", "mark", "target", "verdict"]);

function enrichStep(step: Step, tables: ReadonlyMap<string, DecisionTable>): Step {
  if (step.sub.length === 0) return step;
  const rules = step.tables.map((id) => tables.get(id)).find((t) => t?.format.startsWith("iptables")) ?? null;
  const deriveUnits = isPacket(step.in) && !step.sub.some((s) => s.unit);
  let packet: PacketUnit | null = isPacket(step.in) ? step.in : null;
  let lastRule: number | null = null;
  const callers: (number | null)[] = [];

  const sub = step.sub.map((s): SubStep => {
    let ref = s.ref;
    if (ref) {
      if (ref.table === rules?.id && ref.row !== null) lastRule = ref.row;
    } else if (rules) {
      if (s.kind === "hook" || s.kind === "policy" || s.kind === "skip") {
        // "nat PREROUTING", "mangle FORWARD policy ACCEPT": the chain's declaration carries its policy.
        const [tableName, chain] = s.label.split(/\s+/);
        const row = tableName && chain ? chainDeclarationRow(rules, tableName, chain) : null;
        if (row !== null) ref = { table: rules.id, row };
        if (s.kind === "hook") callers.length = 0;
      } else if (s.kind === "return") {
        const row = callers.pop() ?? null;
        if (row !== null) ref = { table: rules.id, row };
      } else if (TARGET_KINDS.has(s.kind) && lastRule !== null) {
        ref = { table: rules.id, row: lastRule };
      }
      // A jump returns to the rule after its caller; a goto does not come back (iptables -g).
      if (s.kind === "jump" && !/\bgoto\b/.test(s.detail)) callers.push(lastRule);
    }

    let unit = s.unit;
    if (deriveUnits && packet) {
      const next = applyChange(packet, s);
      if (next !== packet) {
        packet = next;
        unit = next;
      }
    }
    return ref === s.ref && unit === s.unit ? s : { ...s, ...(ref ? { ref } : {}), ...(unit ? { unit } : {}) };
  });

  // The walk's words and the step's output should agree on the 5-tuple; if they do not (a wording this
  // reader does not know), the output is shown after the last decision rather than a wrong packet.
  if (deriveUnits && isPacket(step.out) && packet && !sameTuple(packet, step.out)) {
    const last = sub.length - 1;
    sub[last] = { ...sub[last]!, unit: step.out };
  }
  return { ...step, sub };
}

function sameTuple(a: PacketUnit, b: PacketUnit): boolean {
  return a.protocol === b.protocol && a.src === b.src && a.srcPort === b.srcPort && a.dst === b.dst && a.dstPort === b.dstPort;
}

/** The packet after one decision, or the same object when the decision changed nothing. */
function applyChange(packet: PacketUnit, s: SubStep): PacketUnit {
  switch (s.kind) {
    case "dnat":
    case "snat":
    case "masquerade":
    case "target":
    case "conntrack": {
      if (s.kind === "conntrack") {
        // "no conntrack entry: ctstate NEW …", "belongs to an existing connection …: ctstate ESTABLISHED,DNAT …"
        const state = /\bctstate\s+(NEW|ESTABLISHED)\b/.exec(s.detail)?.[1] as PacketUnit["ctstate"] | undefined;
        if (state && state !== packet.ctstate) packet = { ...packet, ctstate: state };
      }
      const change = rewriteIn(s.detail);
      if (!change) return packet;
      const port = change.field === "src" ? "srcPort" : "dstPort";
      if (packet[change.field] === change.to.ip && packet[port] === change.to.port) return packet;
      return { ...packet, [change.field]: change.to.ip, [port]: change.to.port };
    }
    case "mark": {
      const to = /mark\s+\S+\s+→\s+(0x[0-9a-f]+)/i.exec(s.detail)?.[1];
      if (!to) return packet;
      const mark = /^0x0+$/i.test(to) ? null : to;
      return mark === packet.mark ? packet : { ...packet, mark };
    }
    case "route": {
      const dev = /\bdev\s+(\S+)/.exec(s.detail)?.[1];
      return dev && dev !== packet.iface ? { ...packet, iface: dev } : packet;
    }
    default:
      return packet;
  }
}
