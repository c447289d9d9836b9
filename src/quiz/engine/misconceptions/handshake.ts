import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the handshake system the grader recognises; each id is a mode of its simulator:
 * `tls12-cert-in-clear` and `sni-encrypted` are `HandshakeModel`s of src/sim/tls/handshake/messages.ts
 * and visibility.ts, and `sni-no-match-fails` is the `SelectionModel` "no-match-refuses" of
 * src/sim/tls/handshake/sni.ts. (The belief that TLS runs end to end is the flagship's `tls-at-pod`,
 * defined once in misconceptions.ts.)
 */
export const HANDSHAKE_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "tls12-cert-in-clear",
    name: "The certificate travels in clear",
    belief: "Anyone on the path can read which certificate the server presents, as they could with TLS 1.2.",
    whyWrong:
      "TLS 1.3 encrypts every handshake message after ServerHello under the handshake traffic keys (RFC 8446 §4.4.2), the Certificate and the chosen ALPN included. An observer still reads the ClientHello — the SNI, unless Encrypted Client Hello is used — but not the certificate.",
  },
  {
    id: "sni-encrypted",
    name: "TLS hides the host name",
    belief: "With HTTPS, an eavesdropper cannot tell which site on a shared address I am visiting.",
    whyWrong:
      "The name is in the ClientHello's server_name extension (RFC 6066), sent before any key exists, so it is readable on the path. Only Encrypted Client Hello moves it into an encrypted inner ClientHello; without ECH, your ISP reads the SNI (and the address).",
  },
  {
    id: "sni-no-match-fails",
    name: "No certificate for the name ends the handshake",
    belief: "If none of the load balancer's certificates names the host, the load balancer refuses the connection.",
    whyWrong:
      "A Google Cloud load balancer with several certificates presents the primary — the first listed — when the SNI matches none (or there is no SNI). The handshake goes on, and it is the client that refuses a certificate that does not name the host.",
  },
];
