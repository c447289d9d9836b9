import type { HandshakeHop, HandshakeModel, JourneyTls, PartyId, PartyRow, PathSegment, ReadCell, Readable } from "./types";

/**
 * Who can read what on the journey: for each party on the path — an observer on the user's side (the
 * ISP, a café's Wi-Fi), Cloudflare, an observer between Cloudflare and Google, Google's GFE, the VPC
 * (the node and anything that captures on it), the Pod — whether it reads the addresses and ports, the
 * SNI, the certificate, the HTTP request line and headers, and the body. Computed from the journey's
 * sessions (who terminates, `readJourneyTls`) and each segment's protection (TLS or plain HTTP):
 *
 * - an endpoint of a TLS session reads everything inside it;
 * - anyone else on a TLS segment reads the IP and TCP headers and the ClientHello (the SNI in clear
 *   unless Encrypted Client Hello is in use, which the flagship does not model), but in TLS 1.3 not the
 *   certificate (RFC 8446 §4.4.2 sends it encrypted, unlike TLS 1.2) and none of the HTTP;
 * - on a plain-HTTP segment whoever sees the packets reads everything.
 *
 * Google encrypts the GFE-to-Pod traffic underneath, at the network level ("automatic network-level
 * encryption" for zonal-NEG backends, and all VM-to-VM traffic in a VPC — Google Cloud, "Encryption to
 * the backends"), so a tap on Google's physical links sees ciphertext; the node, which is the VM, sees
 * the plain HTTP, and so does anything that can capture on it. The VPC row reads that.
 *
 * Under a wrong model the rows follow the model: `tls12-cert-in-clear` lets observers read the
 * certificate, `sni-encrypted` hides the SNI from them; the flagship's `tls-at-pod` trace makes the
 * browser's session run to the Pod, so the proxies only relay.
 */

export const PARTY_NAMES: Readonly<Record<PartyId, string>> = {
  "user-path": "The user's ISP, or anyone on the path to the first network",
  cloudflare: "Cloudflare's edge",
  "middle-mile": "Anyone on the path from Cloudflare to Google",
  gfe: "Google's GFE (the load balancer)",
  vpc: "The VPC: the node, and anything capturing on it",
  pod: "The Pod",
};

export const READABLE_NAMES: Readonly<Record<Readable, string>> = {
  addresses: "Addresses and ports",
  sni: "SNI (the name asked for)",
  certificate: "The certificate",
  http: "HTTP method, path, headers",
  body: "Body",
};

const yes = (text: string): ReadCell => ({ level: "yes", text });
const no = (text: string): ReadCell => ({ level: "no", text });
const absent = (text: string): ReadCell => ({ level: "absent", text });

function allCells(cell: ReadCell): Record<Readable, ReadCell> {
  return { addresses: cell, sni: cell, certificate: cell, http: cell, body: cell };
}

/** The hop whose session a segment's packets ride. */
function hopOf(j: JourneyTls, s: PathSegment): HandshakeHop | undefined {
  return j.hops.find((h) => s.session !== null && h.client.id === s.session.client && h.server.id === s.session.server);
}

/** What someone who sees a segment's packets, but holds no key, can read. */
function onSegment(j: JourneyTls, s: PathSegment | undefined, model: HandshakeModel, missing: string): Record<Readable, ReadCell> {
  if (!s) return allCells(absent(missing));
  const hop = hopOf(j, s);
  if (s.session) {
    const cert = hop?.certificate ?? null;
    const certNames = cert ? cert.names.join(", ") : null;
    return {
      addresses: yes(s.addresses),
      sni: model === "sni-encrypted"
        ? no(`This model believes the name is encrypted; really ${s.session.sni} is in the ClientHello in clear (only Encrypted Client Hello hides it).`)
        : yes(`${s.session.sni}, in the ClientHello, which travels in clear`),
      certificate: certNames === null
        ? no("No certificate was presented on this segment.")
        : model === "tls12-cert-in-clear"
          ? yes(`${certNames} (this model sends the Certificate in clear, as TLS 1.2 did)`)
          : no("Encrypted: TLS 1.3 sends the Certificate under the handshake keys"),
      http: s.carriesRequest ? no("Encrypted: only ciphertext records of known lengths") : no("No request crossed this segment: the handshake failed first."),
      body: s.carriesRequest ? no("Encrypted") : no("No request crossed this segment."),
    };
  }
  return {
    addresses: yes(s.addresses),
    sni: no("There is no TLS on this segment, so no SNI; the name travels in the Host header"),
    certificate: no("No TLS here, so no certificate"),
    http: s.carriesRequest ? yes("Everything: plain HTTP (request line, Host, X-Forwarded-For with the client's address)") : no("No request crossed this segment."),
    body: s.carriesRequest ? yes("Plain HTTP: the bodies of the request and the response") : no("No request crossed this segment."),
  };
}

