import type { HandshakeHop, HandshakeModel, MessageField, MessageId, Protection, TlsMessage } from "./types";

/**
 * A TLS 1.3 full handshake (RFC 8446 §2, figure 1), simplified but in order, for one hop of the journey:
 *
 *     ClientHello (+key_share, +server_name, +ALPN, +supported_versions, +signature_algorithms)  →
 *                                                                 ←  ServerHello (+key_share)
 *                                                                   {EncryptedExtensions}
 *                                                                   {CertificateRequest}   (mTLS only)
 *                                                                   {Certificate}
 *                                                                   {CertificateVerify}
 *                                                                   {Finished}
 *     {Certificate} {CertificateVerify}   (only when asked)                                  →
 *     {Finished}                                                                             →
 *     [Application data]                                                                    ⇄
 *
 * Braces mark messages under the handshake traffic keys, which both sides derive from the key shares
 * once ServerHello is out (RFC 8446 §7.1); brackets, the application traffic keys. Left out, said
 * plainly: HelloRetryRequest (a server that wants another key-share group), the record layer's
 * framing and ChangeCipherSpec compatibility records, session tickets after the handshake
 * (NewSessionTicket, §4.6.1) and the PSK modes they enable (resumption and 0-RTT early data, §2.2–2.3),
 * certificate chains beyond the leaf, and OCSP stapling.
 */

const CIPHER_SUITES = "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256";
const SIGNATURE_ALGORITHMS = "ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256, …";

/** The order of a complete handshake; mTLS adds CertificateRequest and the client's Certificate and CertificateVerify. */
export function messageOrder(certificateRequested: boolean, clientHasCertificate: boolean): Exclude<MessageId, "alert" | "application-data">[] {
  return [
    "client-hello", "server-hello", "encrypted-extensions",
    ...(certificateRequested ? ["certificate-request" as const] : []),
    "certificate", "certificate-verify", "server-finished",
    ...(certificateRequested ? ["client-certificate" as const, ...(clientHasCertificate ? ["client-certificate-verify" as const] : [])] : []),
    "client-finished",
  ];
}

function field(name: string, value: string, visible: boolean): MessageField {
  return { name, value, visible };
}

/** Under the TLS 1.2 picture everything before Finished travels in clear (no handshake traffic keys). */
function protectionOf(id: MessageId, model: HandshakeModel): Protection {
  if (id === "client-hello" || id === "server-hello") return "clear";
  if (id === "application-data") return "application-keys";
  if (model === "tls12-cert-in-clear" && id !== "server-finished" && id !== "client-finished") return "clear";
  return "handshake-keys";
}

/**
 * The handshake's messages for one hop, in order, under a model (the real TLS 1.3 by default). A failed
 * handshake ends with the alert after the message where it failed; a complete one ends with the first
 * application data (the request). Pure: the same hop gives the same messages.
 *
 * @example handshakeMessages(hop).map((m) => m.name) // ["ClientHello", "ServerHello", "EncryptedExtensions", …]
 */
