import { initialTransition, transition } from "xstate";
import { describe, expect, it } from "vitest";
import { EXAMPLE_MANIFEST, manifestLabWith, type ManifestLabEvent } from "../../src/machines/manifest-lab.machine";
import { highlightedRow } from "../../src/machines/step-lab.machine";
import { kubeProxyPaste } from "../../src/sim/kube/index";

/** The paste lab as the lesson runs it: the real rule generator and walk. */
const machine = manifestLabWith((yamlText, packet, seed) => kubeProxyPaste(yamlText, packet, seed));
const start = () => initialTransition(machine, {})[0];
const run = (s: ReturnType<typeof start>, ...events: ManifestLabEvent[]) => {
  for (const event of events) [s] = transition(machine, s, event);
  return s;
};

describe("manifest lab on the real rule generator", () => {
  it("opens on the example with its rules and a delivered walk", () => {
    const s = start();
    expect(s.context.errors).toEqual({});
    expect(s.context.rules).toMatch(/^-A KUBE-SERVICES .*-d 10\.96\.0\.15\b.*--dport 80 /m);
    expect(s.context.trace!.outcome.status).toBe("delivered");
  });

  it("draws either endpoint, and follows the packet to the other node when it is chosen", () => {
    const servers = new Set<string>();
    for (let seed = 0; seed < 8; seed++) {
      const s = run(start(), { type: "EDIT", field: "seed", value: String(seed) });
      expect(s.context.errors).toEqual({});
      const server = s.context.trace!.steps.find((x) => x.id === "server")!;
      servers.add(server.node.name);
      if (server.node.name.includes("10.4.2.4")) expect(s.context.trace!.steps.some((x) => x.id === "netfilter-node-b")).toBe(true);
    }
    expect([...servers].sort()).toEqual(["Endpoint 10.4.1.9", "Endpoint 10.4.2.4"]);
  });

  it("walks the rules row by row", () => {
    const s = run(start(), { type: "JUMP_TO_STEP", stepId: "netfilter-node-a" }, { type: "JUMP_TO_SUB", sub: 6 });
    expect(highlightedRow(s.context)!.table.id).toBe("iptables@node-a");
  });

  it("locates a YAML syntax error at its line and keeps the last good rules", () => {
    const good = start();
    const s = run(good, { type: "EDIT", field: "yaml", value: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [unclosed\n" });
    // The syntax error at its line (with the missing Node reported too: the fragment has none).
    expect(s.context.errors.yaml!.find((p) => /syntax/i.test(p.message))!.line).toBeGreaterThanOrEqual(6);
    expect(s.context.rules).toBe(good.context.rules);
    expect(s.context.stale).toBe(true);
  });

  it("says a Node is needed when the manifest has none", () => {
    const noNodes = EXAMPLE_MANIFEST.split("---\n").filter((doc) => !/kind: (Node|KubeProxyConfiguration)\n/.test(doc)).join("---\n");
    const s = run(start(), { type: "EDIT", field: "yaml", value: noNodes });
    expect(s.context.errors.yaml![0]!.message).toMatch(/a Node is needed/);
  });
});
