import { hash32 } from "./bytes";
import { TCP_FLAGS } from "./headers";

/**
 * Sequence numbers that hold together across a capture, per connection and direction, the way a
 * real capture at several points of one path would show them:
 *
 * - each direction starts at an initial sequence number hashed from its 4-tuple (RFC 6528 asks for
 *   a keyed hash of the 4-tuple; here the key is fixed, so the bytes are the same on every run);
 * - a direction's next segment starts where its last one ended (a SYN counts one), and every
 *   segment acknowledges everything the other direction has sent so far;
 * - the same segment seen again — at the next router (TTL one lower), inside a tunnel, or after a
 *   NAT rewrote its addresses and ports — keeps its sequence numbers, IP identification and flags:
 *   routers, tunnels and NAT do not renumber TCP. A proxy's new connection is a new 4-tuple with new
 *   content, so it starts afresh.
 *
 * A connection's client is the side whose segment is seen first; a flow captured mid-stream (the
 * trace models no handshake) starts one past its initial sequence number, as if the SYN had gone by
 * before the capture began.
 */

export interface Tuple {
  readonly src: string;
  readonly srcPort: number;
  readonly dst: string;
  readonly dstPort: number;
}

export type Role = "client" | "server";

/**
 * What the sender means to do: open a connection (a SYN), answer one ("reply": a SYN-ACK when the
 * other side's SYN is still unanswered, data otherwise), or send data.
 */
export type Intent = "open" | "reply" | "data";

export interface Segment {
  readonly seq: number;
  readonly ack: number;
  readonly flags: number;
  readonly role: Role;
  /** IPv4 identification of the packet that carries it. */
  readonly ipId: number;
  /** Sequence space it uses: payload bytes, plus one for a SYN (for SCTP: one TSN per DATA chunk). */
  readonly length: number;
  /** SCTP: the receiver's verification tag. */
  readonly tag: number;
}

/** A transport segment as a step received it, to recognise the same segment after NAT. */
export interface SeenAs {
  readonly tuple: Tuple;
  /** The segment's content, as a key: its application layers, or the unit's payload words. */
  readonly content: string;
}

const dirKey = (t: Tuple) => `${t.src}:${t.srcPort}>${t.dst}:${t.dstPort}`;
const reverse = (t: Tuple): Tuple => ({ src: t.dst, srcPort: t.dstPort, dst: t.src, dstPort: t.srcPort });
const connKey = (t: Tuple) => [dirKey(t), dirKey(reverse(t))].sort().join("|");
const add32 = (a: number, b: number) => (a + b) >>> 0;

interface Direction {
  next?: number;
  syn: boolean;
}

export class FlowTracker {
  private readonly segments = new Map<string, Segment>();
  private readonly directions = new Map<string, Direction>();
  private readonly clients = new Map<string, string>();

  private direction(key: string): Direction {
    let d = this.directions.get(key);
    if (!d) this.directions.set(key, (d = { syn: false }));
    return d;
  }

  private remember(protocol: string, tuple: Tuple, content: string, s: Segment): Segment {
    const d = this.direction(`${protocol} ${dirKey(tuple)}`);
    d.next = add32(s.seq, s.length);
    d.syn ||= (s.flags & TCP_FLAGS.syn) !== 0;
    const conn = `${protocol} ${connKey(tuple)}`;
    if (!this.clients.has(conn)) this.clients.set(conn, s.role === "client" ? dirKey(tuple) : dirKey(reverse(tuple)));
    this.segments.set(`${protocol} ${dirKey(tuple)} ${content}`, s);
    return s;
  }

  /**
   * The segment a step sends on `tuple`: the one already numbered if this is the same segment seen
   * again (here or, before a NAT, as `seenAs`), else the next one in its direction. `length` says
   * how much sequence space a data segment of this role takes (its payload depends on the role:
   * a ClientHello or the server's flight).
   */
  segment(protocol: "tcp" | "sctp", tuple: Tuple, content: string, intent: Intent, seenAs: SeenAs | null, length: (role: Role) => number): Segment {
    const known = this.segments.get(`${protocol} ${dirKey(tuple)} ${content}`)
      ?? (seenAs && seenAs.content === content ? this.segments.get(`${protocol} ${dirKey(seenAs.tuple)} ${content}`) : undefined);
    if (known) return this.remember(protocol, tuple, content, known);

    const own = `${protocol} ${dirKey(tuple)}`;
    const other = `${protocol} ${dirKey(reverse(tuple))}`;
    const conn = `${protocol} ${connKey(tuple)}`;
    const role: Role = (this.clients.get(conn) ?? dirKey(tuple)) === dirKey(tuple) ? "client" : "server";
    const isn = (key: string) => hash32(`isn ${key}`);
    const mine = this.direction(own);
    const theirs = this.direction(other);
    const ipId = hash32(`ip-id ${own} ${content}`) & 0xffff;
    const tag = hash32(`vtag ${other}`) || 1;

    if (protocol === "sctp") {
      // One DATA chunk, one TSN; the tag is the receiver's, chosen when it set up the association.
      return this.remember(protocol, tuple, content, { seq: mine.next ?? isn(own), ack: 0, flags: 0, role, ipId, length: 1, tag });
    }
    const answersSyn = intent === "reply" && theirs.syn && mine.next === undefined;
    if (intent === "open" || answersSyn) {
      const flags = intent === "open" ? TCP_FLAGS.syn : TCP_FLAGS.syn | TCP_FLAGS.ack;
      const ack = intent === "open" ? 0 : (theirs.next ?? add32(isn(other), 1));
      return this.remember(protocol, tuple, content, { seq: isn(own), ack, flags, role, ipId, length: 1, tag });
    }
    const bytes = length(role);
    const flags = bytes > 0 ? TCP_FLAGS.psh | TCP_FLAGS.ack : TCP_FLAGS.ack;
    const seq = mine.next ?? add32(isn(own), 1);
    const ack = theirs.next ?? add32(isn(other), 1);
    return this.remember(protocol, tuple, content, { seq, ack, flags, role, ipId, length: bytes, tag });
  }
}
