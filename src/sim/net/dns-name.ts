import { InputError } from "./errors";

/**
 * Host names as a user types them into a URL bar, checked the way a resolver would accept them
 * (RFC 1035 §2.3.4 lengths, RFC 1123 §2.1 letter-digit-hyphen labels), and matched against the names
 * on a certificate as TLS clients do (RFC 6125 §6.4.3: a wildcard stands for exactly one label).
 */

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Lower-cases and validates a host name; a single trailing dot (the root) is dropped.
 *
 * @example parseHostName("WWW.Example.com.") // "www.example.com"
 * @throws InputError "shop..example.com: label 2 is empty"
 */
export function parseHostName(text: string): string {
  const name = text.trim().toLowerCase().replace(/\.$/, "");
  if (name === "") throw new InputError(text, "no host name given; type one like www.example.com");
  if (name.length > 253) throw new InputError(text, `a host name is at most 253 characters; this has ${name.length}`);
  if (/^[0-9.]+$/.test(name)) throw new InputError(text, "that is an IP address, not a host name; the Host header here takes a DNS name");
  const labels = name.split(".");
  if (labels.length < 2) throw new InputError(text, "a public host name has at least two labels, like example.com");
  labels.forEach((label, i) => {
    if (label === "") throw new InputError(text, `label ${i + 1} is empty`);
    if (label.length > 63) throw new InputError(text, `label ${i + 1} has ${label.length} characters; the limit is 63`);
    if (!LABEL.test(label)) {
      const bad = label.startsWith("-") || label.endsWith("-")
        ? "starts or ends with a hyphen"
        : `has "${[...label].find((c) => !/[a-z0-9-]/.test(c))}", and labels take only letters, digits and hyphens`;
      throw new InputError(text, `label ${i + 1} ("${label}") ${bad}`);
    }
  });
  if (/^[0-9]+$/.test(labels.at(-1)!)) throw new InputError(text, "the last label (the top-level domain) cannot be all digits");
  return name;
}

/**
 * Whether a certificate name (a SAN dNSName) covers a host. "*.example.com" covers
 * "api.example.com" but neither "example.com" nor "a.b.example.com".
 *
 * @example certificateNameCovers("*.example.com", "a.b.example.com") // false
 */
export function certificateNameCovers(certName: string, host: string): boolean {
  const pattern = certName.toLowerCase();
  if (!pattern.startsWith("*.")) return pattern === host;
  const suffix = pattern.slice(1); // ".example.com"
  if (!host.endsWith(suffix)) return false;
  const first = host.slice(0, host.length - suffix.length);
  return first.length > 0 && !first.includes(".");
}

/** Whether any of a certificate's names covers the host. */
export function certificateCovers(certNames: readonly string[], host: string): boolean {
  return certNames.some((n) => certificateNameCovers(n, host));
}
