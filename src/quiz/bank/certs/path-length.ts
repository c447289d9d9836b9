import { seededRandom } from "../../../sim/random";
import { keyIdSignatures, makeCertModel } from "../../../sim/tls/x509/model";
import type { CertModel } from "../../../sim/tls/x509/types";
import { validatePath } from "../../../sim/tls/x509/validate";
import type { Template } from "../../engine/types";
import { pick } from "../draw";
import { certsLab, LESSON } from "./shared";

/**
 * pathLenConstraint: a root and the intermediate it signs each may carry a path length; how many intermediate CAs
 * can sit between the root and a leaf? The key is found by running the engine's `validatePath` on chains of 1…6
 * intermediates (the top one with the drawn constraint, the rest unconstrained) and taking the longest that passes.
 */
const ID = "path-length";
const MAX_INTERMEDIATES = 6;

function params(seed: number): Record<string, string | number> {
  if (seed === 0) return { root: 1, top: "none" };
  const r = seededRandom(seed);
  const root = pick(r, [0, 1, 2, 3, 4, "none"]);
  // Some CA must carry a limit, or the chain could be any length.
  return { root, top: root === "none" ? pick(r, [0, 1, 2]) : pick(r, ["none", "none", 0, 1, 2]) };
}

const AT = "2026-06-01T00:00:00Z";

function chainOf(n: number, rootLen: number | null, topLen: number | null): { chain: CertModel[]; root: CertModel } {
  const root = makeCertModel({ subject: "CN=Example Root CA", issuer: "CN=Example Root CA", notBefore: "2020-01-01T00:00:00Z", notAfter: "2040-01-01T00:00:00Z", basicConstraints: { ca: true, pathLen: rootLen, critical: true }, keyUsage: ["keyCertSign", "cRLSign"], authorityKeyId: null });
  const cas: CertModel[] = [];
  let issuer = root.subject;
  for (let i = 1; i <= n; i++) {
    const subject = `CN=Example CA ${i}`;
    cas.push(makeCertModel({ subject, issuer, notBefore: "2025-01-01T00:00:00Z", notAfter: "2030-01-01T00:00:00Z", basicConstraints: { ca: true, pathLen: i === 1 ? topLen : null, critical: true }, keyUsage: ["keyCertSign", "cRLSign"] }));
    issuer = subject;
  }
  const leaf = makeCertModel({ subject: "CN=www.example.com", issuer, san: [{ type: "dns", value: "www.example.com" }], basicConstraints: { ca: false, pathLen: null, critical: true }, keyUsage: ["digitalSignature"], extendedKeyUsage: ["serverAuth"] });
  // The server sends leaf first, then its intermediates bottom-up.
  return { chain: [leaf, ...cas.reverse()], root };
}

export const pathLength: Template<"numeric"> = {
  id: ID,
  kind: "numeric",
  title: "How deep may the chain go?",
  lesson: LESSON,
  concepts: ["x509-chain"],
  file: "src/quiz/bank/certs/path-length.ts",
  params,
  variant(seed) {
    const p = params(seed);
    const rootLen = p.root === "none" ? null : (p.root as number);
    const topLen = p.top === "none" ? null : (p.top as number);
    const top = topLen;
    const passes = (n: number) => {
      const { chain, root } = chainOf(n, rootLen, top);
      return validatePath({ chain, roots: [root], at: AT, signatureOk: keyIdSignatures() });
    };
    const results = Array.from({ length: MAX_INTERMEDIATES }, (_, i) => passes(i + 1));
    const deepest = results.reduce((best, v, i) => (v.result === "SUCCESS" ? i + 1 : best), 0);
    const firstFail = results.find((v) => v.result === "FAILURE");
    const lenText = (n: number | null) => (n === null ? "no pathlen (unlimited)" : `pathlen:${n}`);
    return {
      template: ID, kind: "numeric", seed, title: this.title,
      prompt:
        `A private PKI's root CA has basicConstraints CA:TRUE, ${lenText(rootLen)}. It signs "Example CA 1" with CA:TRUE, ${lenText(top)}; ` +
        `every CA below that is CA:TRUE with no pathlen. Each CA signs the next, and the last signs the server's leaf. ` +
        `Counting Example CA 1, what is the largest number of intermediate CA certificates between the root and the leaf for which the chain still validates?`,
      exhibits: [{ kind: "text", text: `Root:          CA:TRUE, ${lenText(rootLen)}\nExample CA 1:  CA:TRUE, ${lenText(top)}\nExample CA 2…: CA:TRUE (no pathlen)\nLeaf:          CA:FALSE, DNS:www.example.com` }],
      view: { unit: "count", label: "Intermediate CAs (at most)" },
      key: { value: deepest },
      rubric: {
        value: deepest, unit: "count", absolute: 0, relative: 0,
        why: {
          why: `With ${deepest} intermediate${deepest === 1 ? "" : "s"} the chain validates; with ${deepest + 1} it fails: ${firstFail?.checks.find((c) => !c.ok)?.detail ?? "—"}`,
          step: null,
        },
      },
      misconceptions: [],
      hints: [
        "pathLenConstraint counts the CA certificates that may follow this one in the path — the leaf is not one of them.",
        "Each CA's limit applies on its own; the tightest one wins.",
      ],
      explanation:
        `RFC 5280 §4.2.1.9: pathLenConstraint is the most non-self-issued intermediate CA certificates that may follow the certificate in a path; the leaf does not count. ` +
        `The root's ${lenText(rootLen)} allows ${rootLen === null ? "any number of" : rootLen} CA${rootLen === 1 ? "" : "s"} below it; Example CA 1's ${lenText(top)} allows ${top === null ? "any number" : top} more below itself, so at most ${top === null ? "unlimited" : top + 1} counting itself. ` +
        `The tighter limit gives ${deepest}.`,
      lab: certsLab("pathlen-exceeded"),
    };
  },
};
