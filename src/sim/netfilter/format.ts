import type { WalkStep } from "./walk";

/**
 * One line per walk step, in the words and formats of the real tools: rules as iptables-save
 * prints them, chains as `iptables -t nat -L` names them.
 *
 * @example formatStep({ kind: "rule", table: "nat", chain: "KUBE-SERVICES", index: 3, line: 40, text: "-A KUBE-SERVICES …", matched: false, failed: "-d 172.30.0.42/32", depth: 1 })
 * // "  nat KUBE-SERVICES #3 (line 40): no match — -d 172.30.0.42/32"
 */
export function formatStep(step: WalkStep): string {
  switch (step.kind) {
    case "hook":
      return `${step.table} ${step.hook}`;
    case "skip":
      return `${step.table} ${step.hook}: skipped — ${step.reason}`;
    case "rule": {
      const indent = "  ".repeat(step.depth + 1);
      const extra = step.draw
        ? ` [random ${step.draw.value} ${step.draw.value < step.draw.threshold ? "<" : "≥"} ${step.draw.threshold} (p=${step.draw.probability})]`
        : step.recent
          ? ` [recent ${step.recent.list} ${step.recent.command} ${step.recent.address}: ${step.recent.hit ? "hit" : "miss"}]`
          : "";
      return `${indent}${step.table} ${step.chain} #${step.index} (line ${step.line}): ${step.matched ? "match" : `no match — ${step.failed}`}${extra}`;
    }
    case "jump":
      return `${"  ".repeat(step.depth)}→ ${step.goto ? "goto" : "jump to"} ${step.to}`;
    case "return":
      return `${"  ".repeat(step.depth + 1)}← ${step.implicit ? "end of" : "RETURN from"} ${step.from}, back to ${step.to}`;
    case "policy":
      return `  ${step.table} ${step.chain}: policy ${step.policy}`;
    case "target":
      return `  ${step.target}: ${step.detail}`;
    case "verdict":
      return `  ${step.verdict} (${step.table} ${step.chain} #${step.index})`;
    case "route":
      return step.device === null ? `route to ${step.destination}: none` : `route to ${step.destination}: dev ${step.device}${step.local ? " (local)" : ""}${step.source ? ` src ${step.source}` : ""}`;
    case "conntrack":
      return `conntrack: ${step.detail}`;
  }
}
