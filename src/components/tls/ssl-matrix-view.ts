/**
 * What the SSL-mode matrix draws for a result: an icon and a word for every grade (never colour alone),
 * and the sentences a screen reader hears for a cell and for each hop.
 */
import { ORIGIN_CERTS, SSL_MODES, labelOf, type OriginCert, type SslMode } from "../../sim/tls/cloudflare-ssl/inputs";
import type { Hop, SslResult } from "../../sim/tls/cloudflare-ssl/run";

export const GRADE_VIEW = {
  secure: { icon: "✓", word: "works, secure" },
  weak: { icon: "⚠", word: "works, not fully secure" },
  broken: { icon: "✗", word: "fails" },
} as const;

export function cellLabel(mode: SslMode, cert: OriginCert, r: SslResult): string {
  // The visible text (the short outcome) must be part of the name (WCAG 2.5.3), so the status is used only when it contains it.
  const { status, short } = r.outcome;
  return `${labelOf(SSL_MODES, mode)} with ${labelOf(ORIGIN_CERTS, cert)}: ${status?.includes(short) ? status : short}, ${GRADE_VIEW[r.outcome.grade].word}. Show its trace.`;
}

export function hopText(hop: Hop | null, which: "visitor-edge" | "edge-origin"): { readonly headline: string; readonly detail: string } {
  if (hop === null) return { headline: "not used", detail: "The request never left Cloudflare." };
  const where = `${hop.scheme.toUpperCase()}, port ${hop.port}`;
  if (which === "visitor-edge") return { headline: hop.encrypted ? "🔒 encrypted" : "🔓 plain text", detail: `${where}${hop.encrypted ? "; TLS ends at Cloudflare's edge." : "."}` };
  switch (hop.origin) {
    case "verified": return { headline: "🔒 encrypted, origin authenticated", detail: `${where}; Cloudflare checked the certificate.` };
    case "unverified": return { headline: "🔒 encrypted, origin not authenticated", detail: `${where}; the certificate was not checked.` };
    case "plain": return { headline: "🔓 plain text", detail: `${where}; no TLS at all.` };
    case "rejected": return { headline: "✗ certificate refused", detail: `${where}; Cloudflare aborted the handshake, no request was sent.` };
    default: return { headline: "✗ no TLS session", detail: `${where}; the connection was refused or the handshake failed.` };
  }
}

export const ACTOR_LABEL = { visitor: "Visitor's browser", edge: "Cloudflare's edge", origin: "Origin server" } as const;
