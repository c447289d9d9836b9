/**
 * `npm run bench`: how fast the ACME model runs — JWK thumbprints (parse + canonical JSON + SHA-256)
 * and the CA's check over every scenario × challenge × CAA setting × CA. Returns operations per millisecond.
 */
import { readIdentifier } from "./challenge";
import { parseAccountJwk } from "./jwk";
import { SAMPLE_KEYS, SAMPLE_TOKEN } from "./sample-keys";
import { CAA_PRESETS, ISSUERS, runCaCheck, SCENARIOS } from "./scenarios";

export interface AcmeBench {
  /** Account keys parsed and thumbprinted per millisecond. */
  readonly thumbprintsPerMs: number;
  /** Complete CA checks per millisecond. */
  readonly checksPerMs: number;
}

export function benchAcme(rounds = 200): AcmeBench {
  const texts = SAMPLE_KEYS.map((k) => JSON.stringify(k.jwk));
  let t0 = performance.now();
  let n = 0;
  for (let r = 0; r < rounds * 10; r++) {
    for (const text of texts) {
      parseAccountJwk(text);
      n++;
    }
  }
  const thumbprintsPerMs = n / (performance.now() - t0);
  const identifier = readIdentifier("shop.example.com");
  const thumbprint = parseAccountJwk(texts[0]!).thumbprint;
  t0 = performance.now();
  n = 0;
  for (let r = 0; r < rounds; r++)
    for (const scenario of SCENARIOS) for (const challenge of ["http-01", "dns-01"] as const) for (const caa of CAA_PRESETS) for (const issuer of ISSUERS) {
      runCaCheck({ scenario, challenge, identifier, token: SAMPLE_TOKEN, thumbprint, caa, issuer });
      n++;
    }
  return { thumbprintsPerMs, checksPerMs: n / (performance.now() - t0) };
}
