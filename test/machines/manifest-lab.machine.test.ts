import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { LineCounter, parseAllDocuments } from "yaml";
import {
  EXAMPLE_FIELDS, EXAMPLE_MANIFEST, isExample, isIpAddress, linkFields, manifestLabMachine, manifestLabWith, packetErrors,
  type ManifestLabEvent, type PasteRules,
} from "../../src/machines/manifest-lab.machine";
import { currentStep, highlightedRow } from "../../src/machines/step-lab.machine";
import { encodeLabInput } from "../../src/sim/core/permalink";
import { InputError } from "../../src/sim/net/errors";
import { fixtureTrace, NAT_ROWS } from "./step-lab.fixture";

/** Stands in for `kubeProxyPaste`'s error: the problems `kubectl apply` would print, located in the file. */
class FakeManifestError extends Error {
  constructor(readonly problems: { file: string; line: number; column: number; path: string; message: string }[]) {
    super(problems.map((p) => p.message).join("; "));
  }
}

/**
 * A stand-in for `kubeProxyPaste`: real YAML parsing (so syntax errors carry real lines), one
 * validation (a Service needs spec.ports), the fixture walk for a Service with endpoints.
 */
const fakePaste: PasteRules = (yamlText, packet, seed) => {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(yamlText, { lineCounter });
  if (!Array.isArray(docs)) throw new FakeManifestError([{ file: "pasted.yaml", line: 1, column: 1, path: "", message: "empty" }]);
  for (const doc of docs) {
    for (const e of doc.errors) {
      const { line, col } = lineCounter.linePos(e.pos[0]);
      throw new FakeManifestError([{ file: "pasted.yaml", line, column: col, path: "", message: e.message.split("\n")[0]! }]);
    }
    const obj = doc.toJS() as { kind?: string; spec?: { ports?: unknown } } | null;
    if (obj?.kind === "Service" && !obj.spec?.ports) {
      const { line, col } = lineCounter.linePos((doc.contents as { range: number[] }).range[0]!);
      throw new FakeManifestError([{ file: "pasted.yaml", line, column: col, path: "spec.ports", message: "spec.ports: Required value" }]);
    }
  }
  if (packet.dst === "10.96.0.99:80") throw new InputError(packet.dst, "no Service has this cluster IP and port");
  return { rules: NAT_ROWS.join("\n"), trace: fixtureTrace({ client: "other-pod" }, seed) };
};

const machine = manifestLabWith(fakePaste);
const start = () => initialTransition(machine, {})[0];
const run = (s: ReturnType<typeof start>, ...events: ManifestLabEvent[]) => {
  for (const event of events) [s] = transition(machine, s, event);
  return s;
};