export function handshakeMessages(hop: HandshakeHop, model: HandshakeModel = "tls13"): TlsMessage[] {
  const client = hop.client.name;
  const server = hop.server.name;
  const sniVisible = model !== "sni-encrypted";
  const clear = (id: MessageId) => protectionOf(id, model) === "clear";
  const hidden = "an encrypted record: its length and timing, nothing inside";
  const cert = hop.certificate;
  const certText = cert ? `${cert.names.join(", ")} (issued by ${cert.issuer})` : "none";
  const all: Record<Exclude<MessageId, "alert">, TlsMessage> = {
    "client-hello": {
      id: "client-hello", name: "ClientHello", from: "client", sender: client, protection: "clear", rfc: "RFC 8446 §4.1.2",
      fields: [
        field("server_name (SNI, RFC 6066 §3)", hop.sni, sniVisible),
        field("application_layer_protocol_negotiation (RFC 7301)", hop.alpnOffered.join(", "), true),
        field("supported_versions", "TLS 1.3, TLS 1.2", true),
        field("key_share", "x25519 public value (ECDHE)", true),
        field("signature_algorithms", SIGNATURE_ALGORITHMS, true),
        field("cipher_suites", CIPHER_SUITES, true),
      ],
      observer: sniVisible
        ? `In clear: an observer reads the name ${hop.sni}, the protocols offered and the key share (which alone reveals no key).`
        : "This model believes the name is encrypted; in real TLS 1.3 only Encrypted Client Hello hides it, and without ECH the server_name travels in clear.",
    },
    "server-hello": {
      id: "server-hello", name: "ServerHello", from: "server", sender: server, protection: "clear", rfc: "RFC 8446 §4.1.3",
      fields: [
        field("supported_versions", "TLS 1.3", true),
        field("cipher_suite", "TLS_AES_128_GCM_SHA256", true),
        field("key_share", "x25519 public value; both sides now derive the handshake traffic keys", true),
        ...(model === "tls12-cert-in-clear" ? [field("application_layer_protocol_negotiation", hop.alpnChosen, true)] : []),
      ],
      observer: "In clear: the version, cipher suite and key share. Everything the server sends after it is encrypted.",
    },
    "encrypted-extensions": {
      id: "encrypted-extensions", name: "EncryptedExtensions", from: "server", sender: server, protection: protectionOf("encrypted-extensions", model), rfc: "RFC 8446 §4.3.1",
      fields: [field("application_layer_protocol_negotiation", hop.alpnChosen, clear("encrypted-extensions"))],
      observer: clear("encrypted-extensions") ? `This model sends the chosen protocol (${hop.alpnChosen}) in clear, as TLS 1.2's ServerHello did.` : `${hidden}. The chosen protocol (${hop.alpnChosen}) is inside.`,
    },
    "certificate-request": {
      id: "certificate-request", name: "CertificateRequest", from: "server", sender: server, protection: protectionOf("certificate-request", model), rfc: "RFC 8446 §4.3.2",
      fields: [
        field("signature_algorithms", SIGNATURE_ALGORITHMS, clear("certificate-request")),
        field("certificate_authorities", "Cloudflare's origin-pull CA (the trust config of the server TLS policy)", clear("certificate-request")),
      ],
      observer: clear("certificate-request") ? "This model shows the request for a client certificate in clear." : `${hidden}: an observer cannot tell that a client certificate was asked for.`,
    },
    certificate: {
      id: "certificate", name: "Certificate", from: "server", sender: server, protection: protectionOf("certificate", model), rfc: "RFC 8446 §4.4.2",
      fields: [field("certificate_list (leaf)", certText, clear("certificate"))],
      observer: clear("certificate")
        ? `This model (TLS 1.2's behaviour) shows the certificate in clear: ${certText}.`
        : `${hidden}. Unlike TLS 1.2, TLS 1.3 encrypts the certificate, so an observer does not see which one was presented.`,
    },
    "certificate-verify": {
      id: "certificate-verify", name: "CertificateVerify", from: "server", sender: server, protection: protectionOf("certificate-verify", model), rfc: "RFC 8446 §4.4.3",
      fields: [field("signature", "over the transcript hash, with the certificate's private key: proof the server holds it", clear("certificate-verify"))],
      observer: clear("certificate-verify") ? "This model shows the signature in clear." : `${hidden}.`,
    },
    "server-finished": {
      id: "server-finished", name: "Finished", from: "server", sender: server, protection: "handshake-keys", rfc: "RFC 8446 §4.4.4",
      fields: [field("verify_data", "HMAC over the whole transcript: nothing was tampered with", false)],
      observer: `${hidden}.`,
    },
    "client-certificate": {
      id: "client-certificate", name: "Certificate", from: "client", sender: client, protection: protectionOf("client-certificate", model), rfc: "RFC 8446 §4.4.2",
      fields: [field("certificate_list", hop.clientCertificate ?? "empty: the client has no certificate to send (RFC 8446 §4.4.2.4)", clear("client-certificate"))],
      observer: clear("client-certificate") ? `This model shows the client's certificate in clear: ${hop.clientCertificate ?? "an empty list"}.` : `${hidden}.`,
    },
    "client-certificate-verify": {
      id: "client-certificate-verify", name: "CertificateVerify", from: "client", sender: client, protection: protectionOf("client-certificate-verify", model), rfc: "RFC 8446 §4.4.3",
      fields: [field("signature", "over the transcript hash, with the client certificate's private key", clear("client-certificate-verify"))],
      observer: clear("client-certificate-verify") ? "This model shows the client's signature in clear." : `${hidden}.`,
    },
    "client-finished": {
      id: "client-finished", name: "Finished", from: "client", sender: client, protection: "handshake-keys", rfc: "RFC 8446 §4.4.4",
      fields: [field("verify_data", "HMAC over the transcript; from here both sides use the application traffic keys", false)],
      observer: `${hidden}.`,
    },
    "application-data": {
      id: "application-data", name: "Application data", from: "client", sender: client, protection: "application-keys", rfc: "RFC 8446 §5.2",
      fields: [field(`HTTP request (${hop.alpnChosen === "h2" ? "HTTP/2" : "HTTP/1.1"})`, hop.request ?? "—", false)],
      observer: `${hidden}: the method, path, headers and body are all inside.`,
    },
  };

  const order = messageOrder(hop.certificateRequested, hop.clientCertificate !== null);
  if (!hop.failure) return [...order.map((id) => all[id]), all["application-data"]];
  const upTo = (order as readonly MessageId[]).indexOf(hop.failure.after);
  if (upTo < 0) throw new Error(`${hop.id}: a handshake with these settings has no ${hop.failure.after}`);
  const beforeKeys = upTo === 0; // only the ClientHello went out: no keys yet, so the alert is in clear
  const sender = hop.failure.sentBy === "client" ? client : server;
  const protection: Protection = beforeKeys ? "clear" : hop.failure.sentBy === "server" && hop.failure.after === "client-finished" ? "application-keys" : "handshake-keys";
  const alert: TlsMessage = {
    id: "alert", name: "Alert", from: hop.failure.sentBy, sender, protection, rfc: "RFC 8446 §6.2",
    fields: [field("alert (fatal)", hop.failure.alert, beforeKeys), field("why", hop.failure.why, false)],
    observer: beforeKeys
      ? `In clear (no keys exist yet): an observer reads ${hop.failure.alert} and sees the connection close.`
      : "Encrypted like every record after ServerHello: an observer sees one short record and the connection close, not which alert.",
  };
  return [...order.slice(0, upTo + 1).map((id) => all[id]), alert];
}

/** The messages an on-path observer reads something of, and the fields it reads. */
export function observerReads(messages: readonly TlsMessage[]): { message: MessageId; fields: string[] }[] {
  return messages
    .map((m) => ({ message: m.id, fields: m.fields.filter((f) => f.visible).map((f) => f.name) }))
    .filter((m) => m.fields.length > 0);
}

/**
 * Round trips the TLS handshake costs before the client can send its request, counted off the
 * messages: each server flight the client waits for before application data is one. A full TLS 1.3
 * handshake has one (RFC 8446 §2: the client's Finished and its first request go together), against
 * TLS 1.2's two; TCP's own handshake adds one more. Null when the handshake fails (no request is sent).
 * Resumption with a PSK also takes one, or none for what a client sends as 0-RTT early data (§2.3),
 * which the flagship does not model; a warm (reused) connection takes none because no handshake runs.
 */
export function tlsRoundTrips(messages: readonly TlsMessage[]): number | null {
  const data = messages.findIndex((m) => m.id === "application-data");
  if (data < 0) return null;
  let flights = 0;
  for (let i = 1; i < data; i++) if (messages[i]!.from === "server" && messages[i - 1]!.from === "client") flights++;
  return flights;
}
