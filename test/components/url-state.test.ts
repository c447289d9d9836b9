import { describe, expect, it } from "vitest";
import { labLink, readLabState, writeLabState } from "../../src/components/lab/url-state";
import { hasStepLabState, readStepLabState, writeStepLabState } from "../../src/components/steplab/url";

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

describe("step lab state in the URL", () => {
  const none = { preset: null, input: null, stepId: null, sub: null, services: null, seed: null };

  it("round-trips a seed under the lab's own prefix, as the link wrote it", () => {
    const search = writeStepLabState("?other.seed=3", "nat", { ...none, preset: "hairpin", seed: "4096", stepId: "server", sub: 2 });
    expect(search).toBe("?other.seed=3&nat.preset=hairpin&nat.step=server&nat.sub=3&nat.seed=4096");
    expect(readStepLabState(search, "nat")).toEqual({ ...none, preset: "hairpin", seed: "4096", stepId: "server", sub: 2 });
    expect(readStepLabState(search, "other")).toEqual({ ...none, seed: "3" });
  });

  it("leaves a seed of null out of the link, and reads an empty one as none", () => {
    expect(writeStepLabState("?nat.seed=9", "nat", none)).toBe("");
    expect(readStepLabState("?nat.seed=", "nat").seed).toBeNull();
    expect(readStepLabState("?nat.seed=%20", "nat").seed).toBeNull();
    expect(hasStepLabState(readStepLabState("?nat.seed=", "nat"))).toBe(false);
  });

  it("hands a bad seed on unchanged, for the lab to report", () => {
    const state = readStepLabState("?nat.seed=seven", "nat");
    expect(state.seed).toBe("seven");
    expect(hasStepLabState(state)).toBe(true);
  });
});
