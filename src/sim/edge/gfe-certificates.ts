import type { OriginCertificate } from "./journey";

/**
 * The certificate the load balancer (its target HTTPS proxy) presents, by the flagship's
 * `origin-cert` setting. Which one works depends on who connects: Cloudflare in Full (strict)
 * accepts its own Origin CA; a browser going direct accepts only publicly trusted issuers; and a
 * Google-managed certificate with load-balancer authorization is issued only if Google's check sees
 * the name resolve to the load balancer — which a proxied record never does.
 */
export const ORIGIN_CERTIFICATES: Readonly<Record<string, OriginCertificate>> = {
  "certificate-manager": {
    names: ["example.com", "*.example.com"],
    issuer: "Google Trust Services WR3",
    trust: "public",
    issued: true,
    how:
      "a Google-managed certificate from Certificate Manager with DNS authorization (a CNAME under _acme-challenge), " +
      "which is issued and renewed whatever the A record points at, wildcards included",
  },
  "origin-ca": {
    names: ["*.example.com", "example.com"],
    issuer: "CloudFlare Origin SSL Certificate Authority",
    trust: "cloudflare-origin-ca",
    issued: true,
    how: "a Cloudflare Origin CA certificate, stored as the Kubernetes TLS Secret the Ingress names; only Cloudflare trusts its issuer",
  },
  "managed-issued-dns-only": {
    names: ["www.example.com", "api.example.com"],
    issuer: "Google Trust Services WR3",
    trust: "public",
    issued: true,
    how:
      "a ManagedCertificate (load-balancer authorization) that became Active while the record was DNS only; its renewal " +
      "needs the same check, so the record must be DNS only again before it expires",
  },
  "managed-proxied": {
    names: ["www.example.com", "api.example.com"],
    issuer: "—",
    trust: "public",
    issued: false,
    how:
      "a ManagedCertificate (load-balancer authorization) created while the record was proxied: Google's check finds the " +
      "name resolving to Cloudflare, not to 34.98.10.5, so its domain status is FAILED_NOT_VISIBLE and nothing is issued",
  },
};
