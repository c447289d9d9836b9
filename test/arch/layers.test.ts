import { describe, expect, it } from "vitest";
import { checkLayers, projectSources } from "../../scripts/layers";

describe("the layering rule", () => {
  it("holds for the whole source tree", () => {
    expect(checkLayers(projectSources()).map((v) => `${v.path}:${v.line} ${v.specifier}: ${v.reason}`)).toEqual([]);
  });

  it.each([
    ["src/sim/kube/x.ts", 'import { useState } from "react";', /may not import the package "react"/],
    ["src/sim/x.ts", 'import { setup } from "xstate";', /may not import the package "xstate"/],
    ["src/sim/x.ts", 'import { readFileSync } from "node:fs";', /no node:fs/],
    ["src/sim/x.ts", 'import { m } from "../machines/trace-lab.machine";', /may not import src\/machines/],
    ["src/machines/x.machine.ts", 'import { grade } from "../quiz/grade";', /may not import src\/quiz/],
    ["src/quiz/x.ts", 'import { m } from "../machines/trace-lab.machine";', /imports only src\/sim/],
    ["src/quiz/x.ts", 'export { Lab } from "../components/lab/TraceLab";', /may not import src\/components/],
    ["src/sim/core/x.ts", 'import type { Service } from "../kube/model";', /core imports no system module/],
    ["src/sim/x.ts", "const w = window.innerWidth;", /no browser globals/],
    ["src/machines/x.ts", 'const m = await import("react-dom");', /may not import the package "react-dom"/],
  ])("catches %s: %s", (path, text, reason) => {
    const found = checkLayers([{ path, text }]);
    expect(found).toHaveLength(1);
    expect(found[0]!.reason).toMatch(reason);
  });

  it("allows each layer what it may use", () => {
    expect(
      checkLayers([
        { path: "src/sim/kube/x.ts", text: 'import { parse } from "yaml";\nimport { sha256 } from "@noble/hashes/sha2.js";\nimport type { Trace } from "../core/trace";' },
        { path: "src/sim/core/x.ts", text: 'import { InputError } from "../net/errors";' },
        { path: "src/machines/x.machine.ts", text: 'import { setup } from "xstate";\nimport { computeTrace } from "../sim/index";' },
        { path: "src/components/X.tsx", text: 'import { useMachine } from "@xstate/react";\nimport { grade } from "../quiz/grade";' },
      ]),
    ).toEqual([]);
  });
});
