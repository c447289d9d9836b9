import type { Misconception } from "../misconceptions";

/**
 * Wrong models of the ssl-modes system the grader recognises; each id is a mode of its simulator
 * (`SslWrongModel` in src/sim/tls/cloudflare-ssl/run.ts, `runSslMode(input, model)`).
 */
export const SSL_MODES_MISCONCEPTIONS: readonly Misconception[] = [
  {
    id: "self-signed-502",
    name: "A self-signed origin certificate gives 502",
    belief: "When the origin presents a self-signed certificate, Cloudflare answers the visitor with 502 Bad Gateway.",
    whyWrong:
      "Cloudflare has codes of its own for the origin's TLS: in Full (strict) a certificate it cannot validate — self-signed, expired, for another name — gives 526 Invalid SSL certificate, and in Full the same certificate is accepted unchecked and the page loads. 525 is a handshake that never completed (no certificate at all, no shared cipher suite); 502 is a bad gateway answer from behind Cloudflare, not a certificate verdict.",
  },
  {
    id: "full-validates-origin",
    name: "Full checks the origin's certificate",
    belief: "Full mode encrypts to the origin and checks its certificate; strict only adds a few extra rules.",
    whyWrong:
      "Cloudflare's documentation says the certificate in Full \"will not be validated in any way\": expired, self-signed or for another name, it is accepted. Full encrypts the hop but does not authenticate the origin, so whoever can answer for the origin's address can present a certificate of their own. Only Full (strict) and Strict (SSL-Only Origin Pull) check it, and only they answer 526.",
  },
  {
    id: "flexible-encrypts-origin",
    name: "Flexible encrypts to the origin",
    belief: "With Flexible the site shows a padlock, so the whole path to the origin is encrypted.",
    whyWrong:
      "Flexible encrypts only the visitor's hop. Every request from Cloudflare to the origin is plain HTTP on port 80, whatever the visitor typed — which is also why an origin that redirects HTTP to HTTPS sends the visitor round a redirect loop, and why an origin without port 80 gives 521.",
  },
  {
    id: "strict-rejects-origin-ca",
    name: "Full (strict) accepts only public CAs",
    belief: "Strict mode wants a publicly trusted certificate, so an origin with a Cloudflare Origin CA certificate fails it.",
    whyWrong:
      "Cloudflare's trust store for Full (strict) holds its own Origin CA root beside the public roots: an unexpired Origin CA certificate that names the host passes. It is browsers that do not trust the Origin CA — which matters only to a visitor who reaches the origin without Cloudflare.",
  },
];
