import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import {
  EXAMPLE_MANIFEST, manifestLabOnDemand, type ManifestLabEvent, type PasteResult, type PasteRules,
} from "../../src/machines/manifest-lab.machine";
import { encodeLabInput } from "../../src/sim/core/permalink";
import { fixtureTrace, NAT_ROWS } from "./step-lab.fixture";

/**
 * The paste lab as a page runs it: the example's result computed at build time (`known`), the rule
 * generator sent in only when an input needs it. Packet fields are checked at once either way.
 */
const KNOWN: PasteResult = { rules: NAT_ROWS.join("\n"), trace: fixtureTrace({ client: "other-pod" }, 0) };
const paste: PasteRules = (yamlText, _packet, seed) => {
  if (yamlText.includes("kind: [")) throw Object.assign(new Error("bad YAML"), { problems: [{ line: 1, column: 7, path: "", message: "syntax error" }] });
  return { rules: `# generated\n${NAT_ROWS.join("\n")}`, trace: fixtureTrace({ client: "hairpin" }, seed) };
};
const start = () => initialTransition(manifestLabOnDemand, { known: KNOWN })[0];
const run = (s: ReturnType<typeof start>, ...events: ManifestLabEvent[]) => {
  for (const event of events) [s] = transition(manifestLabOnDemand, s, event);
  return s;
};
const LOADED: ManifestLabEvent = { type: "SIMULATOR_LOADED", paste };

describe("manifest lab on demand", () => {
  it("opens on the known example without a generator", () => {
    const s = start();
    expect(s.context).toMatchObject({ rules: KNOWN.rules, trace: KNOWN.trace, waiting: false, errors: {}, stale: false, stepId: "client" });
  });

  it("checks packet fields at once, and makes a valid edit wait for the generator", () => {
    let s = run(start(), { type: "EDIT", field: "dst", value: "10.96.0.15" });
    expect(s.context).toMatchObject({ waiting: false, stale: true });
    expect(s.context.errors.dst).toMatch(/IP:PORT/);
    s = run(s, { type: "EDIT", field: "dst", value: "10.96.0.15:80" });
    // Back to the example: known, nothing to wait for.
    expect(s.context).toMatchObject({ waiting: false, stale: false, errors: {}, trace: KNOWN.trace });
    s = run(s, { type: "JUMP_TO_STEP", stepId: "server" }, { type: "EDIT", field: "seed", value: "2" });
    expect(s.context).toMatchObject({ waiting: true, stale: false, errors: {}, trace: KNOWN.trace, stepId: "server" });
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, errors: {}, stepId: "server" });
    expect(s.context.rules).toMatch(/^# generated/);
    expect(s.context.trace!.seed).toBe(2);
  });

  it("generates at once once the generator is in (sent ahead, when the learner is about to edit)", () => {
    let s = run(start(), LOADED);
    expect(s.context).toMatchObject({ waiting: false, trace: KNOWN.trace });
    s = run(s, { type: "EDIT", field: "yaml", value: "kind: [" });
    expect(s.context).toMatchObject({ waiting: false, stale: true, rules: KNOWN.rules });
    expect(s.context.errors.yaml).toEqual([{ line: 1, column: 7, path: "", message: "syntax error" }]);
    s = run(s, { type: "RESET" });
    expect(s.context).toMatchObject({ yaml: EXAMPLE_MANIFEST, errors: {}, stale: false, trace: KNOWN.trace });
  });

  it("waits from the start when it opens on anything but the example", () => {
    let s = initialTransition(manifestLabOnDemand, { known: KNOWN, src: "10.4.1.8" })[0];
    expect(s.context).toMatchObject({ waiting: true, trace: null, rules: null });
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, errors: {} });
    expect(s.context.rules).toMatch(/^# generated/);
  });

  it("opens a permalink's own manifest once the generator is in; a broken link keeps the known example", () => {
    let s = run(start(), { type: "LOAD_STATE", input: encodeLabInput({ yaml: EXAMPLE_MANIFEST, src: "10.4.2.200", dst: "10.96.0.15:80", protocol: "tcp", seed: "0" }), stepId: "netfilter-request", sub: 2 });
    expect(s.context).toMatchObject({ src: "10.4.2.200", waiting: true, trace: KNOWN.trace });
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, stepId: "netfilter-request", sub: 2, errors: {} });
    s = run(start(), { type: "LOAD_STATE", input: "1.garbage" });
    expect(s.context).toMatchObject({ waiting: false, trace: KNOWN.trace, rules: KNOWN.rules });
    expect(s.context.errors.link).toMatch(/could not be read/);
  });

  it("says so when the generator cannot be loaded, and tries again on the next edit", () => {
    let s = run(start(), { type: "EDIT", field: "seed", value: "1" }, { type: "SIMULATOR_FAILED", error: new Error("offline") });
    expect(s.context).toMatchObject({ waiting: false, stale: true, trace: KNOWN.trace });
    expect(s.context.errors.simulator).toMatch(/could not be loaded \(offline\)/);
    s = run(s, { type: "EDIT", field: "seed", value: "2" });
    expect(s.context).toMatchObject({ waiting: true, errors: {} });
    s = run(s, LOADED);
    expect(s.context).toMatchObject({ waiting: false, stale: false, errors: {} });
    // A head start that failed while nothing waited says nothing.
    s = run(start(), { type: "SIMULATOR_FAILED", error: new Error("offline") });
    expect(s.context.errors).toEqual({});
  });
});
