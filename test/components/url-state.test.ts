import { describe, expect, it } from "vitest";
import { labLink, readLabState, writeLabState } from "../../src/components/lab/url-state";

const defaults = { city: "paris", cloudflare: "on" };

describe("lab state in the URL", () => {
  it("round-trips a lab's parameters and step under its own prefix", () => {
    const search = writeLabState("?other.city=tokyo", "journey", { city: "tokyo", cloudflare: "on" }, defaults, 4);
    expect(search).toBe("?other.city=tokyo&journey.city=tokyo&journey.step=5");
    expect(readLabState(search, "journey")).toEqual({ params: { city: "tokyo" }, step: 4 });
    expect(readLabState(search, "other")).toEqual({ params: { city: "tokyo" }, step: null });
  });

  it("drops defaults and the first step; reads a number as an old hop index and anything else as a step id", () => {
    expect(writeLabState("", "journey", defaults, defaults, 0)).toBe("");
    expect(readLabState("?journey.step=0", "journey").step).toBe(0);
    expect(readLabState("?journey.step=7", "journey").step).toBe(6);
    expect(readLabState("?journey.step=request%3Agfe", "journey").step).toBe("request:gfe");
    expect(writeLabState("", "journey", defaults, defaults, "response:pod")).toBe("?journey.step=response%3Apod");
  });

  it("builds links with an anchor on the lab", () => {
    expect(labLink("/lessons/x/", "journey", { city: "paris", cloudflare: "off" }, defaults, 2)).toBe(
      "/lessons/x/?journey.cloudflare=off&journey.step=3#lab-journey",
    );
  });
});
