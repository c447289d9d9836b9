import { createElement, Fragment, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ChainView } from "../../src/components/steplab/ChainView";
import { computeKubeTrace } from "../../src/components/steplab/kube-simulator";
import { traceForView, type LabView } from "../../src/components/steplab/lab-traces";
import { NatView } from "../../src/components/steplab/NatView";
import { OutcomeBanner } from "../../src/components/steplab/OutcomeBanner";
import { StepDetail } from "../../src/components/steplab/StepDetail";
import { StepList } from "../../src/components/steplab/StepList";
import { Stepper } from "../../src/components/steplab/Stepper";
import { positionsOf, type StepCursor } from "../../src/machines/step-lab.machine";
import type { Trace } from "../../src/sim/core/trace";
import { KUBE_SCENARIOS } from "../../src/sim/kube/index";

/**
 * The traces a lab page inlines are trimmed to what the lab's view shows (`traceForView`). These
 * tests draw everything a step lab draws from its trace — at every position of every preset's walk —
 * from the whole trace and from the trimmed one, and expect the same markup: if a view starts to
 * show something the trimming drops, they fail.
 */
const nothing = () => {};

function labMarkup(cursor: StepCursor, view: LabView): string {
  const body: ReactElement[] = [
    createElement(OutcomeBanner, { key: "outcome", trace: cursor.trace!, onGo: nothing }),
    createElement(Stepper, { key: "stepper", cursor, onFirst: nothing, onBack: nothing, onForward: nothing, onLast: nothing }),
    createElement(StepList, { key: "list", cursor, label: "Steps", listRef: null, onJump: nothing }),
    createElement(StepDetail, { key: "detail", cursor, labId: "lab" }),
    view === "nat"
      ? createElement(NatView, { key: "view", cursor, labId: "lab", labTitle: "Lab", onJump: nothing })
      : createElement(ChainView, { key: "view", cursor, labId: "lab", labTitle: "Lab", services: 1000, onServices: nothing, costs: false }),
  ];
  return renderToStaticMarkup(createElement(Fragment, null, ...body));
}

const LABS = KUBE_SCENARIOS.flatMap((scenario) =>
  Object.keys(scenario.presets).flatMap((preset) => (["nat", "chain"] as const).map((view) => [scenario.id, preset, view] as const)),
);

describe("traces trimmed for a lab's view", () => {
  it.each(LABS)("%s (%s) draws the same in the %s view", (scenarioId, preset, view) => {
    const whole: Trace = computeKubeTrace(scenarioId, preset, 0);
    const trimmed = traceForView(whole, view);
    for (const { stepId, sub } of positionsOf(whole)) {
      expect(labMarkup({ trace: trimmed, stepId, sub }, view), `${stepId}/${sub}`).toBe(labMarkup({ trace: whole, stepId, sub }, view));
    }
  });

  it("leaves out what the NAT view never draws", () => {
    const whole = computeKubeTrace("nodeport-from-outside", "other-node", 0);
    const nat = traceForView(whole, "nat");
    expect(nat.input).toBeNull();
    expect(nat.tables.map((t) => t.format)).toEqual(["conntrack -L", "conntrack -L"]);
    expect(traceForView(whole, "chain").tables).toEqual(whole.tables);
    expect(JSON.stringify(nat).length).toBeLessThan(JSON.stringify(whole).length * 0.7);
  });
});
