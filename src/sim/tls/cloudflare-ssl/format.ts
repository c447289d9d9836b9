/**
 * The text the command line prints for one case: the outcome, each hop's encryption, and the trace step by
 * step with Full (strict)'s checks as the X.509 engine reported them.
 */
import { ORIGIN_CERTS, ORIGIN_LISTENERS, SSL_MODES, labelOf } from "./inputs";
import type { Hop, SslResult } from "./run";

export function describeHop(hop: Hop | null, which: "visitor-edge" | "edge-origin"): string {
  if (hop === null) return which === "edge-origin" ? "not used: the request never left Cloudflare" : "not used";
  const where = `${hop.scheme} on port ${hop.port}`;
  if (which === "visitor-edge") return `${where}, ${hop.encrypted ? "encrypted (TLS ends at Cloudflare)" : "not encrypted"}`;
  switch (hop.origin) {
    case "verified": return `${where}, encrypted, origin authenticated (certificate checked)`;
    case "unverified": return `${where}, encrypted, origin NOT authenticated (certificate not checked)`;
    case "plain": return `${where}, not encrypted (plain HTTP)`;
    case "rejected": return `${where}, handshake aborted: certificate refused, no request sent`;
    default: return `${where}, no TLS session: connection refused or handshake failed`;
  }
}

export function formatSslResult(r: SslResult): string {
  const i = r.input;
  const lines = [
    `${r.outcome.status ?? r.outcome.short}${r.model ? `   (under the wrong model ${r.model})` : ""}`,
    r.outcome.shown,
    "",
    `mode ${i.mode} (${labelOf(SSL_MODES, i.mode)}), origin certificate ${i.cert} (${labelOf(ORIGIN_CERTS, i.cert)}), ` +
      `origin listens ${i.listener} (${labelOf(ORIGIN_LISTENERS, i.listener)}), visitor ${i.visitor}://${i.host}/` +
      (i.alwaysUseHttps ? ", Always Use HTTPS on" : ""),
    `final URL ${r.finalUrl}`,
    "",
    "hops (the last request):",
    `  visitor -> Cloudflare  ${describeHop(r.hops.visitorEdge, "visitor-edge")}`,
    `  Cloudflare -> origin   ${describeHop(r.hops.edgeOrigin, "edge-origin")}`,
    "",
    "trace:",
  ];
  r.steps.forEach((s, n) => {
    lines.push(`  ${String(n + 1).padStart(2)}. ${s.id} [${s.actor}] ${s.what}`);
    lines.push(`      why: ${s.why}`);
    for (const c of s.checks ?? []) {
      lines.push(`      ${c.ok ? "ok  " : "FAIL"} ${c.check}${c.certificate === null ? "" : ` (certificate ${c.certificate})`} ${c.field}: ${c.detail}`);
    }
  });
  return lines.join("\n");
}
