import { describe, expect, it } from "vitest";
import { computeProbability, formatGoFixed, formatGoFloat10 } from "../../../../src/sim/kube/iptables";

describe("Go %0.10f (strconv 'f', round half to even on the exact binary value)", () => {
  it.each([
    [1 / 3, "0.3333333333"],
    [1 / 7, "0.1428571429"],
    [1 / 6, "0.1666666667"],
    [2 / 3, "0.6666666667"],
    [1 / 1024, "0.0009765625"],
    [1 / 4096, "0.0002441406"],
    [1 / 8192, "0.0001220703"],
    [1, "1.0000000000"],
    [0, "0.0000000000"],
  ])("%d → %s", (x, s) => {
    expect(formatGoFloat10(x)).toBe(s);
  });

  it("breaks an exact tie to even where toFixed rounds up (1/2048 = 0.00048828125)", () => {
    expect(formatGoFloat10(1 / 2048)).toBe("0.0004882812");
    expect((1 / 2048).toFixed(10)).toBe("0.0004882813");
    expect(computeProbability(2048)).toBe("0.0004882812");
    // 1/32768 = 0.000030517578125: the dropped digits "78125" are above half, so both round up.
    expect(formatGoFloat10(1 / 32768)).toBe("0.0000305176");
  });

  it("uses the exact binary value, not the shortest decimal", () => {
    // 0.125 and 0.375 are exact ties at 2 places: half-even gives .12 and .38.
    expect(formatGoFixed(0.125, 2)).toBe("0.12");
    expect(formatGoFixed(0.375, 2)).toBe("0.38");
    expect((0.125).toFixed(2)).toBe("0.13");
    // 1.005 is really 1.00499999999999989…, so it rounds down in Go (and in toFixed).
    expect(formatGoFixed(1.005, 2)).toBe("1.00");
    expect(formatGoFixed(2.5, 0)).toBe("2");
    expect(formatGoFixed(3.5, 0)).toBe("4");
    expect(formatGoFixed(-0.5, 0)).toBe("-0");
    expect(formatGoFixed(1e21, 1)).toBe("1000000000000000000000.0");
    expect(formatGoFixed(5e-324, 3)).toBe("0.000");
  });

  it("agrees with toFixed on every 1/n that is not an exact tie", () => {
    for (let n = 1; n <= 5000; n++) {
      const x = 1 / n;
      if (n === 2048) continue;
      expect(formatGoFloat10(x)).toBe(x.toFixed(10));
    }
  });
});
