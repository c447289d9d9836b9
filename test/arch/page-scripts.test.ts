import { describe, expect, it } from "vitest";
import { isJavaScript } from "../../scripts/page-scripts";

describe("what the JS budget counts as a script", () => {
  it("counts classic and module scripts, and the JavaScript MIME types", () => {
    for (const attrs of ["", " defer", ' type="module"', " type=module", ' type="text/javascript"', ' TYPE="application/javascript"', ' type="text/ecmascript"']) {
      expect(isJavaScript(attrs), attrs).toBe(true);
    }
  });
  it("leaves out data blocks and other types the browser never runs", () => {
    for (const attrs of [' type="application/json" id="journey-trace-1"', ' type="application/ld+json"', ' type="importmap"', ' type="text/plain"']) {
      expect(isJavaScript(attrs), attrs).toBe(false);
    }
  });
});
