import { describe, expect, it } from "vitest";
import { initialTransition, transition } from "xstate";
import { LAB_CASES } from "../../src/sim/kube/troubleshoot/cases";
import { troubleshootMachine, type TroubleshootEvent, type TroubleshootInput } from "../../src/machines/troubleshoot.machine";
import { simEngine } from "../../src/machines/troubleshoot-engine";

const engine = simEngine();

function run(events: TroubleshootEvent[], input: TroubleshootInput = {}, withEngine = true) {
  let [snapshot] = initialTransition(troubleshootMachine, withEngine ? { engine, ...input } : input);
  for (const e of events) [snapshot] = transition(troubleshootMachine, snapshot, e);
  return snapshot;
}

describe("troubleshoot machine", () => {
  it("starts on the first case, or the permalinked one; an unknown id falls back", () => {
    expect(run([]).context.caseId).toBe(LAB_CASES[0]!.id);
    expect(run([], { caseId: "host-typo" }).context.caseId).toBe("host-typo");
    expect(run([], { caseId: "nonsense" }).context.caseId).toBe(LAB_CASES[0]!.id);
  });

  it("runs a command into the transcript and announces it; the field clears", () => {
    const s = run([{ type: "TYPE", text: "kubectl get endpoints" }, { type: "RUN" }]);
    expect(s.context.transcript).toHaveLength(1);
    expect(s.context.transcript[0]!.output).toMatch(/web\s+<none>/);
    expect(s.context.input).toBe("");
    expect(s.context.announcement).toMatch(/Ran kubectl get endpoints/);
  });

  it("an unknown command leaves its message at the field and the lab working", () => {
    const s = run([{ type: "TYPE", text: "traceroute web" }, { type: "RUN" }, { type: "TYPE", text: "help" }, { type: "RUN" }]);
    expect(s.context.inputError).toBeNull();
    expect(s.context.transcript.map((t) => t.command)).toEqual(["help"]);
    const bad = run([{ type: "TYPE", text: "traceroute web" }, { type: "RUN" }]);
    expect(bad.context.inputError).toMatch(/command not found/);
    expect(bad.context.input).toBe("traceroute web");
  });

  it("history walks back and forward", () => {
    const s = run([{ type: "TYPE", text: "help" }, { type: "RUN" }, { type: "TYPE", text: "conntrack -L" }, { type: "RUN" }, { type: "HISTORY_UP" }, { type: "HISTORY_UP" }]);
    expect(s.context.input).toBe("help");
    expect(run([{ type: "TYPE", text: "help" }, { type: "RUN" }, { type: "HISTORY_UP" }, { type: "HISTORY_DOWN" }]).context.input).toBe("");
  });

  it("conntrack sees the connection the last curl made", () => {
    const s = run([{ type: "TYPE", text: "curl http://web/" }, { type: "RUN" }, { type: "TYPE", text: "conntrack -L" }, { type: "RUN" }], { caseId: "target-port" });
    expect(s.context.transcript[1]!.output).toMatch(/CLOSE src=10\.244\.1\.5 dst=10\.96\.0\.20/);
  });

  it("naming the fault: checking without a pick asks for one; each case's own fault is right", () => {
    expect(run([{ type: "CHECK" }]).context.verdict).toBeNull();
    for (const c of LAB_CASES) {
      const s = run([{ type: "CHOOSE_CASE", caseId: c.id }, { type: "PICK", choice: c.family }, { type: "CHECK" }]);
      expect(s.context.verdict?.correct, c.id).toBe(true);
      const wrong = run([{ type: "CHOOSE_CASE", caseId: c.id }, { type: "PICK", choice: "firewall" }, { type: "CHECK" }]);
      expect(wrong.context.verdict?.correct).toBe(false);
    }
  });

  it("without the engine, a command and a check wait for it, then run when it arrives", () => {
    const waiting = run([{ type: "TYPE", text: "kubectl get ep" }, { type: "RUN" }], {}, false);
    expect(waiting.context.transcript).toEqual([]);
    expect(waiting.context.announcement).toMatch(/Loading/);
    const [after] = transition(troubleshootMachine, waiting, { type: "ENGINE_READY", engine });
    expect(after.context.transcript[0]!.command).toBe("kubectl get ep");
    const check = run([{ type: "PICK", choice: "selector-mismatch" }, { type: "CHECK" }, { type: "ENGINE_READY", engine }], {}, false);
    expect(check.context.verdict?.correct).toBe(true);
  });

  it("choosing a case starts it afresh", () => {
    const s = run([{ type: "TYPE", text: "help" }, { type: "RUN" }, { type: "PICK", choice: "not-ready" }, { type: "CHOOSE_CASE", caseId: "not-ready" }]);
    expect(s.context.transcript).toEqual([]);
    expect(s.context.choice).toBeNull();
    expect(s.context.history).toEqual(["help"]);
  });
});
