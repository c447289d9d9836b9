/**
 * The SSL-mode matrix: every encryption mode against every origin certificate, for one origin listener and
 * visitor scheme — each cell a whole run of the model, so a cell's trace is exactly what the command line prints.
 */
import { ORIGIN_CERTS, SSL_MODES, type OriginCert, type SslInput, type SslMode } from "./inputs";
import { runSslMode, type SslResult } from "./run";

export interface MatrixCell {
  readonly mode: SslMode;
  readonly cert: OriginCert;
  readonly result: SslResult;
}

export interface SslMatrix {
  readonly modes: readonly SslMode[];
  readonly certs: readonly OriginCert[];
  /** Row per mode, column per certificate. */
  readonly rows: readonly (readonly MatrixCell[])[];
}

export function sslMatrix(base: Omit<SslInput, "mode" | "cert">): SslMatrix {
  const modes = SSL_MODES.map((m) => m.value);
  const certs = ORIGIN_CERTS.map((c) => c.value);
  return {
    modes,
    certs,
    rows: modes.map((mode) => certs.map((cert) => ({ mode, cert, result: runSslMode({ ...base, mode, cert }) }))),
  };
}

export function matrixCell(m: SslMatrix, mode: SslMode, cert: OriginCert): MatrixCell {
  return m.rows[m.modes.indexOf(mode)]![m.certs.indexOf(cert)]!;
}

/**
 * For scripts/bench.ts: every matrix the lab can show (3 listeners × 2 visitor schemes × Always Use HTTPS on/off,
 * 30 cells each: 360 runs, each with Full (strict)'s path validation where it applies). Returns the number of runs.
 */
export function benchSslMatrix(): number {
  let runs = 0;
  for (const listener of ["both", "https-only", "http-only"] as const) {
    for (const visitor of ["https", "http"] as const) {
      for (const alwaysUseHttps of [false, true]) {
        const m = sslMatrix({ listener, visitor, alwaysUseHttps, host: "www.example.com" });
        runs += m.rows.reduce((n, row) => n + row.length, 0);
      }
    }
  }
  return runs;
}
