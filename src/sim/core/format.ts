import type { Trace, Unit } from "./trace";

/** A unit in one line: packets as a flow; other units by kind (each module may print its own). */
function unitText(unit: Unit | null): string {
  if (!unit) return "—";
  const u = unit as Unit & { protocol?: string; src?: string; srcPort?: number; dst?: string; dstPort?: number; mark?: string | null };
  if (u.src !== undefined && u.dst !== undefined) {
    // IPv6 in brackets, as Go's net.JoinHostPort writes it: fd00::1:80 could be read either way.
    const hostPort = (ip: string, port: number | undefined) => (ip.includes(":") ? `[${ip}]:${port}` : `${ip}:${port}`);
    return `${u.protocol} ${hostPort(u.src, u.srcPort)} → ${hostPort(u.dst, u.dstPort)}${u.mark ? ` mark ${u.mark}` : ""}`;
  }
  // A layered packet (outermost layer first): the outermost addresses, then the layer kinds.
  const layers = (unit as Unit & { layers?: readonly { kind: string; src?: string; dst?: string }[] }).layers;
  if (layers) {
    const outer = layers.find((l) => l.src !== undefined);
    return `${outer ? `${outer.src} → ${outer.dst} ` : ""}[${layers.map((l) => l.kind).join(" / ")}]`;
  }
  return unit.kind;
}

/**
 * A core trace for people, as the CLI prints it: stage by stage, each step with what came in, what
 * went out, its events, and (indented) the sub-steps that were taken.
 */
export function formatCoreTrace(trace: Trace): string {
  const lines: string[] = [`${trace.scenario} (seed ${trace.seed})`, ""];
  for (const stage of trace.stages) {
    const steps = trace.steps.filter((s) => s.stage === stage.id);
    if (steps.length === 0) continue;
    lines.push(`== ${stage.title}`);
    for (const step of steps) {
      lines.push(`[${step.id}] ${step.node.name}`);
      if (step.in) lines.push(`    in:  ${unitText(step.in)}`);
      if (step.out) lines.push(`    out: ${unitText(step.out)}`);
      for (const e of step.events) lines.push(`    • ${e.text}`);
      const taken = step.sub.filter((s) => s.taken && s.kind !== "hook" && s.kind !== "policy");
      for (const s of taken) lines.push(`      ${s.kind.padEnd(10)} ${s.label}`);
    }
    lines.push("");
  }
  lines.push(`outcome: ${trace.outcome.status} at ${trace.outcome.at} — ${trace.outcome.summary}`);
  return lines.join("\n");
}
