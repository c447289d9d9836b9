/**
 * Go's fixed-point float formatting (`strconv.FormatFloat(x, 'f', prec, 64)`, which `%0.10f` uses).
 *
 * Go rounds the *exact* binary value of the double to `prec` decimals, half to even. JavaScript's
 * `toFixed` breaks an exact tie upwards instead ("pick the larger n"), so the two differ whenever
 * the double's expansion ends in exactly 5 at the first dropped digit: 1/2048 = 0.00048828125
 * is "0.0004882812" in Go and "0.0004882813" from `toFixed(10)`. kube-proxy prints every
 * `--probability` with `%0.10f` (proxier.go computeProbability), so the difference reaches the rules
 * of any Service with 2048 endpoints.
 */

const view = new DataView(new ArrayBuffer(8));

/**
 * `strconv.FormatFloat(x, 'f', prec, 64)`: exact decimal expansion, round half to even.
 *
 * @example formatGoFixed(0.125, 2) // "0.12" (toFixed gives "0.13")
 */
export function formatGoFixed(x: number, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // value = mantissa × 2^exponent, exactly.
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = biased === 0 ? -1074 : biased - 1075;
  const scale = 10n ** BigInt(prec);
  let q: bigint;
  if (exponent >= 0) {
    q = (mantissa << BigInt(exponent)) * scale;
  } else {
    const den = 1n << BigInt(-exponent);
    const num = mantissa * scale;
    q = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  }
  const digits = q.toString().padStart(prec + 1, "0");
  const whole = digits.slice(0, digits.length - prec);
  const frac = digits.slice(digits.length - prec);
  return (negative ? "-" : "") + (prec > 0 ? `${whole}.${frac}` : whole);
}

/**
 * `fmt.Sprintf("%0.10f", x)`, the format of kube-proxy's `--probability` values.
 *
 * @example formatGoFloat10(1 / 3) // "0.3333333333"
 */
export function formatGoFloat10(x: number): string {
  return formatGoFixed(x, 10);
}

/**
 * kube-proxy's `computeProbability(n)`: the chance that rule i of n (counting down) matches.
 *
 * @example computeProbability(100001) // "0.0000099999"
 */
export function computeProbability(n: number): string {
  return formatGoFloat10(1.0 / n);
}
