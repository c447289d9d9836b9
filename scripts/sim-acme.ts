/**
 * `npm run sim -- acme --jwk FILE.json --token TOKEN --domain NAME [--scenario S] [--challenge C]
 * [--caa PRESET] [--ca ISSUER] [--model M] [--json]`: what an ACME client prepares for a challenge —
 * the account key's RFC 7638 thumbprint, the key authorization (RFC 8555 §8.1), the http-01 URL and
 * body and the dns-01 record — and, with --scenario, the CA's check step by step.
 */
import { readFileSync, statSync } from "node:fs";
import { InputError } from "../src/sim/net/errors";
import { CHALLENGES, challengeMaterial, readIdentifier, readToken, TLS_ALPN_01, type ChallengeType } from "../src/sim/tls/acme/challenge";
import { parseAccountJwk, MAX_JWK_TEXT } from "../src/sim/tls/acme/jwk";
import { CA_MODELS, CAA_PRESETS, formatZone, ISSUERS, runCaCheck, SCENARIO_INFO, SCENARIOS, type CaaPreset, type CaModel, type IssuerDomain, type ScenarioId } from "../src/sim/tls/acme/scenarios";
import { one, parseArgs, print } from "./sim-args";

function readJwkFile(file: string): string {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new InputError(file, "is a directory; give the account's public key as a JSON file");
    if (stat.size > MAX_JWK_TEXT) throw new InputError(file, `is ${stat.size} bytes; a JWK is a few hundred — give one public key`);
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`);
  }
}

function choice<T extends string>(args: ReturnType<typeof parseArgs>, flag: string, values: readonly T[], fallback: T): T {
  const v = one(args, flag);
  if (v === undefined) return fallback;
  if (!(values as readonly string[]).includes(v)) throw new InputError(`${flag} ${v}`, `is one of ${values.join(", ")}`);
  return v as T;
}

export function acmeCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--jwk", "--token", "--domain", "--scenario", "--challenge", "--caa", "--ca", "--model"]);
  if (args.positional.length) throw new InputError(args.positional[0]!, "acme takes only options: --jwk FILE.json --token TOKEN --domain NAME");
  const file = one(args, "--jwk");
  if (!file) throw new InputError("--jwk", "give the account's public key as a JWK file, e.g. --jwk account.json");
  const tokenText = one(args, "--token");
  if (tokenText === undefined) throw new InputError("--token", "give the challenge's token, e.g. --token evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA");
  const domainText = one(args, "--domain");
  if (domainText === undefined) throw new InputError("--domain", "give the name the certificate is for, e.g. --domain shop.example.com");
  const scenarioText = one(args, "--scenario");
  for (const flag of ["--challenge", "--caa", "--ca", "--model"]) {
    if (one(args, flag) !== undefined && scenarioText === undefined) throw new InputError(flag, `${flag} shapes the CA's check; give --scenario too (${SCENARIOS.join(", ")})`);
  }
  const jwk = parseAccountJwk(readJwkFile(file), `--jwk ${file}`);
  const token = readToken(tokenText);
  const identifier = readIdentifier(domainText);
  const m = challengeMaterial(identifier, token, jwk.thumbprint);

  let check: ReturnType<typeof runCaCheck> | null = null;
  if (scenarioText !== undefined) {
    const scenario = choice<ScenarioId>(args, "--scenario", SCENARIOS, "owner");
    const challenge = choice<ChallengeType>(args, "--challenge", CHALLENGES, identifier.wildcard ? "dns-01" : "http-01");
    check = runCaCheck({
      scenario, challenge, identifier, token, thumbprint: jwk.thumbprint,
      caa: choice<CaaPreset>(args, "--caa", CAA_PRESETS, "none"),
      issuer: choice<IssuerDomain>(args, "--ca", ISSUERS, "letsencrypt.org"),
      model: choice<CaModel>(args, "--model", CA_MODELS, "rfc"),
    });
  }

  const json = {
    identifier: { type: identifier.type, value: identifier.value, ordered: identifier.ordered, wildcard: identifier.wildcard },
    account: { kty: jwk.kty, crv: jwk.crv, description: jwk.description, canonical: jwk.canonical },
    thumbprint: m.thumbprint,
    keyAuthorization: m.keyAuthorization,
    http01: m.http01 && { url: m.http01.url, port: m.http01.port, path: m.http01.path, body: m.http01.body },
    dns01: m.dns01 && { name: m.dns01.name, type: m.dns01.type, value: m.dns01.value },
    notes: [...m.notes, ...jwk.notes],
    ...(check && {
      check: {
        scenario: check.input.scenario, challenge: check.input.challenge, caa: check.input.caa, ca: check.input.issuer, model: check.input.model ?? "rfc",
        outcome: check.outcome, failedStep: check.failedStep, misissued: check.misissued, verdict: check.verdict,
        zone: formatZone(check.zone).split("\n").filter(Boolean),
        steps: check.steps,
      },
    }),
  };
  print(args, json, () => {
    const lines = [
      `account key       ${jwk.description}, canonical JWK ${jwk.canonical.length > 90 ? `${jwk.canonical.slice(0, 90)}…` : jwk.canonical}`,
      `thumbprint        ${m.thumbprint}`,
      `key authorization ${m.keyAuthorization}`,
      m.http01 ? `http-01           GET ${m.http01.url} (port 80)\n                  body: ${m.http01.body}` : "http-01           not offered for this identifier",
      m.dns01 ? `dns-01            ${m.dns01.name}. 60 IN TXT "${m.dns01.value}"` : "dns-01            not offered for this identifier",
      `tls-alpn-01       ${TLS_ALPN_01}`,
      ...[...m.notes, ...jwk.notes].map((n) => `note: ${n}`),
    ];
    if (check) {
      lines.push("", `CA's check — scenario ${check.input.scenario} (${SCENARIO_INFO[check.input.scenario].title}), ${check.input.challenge}, CAA ${check.input.caa}, CA ${check.input.issuer}${check.input.model && check.input.model !== "rfc" ? `, model=${check.input.model}` : ""}`);
      const zone = formatZone(check.zone);
      if (zone) lines.push("zone as the CA sees it:", ...zone.split("\n").map((l) => `  ${l}`));
      check.steps.forEach((s, i) => {
        const mark = s.ok === null ? "  " : s.ok ? "ok" : "NO";
        lines.push(`${String(i + 1).padStart(2)}. [${mark}] ${s.id} — ${s.actor}`, `      ${s.action}`, `      → ${s.result}`, `      why: ${s.why}`);
      });
      lines.push(`${check.outcome.toUpperCase()}: ${check.verdict}`);
    }
    return lines.join("\n");
  });
}
