/**
 * `npm run sim -- cloudflare-ssl --mode MODE --origin-cert CERT [--origin-listens L] [--visitor http|https]
 * [--host NAME] [--always-https on|off] [--model NAME] [--json]`: one visitor through Cloudflare's SSL/TLS
 * encryption mode to an origin — the outcome the visitor sees, each hop's encryption, and the trace.
 * MODE is printed as the API's value: "full-strict" is read as "strict".
 */
import { InputError } from "../src/sim/net/errors";
import {
  DEFAULT_INPUT, ORIGIN_CERTS, SSL_MODES,
  parseOriginCert, parseOriginListener, parseSslMode, parseVisitorScheme, parseZoneHost, type SslInput,
} from "../src/sim/tls/cloudflare-ssl/inputs";
import { runSslMode, SSL_WRONG_MODELS, type SslWrongModel } from "../src/sim/tls/cloudflare-ssl/run";
import { formatSslResult } from "../src/sim/tls/cloudflare-ssl/format";
import { one, parseArgs, print } from "./sim-args";

/** The lines for sim.ts's HELP. */
export const CLOUDFLARE_SSL_HELP = `  cloudflare-ssl --mode off|flexible|full|strict|origin-pull --origin-cert valid|self-signed|expired|wrong-host|origin-ca|none
        [--origin-listens both|https-only|http-only] [--visitor https|http] [--host NAME] [--always-https on|off]
        [--model NAME] [--json]
        Cloudflare's SSL/TLS encryption mode in front of an origin: what the visitor sees (200, 521, 525, 526, a
        redirect loop), each hop's scheme, port and encryption, whether the origin was authenticated, and the trace
        step by step with Full (strict)'s certificate checks; "full-strict" is accepted for strict (printed as
        strict); origin-pull is Enterprise's Strict (SSL-Only Origin Pull); defaults: --origin-listens both,
        --visitor https, --host www.example.com (a name in the zone example.com); --model self-signed-502|
        full-validates-origin|flexible-encrypts-origin|strict-rejects-origin-ca runs a wrong model to compare`;

const values = (list: readonly { value: string }[]) => list.map((c) => c.value).join("|");

export function cloudflareSslCommand(argv: readonly string[]): void {
  const args = parseArgs(argv, ["--mode", "--origin-cert", "--origin-listens", "--visitor", "--host", "--always-https", "--model"]);
  if (args.positional.length > 0) throw new InputError(args.positional[0]!, "cloudflare-ssl takes only options, e.g. --mode strict --origin-cert self-signed");
  const mode = one(args, "--mode");
  if (mode === undefined) throw new InputError("--mode", `give the encryption mode: --mode ${values(SSL_MODES)}`);
  const cert = one(args, "--origin-cert");
  if (cert === undefined) throw new InputError("--origin-cert", `give what the origin presents: --origin-cert ${values(ORIGIN_CERTS)}`);
  const flag = <T>(name: string, parse: (t: string) => T, fallback: T): T => {
    const text = one(args, name);
    if (text === undefined) return fallback;
    try {
      return parse(text);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${name} ${text}`, error.reason);
      throw error;
    }
  };
  const input: SslInput = {
    mode: flag("--mode", parseSslMode, DEFAULT_INPUT.mode),
    cert: flag("--origin-cert", parseOriginCert, DEFAULT_INPUT.cert),
    listener: flag("--origin-listens", parseOriginListener, DEFAULT_INPUT.listener),
    visitor: flag("--visitor", parseVisitorScheme, DEFAULT_INPUT.visitor),
    host: flag("--host", parseZoneHost, DEFAULT_INPUT.host),
    alwaysUseHttps: flag("--always-https", (t) => {
      if (t !== "on" && t !== "off") throw new InputError(t, "Always Use HTTPS is on or off");
      return t === "on";
    }, false),
  };
  const model = flag<SslWrongModel | null>("--model", (t) => {
    if (!(SSL_WRONG_MODELS as readonly string[]).includes(t)) throw new InputError(t, `the wrong models are ${SSL_WRONG_MODELS.join(", ")}`);
    return t as SslWrongModel;
  }, null);
  const result = runSslMode(input, model);
  print(args, result, () => formatSslResult(result));
}
