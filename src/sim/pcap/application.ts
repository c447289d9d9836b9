import type { HttpLayer, TlsLayer } from "../net/packet";
import { ByteWriter, opaqueBytes, utf8 } from "./bytes";

/**
 * What a TCP segment of the flagship journey carries, as bytes: HTTP/1.1 where the trace has the
 * request or response in clear, TLS records where a TLS layer wraps it. Only the fields the trace
 * holds are written; everything else is the least a real message needs (a version, a length).
 */

/**
 * An HTTP/1.1 message (RFC 9112): the request line with Host and, where a proxy added it,
 * X-Forwarded-For; or the status line with the response headers the trace names. Responses say
 * `Content-Length: 0` — the trace models no body — so a dissector knows where the message ends.
 */
export function httpMessage(http: HttpLayer): Uint8Array {
  const lines: string[] = [];
  if (http.requestLine) {
    const [method = "GET", target = "/"] = http.requestLine.trim().split(/\s+/);
    lines.push(`${method} ${target} HTTP/1.1`);
    if (http.host) lines.push(`Host: ${http.host}`);
    if (http.forwardedFor) lines.push(`X-Forwarded-For: ${http.forwardedFor}`);
  } else if (http.status) {
    lines.push(`HTTP/1.1 ${http.status}`);
    if (http.cacheStatus) lines.push(`cf-cache-status: ${http.cacheStatus}`);
    if (http.cacheControl) lines.push(`Cache-Control: ${http.cacheControl}`);
    lines.push("Content-Length: 0");
  } else return new Uint8Array(0);
  return utf8(`${lines.join("\r\n")}\r\n\r\n`);
}

/** TLS record content types (RFC 8446 §5.1). */
export const TLS_CONTENT_TYPE = { changeCipherSpec: 20, alert: 21, handshake: 22, applicationData: 23 } as const;

function record(contentType: number, version: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u8(contentType).u16(version).u16(body.length).bytes(body).finish();
}

function handshake(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u8(type).u24(body.length).bytes(body).finish();
}

function extension(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter().u16(type).u16(body.length).bytes(body).finish();
}

/** The X25519 group (RFC 8446 §4.2.7) and TLS_AES_128_GCM_SHA256 … TLS_CHACHA20_POLY1305_SHA256. */
const X25519 = 0x001d;
const TLS13_SUITES = [0x1301, 0x1302, 0x1303];
/** ECDHE-ECDSA and ECDHE-RSA with AES-128-GCM, for a TLS 1.2 hello. */
const TLS12_SUITES = [0xc02b, 0xc02f];

/**
 * A ClientHello (RFC 8446 §4.1.2) with the server_name extension (RFC 6066 §3) carrying the SNI the
 * trace names, in a handshake record. TLS 1.3 adds supported_versions and an X25519 key share, and
 * a 32-byte legacy session id as browsers send in middlebox-compatibility mode.
 */
export function clientHello(tls: TlsLayer, seed: string): Uint8Array {
  const tls13 = tls.version === "1.3";
  const name = utf8(tls.sni);
  const exts = [
    extension(0x0000, new ByteWriter().u16(name.length + 3).u8(0).u16(name.length).bytes(name).finish()),
    extension(0x000a, new ByteWriter().u16(2).u16(X25519).finish()),
    extension(0x000d, new ByteWriter().u16(4).u16(0x0403).u16(0x0804).finish()),
    ...(tls13
      ? [
          extension(0x002b, new ByteWriter().u8(2).u16(0x0304).finish()),
          extension(0x0033, new ByteWriter().u16(36).u16(X25519).u16(32).bytes(opaqueBytes(`${seed}/key-share`, 32)).finish()),
        ]
      : []),
  ];
  const suites = tls13 ? TLS13_SUITES : TLS12_SUITES;
  const sessionId = tls13 ? opaqueBytes(`${seed}/session`, 32) : new Uint8Array(0);
  const body = new ByteWriter().u16(0x0303).bytes(opaqueBytes(`${seed}/client-random`, 32)).u8(sessionId.length).bytes(sessionId).u16(suites.length * 2);
  for (const s of suites) body.u16(s);
  body.u8(1).u8(0);
  const extBytes = new ByteWriter();
  for (const e of exts) extBytes.bytes(e);
  body.u16(extBytes.size).bytes(extBytes.finish());
  // The record layer says TLS 1.0 on a ClientHello, as browsers do for servers that choke on more.
  return record(TLS_CONTENT_TYPE.handshake, 0x0301, handshake(1, body.finish()));
}