/** A device that terminates (or fails to terminate) sessions: it reads what arrives inside them. */
function terminator(j: JourneyTls, device: string, name: string, model: HandshakeModel): Record<Readable, ReadCell> {
  const asServer = j.hops.find((h) => h.server.id === device);
  const asClient = j.hops.find((h) => h.client.id === device);
  const sessions = [asServer, asClient].filter((h): h is HandshakeHop => h !== undefined);
  if (sessions.length === 0) {
    // On the path but holding no key: it relays a session between others (the tls-at-pod model).
    const seg = j.segments.find((s) => s.session !== null);
    if (!j.reached.includes(device) || !seg?.session) return allCells(absent(`${name} is not on this journey's path.`));
    const through = onSegment(j, seg, model, "");
    return {
      ...through,
      addresses: yes("Its own two TCP connections' addresses and ports"),
      sni: yes(`${seg.session.sni}: it relays the ClientHello, which is in clear`),
      http: no(`This model gives it no key: it relays the ${seg.session.client}–${seg.session.server} session unread`),
      body: no("Relayed unread in this model"),
    };
  }
  const received = asServer && !asServer.failure;
  const cert = sessions.map((h) => h.certificate).filter((c) => c !== null).map((c) => `${c.names.join(", ")} (${c.issuer})`);
  return {
    addresses: yes(sessions.map((h) => `${h.client.socket} → ${h.server.socket}`).join("; ")),
    sni: yes(`${(asServer ?? asClient)!.sni}: ${asServer ? "it reads the ClientHello it answers" : "it sends it"}`),
    certificate: cert.length > 0 ? yes(`${asServer ? "It presents" : "It is shown"} ${cert.join("; and is shown ")}`) : no("No certificate was presented to or by it."),
    http: received ? yes("Everything: it decrypts the request and reads the method, path and every header") : no(`No request arrived: the handshake ended with ${asServer?.failure?.alert ?? "an alert"}.`),
    body: received ? yes("Decrypted, in full") : no("No request arrived."),
  };
}

/**
 * The table for a journey under a handshake model (the real TLS 1.3 by default), one row per party in
 * path order. A party the path does not cross (Cloudflare with the record DNS only) has every cell
 * `absent`; so does one the request never reached.
 */
export function whoCanRead(j: JourneyTls, model: HandshakeModel = "tls13"): PartyRow[] {
  const seg = (id: PathSegment["id"]) => j.segments.find((s) => s.id === id);
  const viaCloudflare = j.params.cloudflare === "on";
  const podEndpoint = j.hops.some((h) => h.server.id === "pod");
  const inside = seg("inside-google");
  const pod: Record<Readable, ReadCell> = !j.reached.includes("pod")
    ? allCells(absent("The request never reached the Pod."))
    : podEndpoint
      ? terminator(j, "pod", PARTY_NAMES.pod, model)
      : {
          addresses: yes(`${inside?.addresses ?? "the GFE's connection"}: the source is the GFE's proxy address; the browser's address survives only in X-Forwarded-For`),
          sni: no("No TLS on its connection, so no SNI; it reads the name from the Host header"),
          certificate: no("It takes part in no TLS handshake here"),
          http: yes("Everything: it is the HTTP server"),
          body: yes("In full"),
        };
  const rows: PartyRow[] = [
    { party: "user-path", name: PARTY_NAMES["user-path"], cells: onSegment(j, seg("user-side"), model, "Not on the path."), note: null },
    {
      party: "cloudflare", name: PARTY_NAMES.cloudflare,
      cells: viaCloudflare ? terminator(j, "cf-edge", PARTY_NAMES.cloudflare, model) : allCells(absent(`Not on the path: the record is ${j.params.cloudflare === "off" ? "DNS only" : "proxied, but this client connects to the load balancer directly"}.`)),
      note: null,
    },
    {
      party: "middle-mile", name: PARTY_NAMES["middle-mile"],
      cells: onSegment(j, seg("middle-mile"), model, viaCloudflare ? "Cloudflare opened no connection to Google for this request." : "There is no Cloudflare-to-Google segment without the proxy."),
      note: null,
    },
    {
      party: "gfe", name: PARTY_NAMES.gfe,
      cells: j.reached.includes("gfe") ? terminator(j, "gfe", PARTY_NAMES.gfe, model) : allCells(absent("The request never reached Google.")),
      note: null,
    },
    {
      party: "vpc", name: PARTY_NAMES.vpc,
      cells: onSegment(j, inside, model, "The request never left the GFE for a Pod."),
      note: inside && !inside.session
        ? "Underneath, Google encrypts this traffic at the network level between its hosts (automatic network-level encryption for zonal-NEG backends; all VM-to-VM traffic in a VPC), so a tap on a physical link sees ciphertext. The node is the VM: it, and anything capturing on it, sees plain HTTP."
        : null,
    },
    { party: "pod", name: PARTY_NAMES.pod, cells: pod, note: null },
  ];
  return rows;
}

/** The readable things of one party, as the questions ask them ("sni", "http"…). */
export function readsOf(rows: readonly PartyRow[], party: PartyId): Readable[] {
  const row = rows.find((r) => r.party === party);
  return row ? (Object.keys(row.cells) as Readable[]).filter((k) => row.cells[k].level === "yes") : [];
}
