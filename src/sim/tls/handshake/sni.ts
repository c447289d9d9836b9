import { matchReferenceId, parseReferenceId } from "../x509/names";

/**
 * Which certificate a Google Cloud target HTTPS proxy presents when it holds several (up to 15; the
 * `sslCertificates` list, which GKE Ingress fills from its `spec.tls` Secrets in order, and ManagedCertificates):
 *
 * - the proxy reads the ClientHello's server_name (SNI, RFC 6066 §3) and presents a certificate whose
 *   names cover it;
 * - when the client sends no SNI, or no certificate covers the name, it presents the first certificate
 *   in the list — the "primary" (gcloud's `--ssl-certificates`: "the first SSL certificate in this list
 *   is considered the primary"; GKE: "If the client does not use SNI, or … a domain name that does not
 *   match …, the load balancer uses the first certificate listed in the Ingress"). A Certificate Manager
 *   map has the same shape: entries by host name, and a PRIMARY entry for no SNI or no match.
 *
 * The handshake does not fail there: the client then checks the certificate it got against the name it
 * meant (RFC 9525, `matchReferenceId`), and a browser refuses a certificate that does not name it.
 * A client that connects to an IP address sends no SNI at all (RFC 6066 §3 forbids literal addresses in
 * server_name).
 *
 * Simplification, said plainly: when several certificates cover the name, the model takes the first in
 * list order; Google's documentation does not publish a tie-break beyond preferring a key type the
 * client supports, which this model does not carry.
 *
 * The wrong model `no-match-refuses` (misconception `sni-no-match-fails`) believes a name with no
 * certificate ends the handshake with an alert instead; some servers can be configured that way (Jetty's
 * rejectUnmatchedSNIHost), Google's load balancer is not.
 */

export interface ProxyCertificate {
  /** The resource's name (an SslCertificate, or the Secret GKE made it from). */
  readonly name: string;
  /** The subjectAltName DNS names. */
  readonly names: readonly string[];
}

export type SelectionModel = "google" | "no-match-refuses";

export interface CertificateChoice {
  /** The server_name the client sent, or null (none, e.g. when it connected to an IP address). */
  readonly sni: string | null;
  /** Index into the list of the certificate presented, or null when the handshake is refused (wrong model only). */
  readonly index: number | null;
  readonly why: "sni-match" | "no-sni" | "no-match-primary" | "refused";
  /** The name on the certificate that covered the SNI, when one did. */
  readonly matched: string | null;
  /** One sentence: the rule that picked it. */
  readonly rule: string;
  /** Whether the client accepts what it was shown (RFC 9525, against the name it meant), and why. */
  readonly accepted: boolean;
  readonly clientCheck: string;
}

/**
 * The certificate presented for a ClientHello and the client's verdict on it.
 * `host` is what the client meant to reach (a DNS name or an IP literal); it sends it as SNI when it is a name.
 *
 * @example chooseCertificate([{ name: "www", names: ["www.example.com"] }, { name: "api", names: ["api.example.com"] }], "api.example.com").index // 1
 * @throws Error for an empty list (a target HTTPS proxy holds at least one certificate)
 */
export function chooseCertificate(certs: readonly ProxyCertificate[], host: string, model: SelectionModel = "google"): CertificateChoice {
  if (certs.length === 0) throw new Error("a target HTTPS proxy holds at least one certificate");
  const ref = parseReferenceId(host);
  const sni = ref?.kind === "dns" ? ref.value : null;
  const covers = (c: ProxyCertificate) => (sni === null ? null : matchReferenceId({ san: c.names.map((value) => ({ type: "dns", value })), commonName: null }, sni));
  const hit = sni === null ? -1 : certs.findIndex((c) => covers(c)!.ok);
  const verdict = (index: number) => {
    const m = matchReferenceId({ san: certs[index]!.names.map((value) => ({ type: "dns", value })), commonName: null }, host);
    return { accepted: m.ok, clientCheck: m.ok ? `The client accepts it: ${m.detail}` : `The client refuses it (a browser shows a name-mismatch error): ${m.detail}` };
  };
  if (hit >= 0) {
    return {
      sni, index: hit, why: "sni-match", matched: covers(certs[hit]!)!.matched?.replace(/^DNS:/, "") ?? null,
      rule: `The ClientHello's server_name ${sni} is covered by ${certs[hit]!.name}${hit === 0 ? " (which is also the primary)" : ""}, so the proxy presents it.`,
      ...verdict(hit),
    };
  }
  if (sni !== null && model === "no-match-refuses") {
    return {
      sni, index: null, why: "refused", matched: null,
      rule: `This model believes no certificate for ${sni} means the load balancer refuses the handshake with an alert.`,
      accepted: false, clientCheck: "The client is shown no certificate at all.",
    };
  }
  return {
    sni, index: 0, why: sni === null ? "no-sni" : "no-match-primary", matched: null,
    rule: sni === null
      ? `The client sent no server_name (it connected to ${host}, an address, and RFC 6066 §3 allows only host names in SNI), so the proxy presents the primary: the first certificate, ${certs[0]!.name}.`
      : `No certificate covers ${sni}, so the proxy presents the primary: the first certificate, ${certs[0]!.name}. The handshake goes on; the client judges it.`,
    ...verdict(0),
  };
}

/** The certificates a lab and the questions start from: an Ingress's `spec.tls` with three Secrets, the first the primary. */
export const EXAMPLE_PROXY_CERTIFICATES: readonly ProxyCertificate[] = [
  { name: "www-example-com-tls", names: ["www.example.com", "example.com"] },
  { name: "api-example-com-tls", names: ["api.example.com"] },
  { name: "shop-example-net-tls", names: ["shop.example.net", "*.shop.example.net"] },
];