/**
 * The server's first flight in answer to a ClientHello. TLS 1.3: a ServerHello (supported_versions,
 * key share), the compatibility ChangeCipherSpec, then one application_data record standing for the
 * encrypted EncryptedExtensions, Certificate, CertificateVerify and Finished — which is why nobody on
 * the path sees the certificate. TLS 1.2: the ServerHello alone (the certificate would follow in clear).
 */
export function serverFlight(tls: TlsLayer, seed: string): Uint8Array {
  const tls13 = tls.version === "1.3";
  const body = new ByteWriter().u16(0x0303).bytes(opaqueBytes(`${seed}/server-random`, 32));
  const sessionId = tls13 ? opaqueBytes(`${seed}/session`, 32) : new Uint8Array(0);
  body.u8(sessionId.length).bytes(sessionId).u16(tls13 ? TLS13_SUITES[0]! : TLS12_SUITES[1]!).u8(0);
  const exts = tls13
    ? [extension(0x002b, new ByteWriter().u16(0x0304).finish()), extension(0x0033, new ByteWriter().u16(X25519).u16(32).bytes(opaqueBytes(`${seed}/server-share`, 32)).finish())]
    : [extension(0xff01, Uint8Array.of(0))];
  const extBytes = new ByteWriter();
  for (const e of exts) extBytes.bytes(e);
  body.u16(extBytes.size).bytes(extBytes.finish());
  const hello = record(TLS_CONTENT_TYPE.handshake, 0x0303, handshake(2, body.finish()));
  if (!tls13) return hello;
  return new ByteWriter()
    .bytes(hello)
    .bytes(record(TLS_CONTENT_TYPE.changeCipherSpec, 0x0303, Uint8Array.of(1)))
    .bytes(record(TLS_CONTENT_TYPE.applicationData, 0x0303, opaqueBytes(`${seed}/encrypted-handshake`, 1024)))
    .finish();
}

/**
 * Application data as an on-path observer sees it: one record of opaque bytes as long as the
 * plaintext would make it — TLS 1.3 adds the inner content type byte and a 16-byte AEAD tag
 * (RFC 8446 §5.2); TLS 1.2 with AES-GCM an 8-byte explicit nonce and the tag (RFC 5288).
 */
export function applicationData(tls: TlsLayer, plaintext: Uint8Array, seed: string): Uint8Array {
  const overhead = tls.version === "1.3" ? 1 + 16 : 8 + 16;
  return record(TLS_CONTENT_TYPE.applicationData, 0x0303, opaqueBytes(`${seed}/ciphertext`, plaintext.length + overhead));
}

/** Alert descriptions by name (RFC 8446 §6), for traces that name an alert without its number. */
const ALERTS: Record<string, number> = {
  close_notify: 0, unexpected_message: 10, bad_record_mac: 20, handshake_failure: 40, bad_certificate: 42,
  unsupported_certificate: 43, certificate_revoked: 44, certificate_expired: 45, certificate_unknown: 46,
  illegal_parameter: 47, unknown_ca: 48, access_denied: 49, decode_error: 50, decrypt_error: 51,
  protocol_version: 70, insufficient_security: 71, internal_error: 80, unrecognized_name: 112, certificate_required: 116,
};

/** "handshake_failure (40)" → 40; a bare name through the table; anything else is internal_error. */
export function alertCode(alert: string): number {
  const number = /\((\d+)\)/.exec(alert);
  if (number) return Number(number[1]);
  return ALERTS[alert.trim().split(/\s/)[0]!] ?? ALERTS.internal_error!;
}

/**
 * A fatal alert record. Written in clear so a dissector shows which alert the trace says ended the
 * handshake; in TLS 1.3 an alert sent after the ServerHello is encrypted with the handshake keys,
 * and a real capture would show only an application_data record there.
 */
export function alertRecord(tls: TlsLayer): Uint8Array {
  return record(TLS_CONTENT_TYPE.alert, 0x0303, Uint8Array.of(2, alertCode(tls.alert ?? "internal_error")));
}
