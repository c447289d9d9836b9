/**
 * The handshake's messages against RFC 8446: the order of figure 1 (§2) and of client authentication
 * (§4.3.2, §4.4.2), what travels in clear (ClientHello and ServerHello only; everything after ServerHello
 * under the handshake keys, §7.1), the empty client Certificate without CertificateVerify (§4.4.2.4,
 * §4.4.3), the alerts (§6.2), and the one round trip of a full handshake (§2).
 */
import { describe, expect, it } from "vitest";
import { handshakeMessages, messageOrder, observerReads, tlsRoundTrips } from "../../../../src/sim/tls/handshake/messages";
import type { HandshakeHop } from "../../../../src/sim/tls/handshake/types";

const base: HandshakeHop = {
  id: "browser-cloudflare", title: "Termination 1", ordinal: 1,
  client: { id: "browser", name: "Browser (Paris)", socket: "198.51.100.23:40000" },
  server: { id: "cf-edge", name: "Cloudflare edge (Paris PoP)", socket: "104.18.32.7:443" },
  sni: "www.example.com", alpnOffered: ["h2", "http/1.1"], alpnChosen: "h2",
  certificate: { names: ["example.com", "*.example.com"], issuer: "Google Trust Services WE1" },
  verification: "accepted", certificateRequested: false, clientCertificate: null, failure: null,
  connection: { cold: true, roundTrips: 2, rttMs: 1 }, request: "GET / · Host www.example.com", steps: ["request:browser"],
};
const names = (hop: HandshakeHop, model?: Parameters<typeof handshakeMessages>[1]) => handshakeMessages(hop, model).map((m) => `${m.from}:${m.name}`);

describe("message order (RFC 8446 §2, figure 1)", () => {
  it("a full handshake without client authentication", () => {
    expect(names(base)).toEqual([
      "client:ClientHello", "server:ServerHello", "server:EncryptedExtensions", "server:Certificate",
      "server:CertificateVerify", "server:Finished", "client:Finished", "client:Application data",
    ]);
  });

  it("with client authentication: CertificateRequest after EncryptedExtensions, the client's Certificate and CertificateVerify before its Finished", () => {
    const hop = { ...base, certificateRequested: true, clientCertificate: "origin-pull certificate" };
    expect(names(hop)).toEqual([
      "client:ClientHello", "server:ServerHello", "server:EncryptedExtensions", "server:CertificateRequest", "server:Certificate",
      "server:CertificateVerify", "server:Finished", "client:Certificate", "client:CertificateVerify", "client:Finished", "client:Application data",
    ]);
  });

  it("a client with no certificate sends an empty Certificate and no CertificateVerify (§4.4.2.4, §4.4.3)", () => {
    expect(messageOrder(true, false)).toEqual([
      "client-hello", "server-hello", "encrypted-extensions", "certificate-request", "certificate", "certificate-verify", "server-finished", "client-certificate", "client-finished",
    ]);
  });
});

describe("what travels in clear", () => {
  it("only ClientHello and ServerHello; the certificate is encrypted in TLS 1.3", () => {
    const ms = handshakeMessages({ ...base, certificateRequested: true, clientCertificate: "x" });
    expect(ms.filter((m) => m.protection === "clear").map((m) => m.id)).toEqual(["client-hello", "server-hello"]);
    expect(ms.find((m) => m.id === "certificate")!.protection).toBe("handshake-keys");
    expect(ms.find((m) => m.id === "application-data")!.protection).toBe("application-keys");
  });

  it("an observer reads the SNI and the offered ALPN, never the chosen ALPN or the certificate", () => {
    const reads = observerReads(handshakeMessages(base));
    expect(reads.map((r) => r.message)).toEqual(["client-hello", "server-hello"]);
    expect(reads[0]!.fields).toContain("server_name (SNI, RFC 6066 §3)");
    expect(reads[0]!.fields).toContain("application_layer_protocol_negotiation (RFC 7301)");
  });

  it("the tls12-cert-in-clear model shows the certificate and the chosen ALPN in clear, as TLS 1.2 did", () => {
    const ms = handshakeMessages(base, "tls12-cert-in-clear");
    expect(ms.find((m) => m.id === "certificate")!.protection).toBe("clear");
    expect(observerReads(ms).map((r) => r.message)).toContain("certificate");
    expect(ms.find((m) => m.id === "server-hello")!.fields.some((f) => f.name.startsWith("application_layer") && f.value === "h2")).toBe(true);
  });

  it("the sni-encrypted model hides the name (in real TLS 1.3 only ECH does)", () => {
    const hello = handshakeMessages(base, "sni-encrypted")[0]!;
    expect(hello.fields.find((f) => f.name.startsWith("server_name"))!.visible).toBe(false);
    expect(handshakeMessages(base)[0]!.fields.find((f) => f.name.startsWith("server_name"))!.visible).toBe(true);
  });
});

describe("alerts (§6.2) end the handshake where it fails", () => {
  it("no certificate for the name: the server answers the ClientHello with an alert in clear", () => {
    const ms = handshakeMessages({ ...base, certificate: null, failure: { alert: "handshake_failure (40)", sentBy: "server", after: "client-hello", why: "none", step: "request:cf-edge" } });
    expect(ms.map((m) => m.id)).toEqual(["client-hello", "alert"]);
    expect(ms[1]!.protection).toBe("clear");
    expect(ms[1]!.fields[0]!.visible).toBe(true);
  });

  it("a refused certificate: the client's alert follows the server's flight, encrypted", () => {
    const ms = handshakeMessages({ ...base, failure: { alert: "bad_certificate (42)", sentBy: "client", after: "server-finished", why: "x", step: "response:browser" } });
    expect(ms.map((m) => m.id).slice(-2)).toEqual(["server-finished", "alert"]);
    expect(ms.at(-1)!.from).toBe("client");
    expect(ms.at(-1)!.protection).toBe("handshake-keys");
    expect(tlsRoundTrips(ms)).toBeNull();
  });

  it("certificate_required: the server ends it after the client's empty Certificate and Finished (§4.4.2.4)", () => {
    const ms = handshakeMessages({ ...base, certificateRequested: true, failure: { alert: "certificate_required (116)", sentBy: "server", after: "client-finished", why: "x", step: "request:gfe" } });
    expect(ms.map((m) => m.id).slice(-3)).toEqual(["client-certificate", "client-finished", "alert"]);
    expect(ms.at(-1)!.protection).toBe("application-keys");
  });
});

describe("round trips (§2)", () => {
  it("a full TLS 1.3 handshake costs one round trip before the request, with or without client authentication", () => {
    expect(tlsRoundTrips(handshakeMessages(base))).toBe(1);
    expect(tlsRoundTrips(handshakeMessages({ ...base, certificateRequested: true, clientCertificate: "x" }))).toBe(1);
  });
});
