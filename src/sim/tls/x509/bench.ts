/**
 * Throughput of the X.509 engine, for `npm run bench`: validatePath over hand-built models (no crypto), verifyChain
 * on a generated sample (PEM parsing + WebCrypto signatures + checks), and PEM parsing alone.
 */
import { generateSamples, SAMPLE_AT, SAMPLE_HOST } from "../samples";
import { keyIdSignatures, makeCertModel } from "./model";
import { parsePemBundle } from "./parse";
import { validatePath } from "./validate";
import { verifyChain } from "./verify";

export interface X509Bench {
  /** validatePath calls per second on a 3-certificate path (leaf, intermediate, root), all checks and a host. */
  readonly validatePathPerSecond: number;
  /** verifyChain calls per second on the "valid" sample (ECDSA P-256): parse, 2 signature verifications, checks. */
  readonly verifyChainPerSecond: number;
  /** Certificates parsed per second from PEM (into models, SHA-256 fingerprints included). */
  readonly parseCertificatesPerSecond: number;
}

/**
 * @param ms how long each measurement runs
 * @param now a clock in milliseconds (performance.now by default)
 */
export async function benchX509(ms = 1000, now: () => number = () => performance.now()): Promise<X509Bench> {
  const ca = { basicConstraints: { ca: true, pathLen: null, critical: true }, keyUsage: ["keyCertSign"] } as const;
  const root = makeCertModel({ subject: "CN=Bench Root", issuer: "CN=Bench Root", ...ca, notBefore: "2020-01-01T00:00:00Z", notAfter: "2040-01-01T00:00:00Z" });
  const inter = makeCertModel({ subject: "CN=Bench CA", issuer: "CN=Bench Root", ...ca });
  const leaf = makeCertModel({ subject: `CN=${SAMPLE_HOST}`, issuer: "CN=Bench CA", san: [{ type: "dns", value: SAMPLE_HOST }], extendedKeyUsage: ["serverAuth"] });
  const signatureOk = keyIdSignatures();
  const rate = async (work: () => unknown): Promise<number> => {
    for (let i = 0; i < 5; i += 1) await work();
    let n = 0;
    const start = now();
    while (now() - start < ms) {
      await work();
      n += 1;
    }
    return Math.round((n / (now() - start)) * 1000);
  };
  const validatePathPerSecond = await rate(() => validatePath({ chain: [leaf, inter], roots: [root], at: SAMPLE_AT, host: SAMPLE_HOST, signatureOk }));
  const sample = (await generateSamples()).find((c) => c.id === "valid")!;
  const verifyChainPerSecond = await rate(() => verifyChain({ chainPem: sample.chainPem, rootsPem: sample.rootsPem, at: sample.at, host: sample.host }));
  const perCall = parsePemBundle(sample.chainPem, "bench").length;
  const parseCertificatesPerSecond = (await rate(() => parsePemBundle(sample.chainPem, "bench"))) * perCall;
  return { validatePathPerSecond, verifyChainPerSecond, parseCertificatesPerSecond };
}
