/**
 * The shapes of the handshake model: a TLS 1.3 handshake at one termination point of the flagship
 * journey (a "hop"), its messages in order, and what each party on the path can read. Everything here
 * is JSON, so an Astro wrapper can compute a journey's hops when the site is built and hand them to the
 * lab as props. Pure types: no imports from the flagship, so the lab's bundle stays small.
 */

/**
 * A TLS session of the journey, named by its two ends. The first three are the real journey's; the
 * last exists only under the flagship's `tls-at-pod` wrong model, where the browser's session runs to the Pod.
 */
export type HopId = "browser-cloudflare" | "cloudflare-gfe" | "browser-gfe" | "browser-pod";
export const HOP_IDS: readonly HopId[] = ["browser-cloudflare", "cloudflare-gfe", "browser-gfe", "browser-pod"];

/** One end of a TLS session: the trace's device id, a person's name for it, and the socket it uses. */
export interface Endpoint {
  /** The flagship's device id ("browser", "cf-edge", "gfe", "pod"). */
  readonly id: string;
  readonly name: string;
  /** "198.51.100.23:40211", as the packet on the wire carries it. */
  readonly socket: string;
}

export interface PresentedCertificate {
  /** The subjectAltName DNS names, in the certificate's order. */
  readonly names: readonly string[];
  readonly issuer: string;
}

/** Where a handshake that fails ends: the alert (RFC 8446 §6.2), who sends it, after which message, and why. */
export interface HandshakeFailure {
  readonly alert: string;
  /** "client" or "server" of this hop. */
  readonly sentBy: "client" | "server";
  /** The last message sent before the alert. */
  readonly after: MessageId;
  readonly why: string;
  /** The trace step whose event names the alert ("request:gfe"). */
  readonly step: string;
}

/** What opening this session costs the request that the trace follows (its `handshake` events). */
export interface ConnectionCost {
  /** Cold: opened for this request. Warm: opened earlier and reused, so this request pays nothing. */
  readonly cold: boolean;
  /** Round trips before the request can be sent: TCP's one plus TLS 1.3's one when cold, 0 when warm. */
  readonly roundTrips: number;
  /** The modelled round-trip time to the peer, ms (0 when warm: the trace has no handshake event then). */
  readonly rttMs: number;
}

/** A TLS session the trace shows, as the handshake stepper steps it. */
export interface HandshakeHop {
  readonly id: HopId;
  /** "Termination 1: the browser to Cloudflare's edge". */
  readonly title: string;
  /** The `tls-terminate` ordinal (1 or 2), or null when this handshake failed or nobody terminates it. */
  readonly ordinal: number | null;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** The server_name the client sends (RFC 6066 §3). */
  readonly sni: string;
  /** ALPN (RFC 7301): what the client offers, most preferred first, and what the server picks. */
  readonly alpnOffered: readonly string[];
  readonly alpnChosen: string;
  /** The certificate the server presents, or null when it has none to present for this name. */
  readonly certificate: PresentedCertificate | null;
  /** How the client judged the certificate (from the trace), one sentence. */
  readonly verification: string;
  /** The server asks for a client certificate (the flagship's `origin-protection=mtls`). */
  readonly certificateRequested: boolean;
  /** The client certificate sent when asked, or null when the client has none. */
  readonly clientCertificate: string | null;
  readonly failure: HandshakeFailure | null;
  readonly connection: ConnectionCost;
  /** What the client sends as application data once the handshake is done ("GET / · Host www.example.com"), or null. */
  readonly request: string | null;
  /** Trace steps that show this session, for links into the flagship's lab. */
  readonly steps: readonly string[];
}

/** A stretch of the path between two devices that hold a connection, and what travels on it. */
export interface PathSegment {
  readonly id: "user-side" | "middle-mile" | "inside-google";
  readonly title: string;
  /** "198.51.100.23:40211 → 104.18.32.7:443". */
  readonly addresses: string;
  /** The TLS session the segment's packets ride, or null for plain HTTP. */
  readonly session: { readonly client: string; readonly server: string; readonly sni: string } | null;
  /** Whether the request itself got this far (a failed handshake sends none). */
  readonly carriesRequest: boolean;
  /** The trace step whose outgoing packet this is. */
  readonly step: string;
}

/** Everything the stepper needs from one flagship trace. */
export interface JourneyTls {
  /** The flagship settings the trace was computed for (its `params`). */
  readonly params: Readonly<Record<string, string>>;
  /** The flagship's wrong model, when the trace was computed under one. */
  readonly model: string | null;
  readonly hops: readonly HandshakeHop[];
  readonly segments: readonly PathSegment[];
  /** The devices the request reached, by the flagship's device ids, in order. */
  readonly reached: readonly string[];
  /** One sentence: what the visitor gets. */
  readonly outcome: string;
}

export type MessageId =
  | "client-hello"
  | "server-hello"
  | "encrypted-extensions"
  | "certificate-request"
  | "certificate"
  | "certificate-verify"
  | "server-finished"
  | "client-certificate"
  | "client-certificate-verify"
  | "client-finished"
  | "alert"
  | "application-data";

/**
 * How a message travels: in clear, under the handshake traffic keys (derived from the key shares
 * once ServerHello is out), or under the application traffic keys (RFC 8446 §7.1).
 */
export type Protection = "clear" | "handshake-keys" | "application-keys";

export interface MessageField {
  readonly name: string;
  readonly value: string;
  /** Whether an on-path observer reads this field. */
  readonly visible: boolean;
}

export interface TlsMessage {
  readonly id: MessageId;
  /** The RFC's name ("ClientHello", "{Certificate}" is shown as "Certificate" with its protection apart). */
  readonly name: string;
  readonly from: "client" | "server";
  /** The sender's name ("Cloudflare's edge (Paris PoP)"). */
  readonly sender: string;
  readonly protection: Protection;
  readonly fields: readonly MessageField[];
  /** One sentence: what an on-path observer makes of this message. */
  readonly observer: string;
  /** The section that defines it ("RFC 8446 §4.1.2"). */
  readonly rfc: string;
}

/**
 * How the handshake is modelled: the real TLS 1.3, or one of the named wrong pictures (misconceptions)
 * the questions run — `tls12-cert-in-clear` (the certificate and ALPN travel in clear, as in TLS 1.2)
 * and `sni-encrypted` (the belief that TLS hides the name; only Encrypted Client Hello does).
 */
export type HandshakeModel = "tls13" | "tls12-cert-in-clear" | "sni-encrypted";
export const HANDSHAKE_MODELS: readonly HandshakeModel[] = ["tls13", "tls12-cert-in-clear", "sni-encrypted"];

/** Who the "who can read what" table asks about, in path order. */
export type PartyId = "user-path" | "cloudflare" | "middle-mile" | "gfe" | "vpc" | "pod";

/** What a party can read: its columns. */
export type Readable = "addresses" | "sni" | "certificate" | "http" | "body";
export const READABLES: readonly Readable[] = ["addresses", "sni", "certificate", "http", "body"];

export interface ReadCell {
  /** yes: reads it; no: on the path but cannot; absent: not on this journey's path, or the request never got there. */
  readonly level: "yes" | "no" | "absent";
  readonly text: string;
}

export interface PartyRow {
  readonly party: PartyId;
  readonly name: string;
  readonly cells: Readonly<Record<Readable, ReadCell>>;
  /** What sits underneath that the row does not show (Google's network-level encryption), if anything. */
  readonly note: string | null;
}
