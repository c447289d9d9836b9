/**
 * Deterministic stand-ins for the API server's random choices. Real clusters pick generated name
 * suffixes, cluster IPs and node ports at random; a simulator must give the same answer on every run,
 * so each choice here is a hash of what the object is (namespace, name, port index), probed linearly
 * past anything already taken. Same manifests ⇒ same names, IPs and ports, byte for byte.
 */

/** FNV-1a, 32 bits: small, well known, and stable across JavaScript engines. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The alphabet of k8s.io/apimachinery/pkg/util/rand.String: consonants and digits without look-alikes
 * or vowels, so a generated suffix never spells a word. metadata.generateName adds five of them.
 */
const suffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

export function generatedSuffix(seed: string, attempt = 0): string {
  let value = fnv1a32(`${seed}#${attempt}`);
  let out = "";
  for (let i = 0; i < 5; i++) {
    out += suffixAlphabet[value % suffixAlphabet.length];
    value = (Math.floor(value / suffixAlphabet.length) ^ fnv1a32(`${seed}#${attempt}#${i}`)) >>> 0;
  }
  return out;
}

/**
 * names.SimpleNameGenerator: the base is cut to 58 characters so base + 5 fits a 63-character name,
 * then five random characters are appended (here: hashed from `seed`).
 */
export function generateName(base: string, seed: string, taken: ReadonlySet<string>): string {
  const prefix = base.length > 58 ? base.slice(0, 58) : base;
  for (let attempt = 0; ; attempt++) {
    const name = prefix + generatedSuffix(seed, attempt);
    if (!taken.has(name)) return name;
  }
}
