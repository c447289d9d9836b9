/**
 * What the certificate lab loads the first time a learner presses Verify, in a chunk of its own: the X.509
 * engine (@peculiar/x509, ~58 KB gzipped) and WebCrypto signature checks. A page that only steps through the
 * samples never fetches it. Everything happens in the page: the pasted PEM is never sent anywhere.
 */
import { InputError } from "../../sim/net/errors";
import { matchReferenceId, parseReferenceId } from "../../sim/tls/x509/names";
import { parsePemBundle, type ParsedCert } from "../../sim/tls/x509/parse";
import type { Verdict } from "../../sim/tls/x509/types";
import { ROOT_STORE_LIMITS, verifyParsed } from "../../sim/tls/x509/verify";
import type { CertLabField, CertLabPaste } from "../../machines/cert-lab.machine";

export type PasteOutcome =
  | { readonly ok: true; readonly verdict: Verdict; readonly host: string; readonly at: string }
  | { readonly ok: false; readonly field: CertLabField; readonly message: string };

/** A pasted private key is refused before the parser reads it, with advice (a chain never needs one). */
const PRIVATE_KEY = /-----BEGIN ((RSA|EC|DSA|ENCRYPTED|OPENSSH) )?PRIVATE KEY-----/;

/**
 * Verifies a pasted chain: the chain (leaf first), the trust anchors (`defaultRoots` — the samples' root —
 * when the box is empty), the host (empty: no name check) and the instant (empty: now). A bad value comes
 * back as the engine's message for the field it belongs to; anything else is a bug and is thrown.
 */
export async function verifyPaste(paste: CertLabPaste, defaultRoots: string, now: () => Date = () => new Date()): Promise<PasteOutcome> {
  for (const field of ["chain", "roots"] as const) {
    if (PRIVATE_KEY.test(paste[field])) {
      return { ok: false, field, message: `${field}: this is a private key, not a certificate. A chain never needs one: keep private keys on the server that uses them, and replace one that has been shared (this page did not read or send it).` };
    }
  }
  // Each box is parsed on its own (as verifyChain would, with the same limits), so a message lands at its box.
  let chain: readonly ParsedCert[];
  let roots: readonly ParsedCert[];
  try {
    chain = parsePemBundle(paste.chain, "chain");
  } catch (error) {
    return rejected("chain", error);
  }
  try {
    roots = parsePemBundle(paste.roots.trim() === "" ? defaultRoots : paste.roots, "roots", ROOT_STORE_LIMITS);
  } catch (error) {
    return rejected("roots", error);
  }
  const host = paste.host.trim();
  // The engine reads a host that is neither a DNS name nor an address as a failed name check; the lab says so at the field instead.
  if (host !== "" && parseReferenceId(host) === null) return { ok: false, field: "host", message: `host: ${matchReferenceId({ san: [], commonName: null }, host).detail}` };
  const at = paste.at.trim() === "" ? now().toISOString().replace(/\.\d{3}Z$/, "Z") : paste.at.trim();
  try {
    const verdict = await verifyParsed({ chain, roots, at, ...(host ? { host } : {}) });
    return { ok: true, verdict, host, at };
  } catch (error) {
    // Parsed chain and roots and a good host leave only the instant for the engine to reject.
    return rejected("at", error);
  }
}

function rejected(field: CertLabField, error: unknown): PasteOutcome {
  if (error instanceof InputError) return { ok: false, field, message: error.message };
  throw error;
}