describe("manifest lab machine", () => {
  it("opens with the example manifest, its rules and the walk", () => {
    const s = start();
    expect(s.context.yaml).toBe(EXAMPLE_MANIFEST);
    expect(s.context.errors).toEqual({});
    expect(s.context.rules).toContain("-A KUBE-SERVICES -d 10.96.0.15/32");
    expect(s.context.stepId).toBe("client");
    expect(isExample(s.context)).toBe(true);
  });

  it("steps the walk across step boundaries both ways", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "route" }, { type: "STEP_BACK" });
    expect(s.context.stepId).toBe("netfilter-request");
    expect(s.context.sub).toBe(currentStep(s.context)!.sub.length - 1);
    s = run(s, { type: "STEP_FORWARD" }, { type: "STEP_FORWARD" });
    expect(s.context).toMatchObject({ stepId: "server", sub: null });
    s = run(s, { type: "FIRST" }, { type: "STEP_FORWARD" }, { type: "STEP_FORWARD" });
    expect(highlightedRow(s.context)).toMatchObject({ table: { id: "nat" }, row: 1 });
    s = run(s, { type: "LAST" });
    expect(s.context.stepId).toBe("client-reply");
  });

  it("shows a YAML syntax error at its line and keeps the last good result", () => {
    let s = run(start(), { type: "JUMP_TO_STEP", stepId: "server" });
    const { rules, trace } = s.context;
    const broken = EXAMPLE_MANIFEST.replace("  selector:\n", "  selector:\n   app: [unclosed\n");
    s = run(s, { type: "EDIT", field: "yaml", value: broken });
    expect(s.context.errors.yaml).toHaveLength(1);
    expect(s.context.errors.yaml![0]!.line).toBeGreaterThanOrEqual(10);
    expect(s.context.rules).toBe(rules);
    expect(s.context.trace).toBe(trace);
    expect(s.context.stale).toBe(true);
    expect(s.context.stepId).toBe("server");
    expect(s.context.yaml).toBe(broken);
    // Fixing it brings a fresh result and clears the error; the cursor stays on its step.
    s = run(s, { type: "EDIT", field: "yaml", value: EXAMPLE_MANIFEST });
    expect(s.context.errors).toEqual({});
    expect(s.context.stale).toBe(false);
    expect(s.context.stepId).toBe("server");
  });

  it("locates a validation problem at its field path", () => {
    const noPorts = EXAMPLE_MANIFEST.replace(/  ports:\n  - name: http\n    protocol: TCP\n    port: 80\n    targetPort: 8080\n/, "");
    const s = run(start(), { type: "EDIT", field: "yaml", value: noPorts });
    expect(s.context.errors.yaml).toEqual([{ line: 1, column: 1, path: "spec.ports", message: "spec.ports: Required value" }]);
    expect(s.context.rules).not.toBeNull();
  });

  it("keeps each packet field's error apart and never loses the result", () => {
    let s = start();
    const trace = s.context.trace;
    s = run(s, { type: "EDIT", field: "src", value: "10.4.1" }, { type: "EDIT", field: "dst", value: "10.96.0.15" });
    expect(Object.keys(s.context.errors).sort()).toEqual(["dst", "src"]);
    expect(s.context.errors.dst).toMatch(/IP:PORT/);
    expect(s.context.trace).toBe(trace);
    s = run(s, { type: "EDIT", field: "src", value: "10.4.1.7" });
    expect(Object.keys(s.context.errors)).toEqual(["dst"]);
    s = run(s, { type: "EDIT", field: "protocol", value: "icmp" }, { type: "EDIT", field: "seed", value: "-1" });
    expect(Object.keys(s.context.errors).sort()).toEqual(["dst", "protocol", "seed"]);
    s = run(s, { type: "EDIT", field: "protocol", value: "tcp" }, { type: "EDIT", field: "seed", value: "3" }, { type: "EDIT", field: "dst", value: "10.96.0.15:80" });
    expect(s.context.errors).toEqual({});
    expect(s.context.trace!.seed).toBe(3);
    // An error from the generator that names a field's value is shown at that field.
    s = run(s, { type: "EDIT", field: "dst", value: "10.96.0.99:80" });
    expect(s.context.errors).toEqual({ dst: "no Service has this cluster IP and port" });
    expect(s.context.stale).toBe(true);
  });

  it("keeps a YAML error while a packet field is being fixed", () => {
    let s = run(start(), { type: "EDIT", field: "yaml", value: "kind: [" }, { type: "EDIT", field: "src", value: "x" });
    expect(Object.keys(s.context.errors).sort()).toEqual(["src", "yaml"]);
    s = run(s, { type: "EDIT", field: "src", value: "10.4.1.7" });
    expect(Object.keys(s.context.errors)).toEqual(["yaml"]);
  });

  it("round-trips through a permalink; a broken one keeps the example", () => {
    let s = run(start(), { type: "EDIT", field: "dst", value: "[fd00::a]:80" }, { type: "JUMP_TO_STEP", stepId: "route" });
    const link = encodeLabInput(linkFields(s.context));
    s = run(start(), { type: "LOAD_STATE", input: link, stepId: "route", sub: 0 });
    expect(s.context).toMatchObject({ dst: "[fd00::a]:80", stepId: "route", sub: 0 });
    expect(isExample(s.context)).toBe(false);
    s = run(start(), { type: "LOAD_STATE", input: "2.garbage", stepId: "server" });
    expect(s.context.errors.link).toMatch(/format "2"/);
    expect(s.context.yaml).toBe(EXAMPLE_FIELDS.yaml);
    expect(s.context.stepId).toBe("server");
    s = run(s, { type: "EDIT", field: "seed", value: "1" });
    expect(s.context.errors).toEqual({});
  });

  it("resets to the example", () => {
    const s = run(start(), { type: "EDIT", field: "yaml", value: "kind: [" }, { type: "RESET" });
    expect(s.context.yaml).toBe(EXAMPLE_MANIFEST);
    expect(s.context.errors).toEqual({});
  });

  it("reports a missing generator as a problem rather than throwing", () => {
    const [s] = initialTransition(manifestLabMachine, {});
    expect(s.context.rules).toBeNull();
    expect(s.context.errors.yaml![0]!.message).toMatch(/No rule generator/);
  });

  it("validates addresses the way a learner writes them", () => {
    for (const ok of ["10.4.1.7", "fd00::7", "::1", "2001:db8::1", "::ffff:10.0.0.1", "1:2:3:4:5:6:7:8"]) expect(isIpAddress(ok), ok).toBe(true);
    for (const bad of ["10.4.1", "256.1.1.1", "fd00:::7", "1:2:3:4:5:6:7:8:9", "g::1", ""]) expect(isIpAddress(bad), bad).toBe(false);
    expect(packetErrors({ src: "10.4.1.7", dst: "fd00::a:80", protocol: "tcp", seed: "0" }).dst).toMatch(/brackets|not an IP/);
    expect(packetErrors({ src: "10.4.1.7", dst: "10.96.0.15:70000", protocol: "tcp", seed: "0" }).dst).toMatch(/out of range/);
  });
});
