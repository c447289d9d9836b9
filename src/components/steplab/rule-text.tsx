import type { ReactNode } from "react";
import type { SubStep } from "../../sim/core/trace";

/**
 * Reading aids for `iptables-save` lines. The text is never changed — a learner on a real node sees
 * the same line — only marked up: the chain a rule belongs to, its comment (muted), its target
 * (`-j …`) and, for a rule that did not match, the match that failed.
 */

/** The match a "not matched: -d 10.98.200.60/32 …" detail names, as the walk printed it. */
export function failedMatch(detail: string): string | null {
  const m = /^not matched:\s*(.+?)(?:\s+\(statistic:.*)?$/i.exec(detail.trim());
  return m ? m[1]!.trim() : null;
}

/** Where `spec` sits in `text`: as printed, or without the `/32` iptables-save adds, or its last option. */
function findSpec(text: string, spec: string): [number, number] | null {
  const tries = [spec, spec.replace(/\/(32|128)\b/g, ""), spec.replace(/^-m \S+ /, "")];
  for (const t of tries) {
    if (!t) continue;
    const at = text.indexOf(t);
    if (at >= 0) return [at, at + t.length];
  }
  return null;
}

type Mark = "chain" | "comment" | "target" | "failed" | "section";

/** Character ranges to mark in one iptables-save line. */
function marksOf(text: string, failed: string | null): (Mark | null)[] {
  const marks: (Mark | null)[] = new Array<Mark | null>(text.length).fill(null);
  const paint = (from: number, to: number, mark: Mark) => {
    for (let i = Math.max(0, from); i < Math.min(text.length, to); i++) marks[i] = mark;
  };
  if (/^\*\S+$/.test(text)) paint(0, text.length, "section");
  const chain = /^-[AI] (\S+)/.exec(text);
  if (chain) paint(3, 3 + chain[1]!.length, "chain");
  for (const m of text.matchAll(/-m comment --comment ("(?:[^"\\]|\\.)*"|\S+)/g)) paint(m.index!, m.index! + m[0].length, "comment");
  const target = /(?:^| )(-[jg] \S.*)$/.exec(text);
  if (target) paint(target.index + (target[0].startsWith(" ") ? 1 : 0), text.length, "target");
  if (failed) {
    const at = findSpec(text, failed);
    if (at) paint(at[0], at[1], "failed");
  }
  return marks;
}

/** One iptables-save line with its parts marked; `failed` is the match that did not hold. */
export function RuleText({ text, failed = null }: { text: string; failed?: string | null }): ReactNode {
  const marks = marksOf(text, failed);
  const parts: ReactNode[] = [];
  let from = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i < text.length && marks[i] === marks[from]) continue;
    const chunk = text.slice(from, i);
    const mark = marks[from];
    parts.push(
      mark === null ? chunk
        : mark === "failed" ? <mark key={from} className="rt-failed" title="This match failed">{chunk}</mark>
        : <span key={from} className={`rt-${mark}`}>{chunk}</span>,
    );
    from = i;
  }
  return <>{parts}</>;
}

const HASHED = /\b(KUBE-(?:SVC|SVL|SEP|EXT|FW|XLB))-([A-Z0-9]{16})\b/g;

/** KUBE-SVC-67NZLRHBNDSAWJRO → KUBE-SVC-67NZ…: enough to tell chains apart in a narrow list. */
export function shortChain(text: string): string {
  return text.replace(HASHED, (_, prefix: string, hash: string) => `${prefix}-${hash.slice(0, 4)}…`);
}

/**
 * A rule in a few words for the step list: its chain, the matches that decide (comments and the
 * `-m tcp` module loads left out), and where it sends the packet.
 *
 * @example shortRule('-A KUBE-SERVICES -m comment --comment "shop/web:http cluster IP" -m tcp -p tcp -d 10.96.120.15 --dport 80 -j KUBE-SVC-67NZLRHBNDSAWJRO')
 * // "KUBE-SERVICES: -p tcp -d 10.96.120.15 --dport 80 → KUBE-SVC-67NZ…"
 */
export function shortRule(text: string): string {
  const m = /^-[AI] (\S+)\s*(.*?)(?:\s*-([jg]) (.*))?$/.exec(text.trim());
  if (!m) return shortChain(text);
  const matches = m[2]!
    .replace(/-m comment --comment ("(?:[^"\\]|\\.)*"|\S+)/g, "")
    .replace(/-m (?:tcp|udp|sctp)\b/g, "")
    .replace(/-m statistic --mode random /g, "")
    .replace(/-m nfacct --nfacct-name \S+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  const target = m[4] ? `${m[3] === "g" ? "goto " : ""}${m[4]}` : "";
  return shortChain(`${m[1]}: ${matches || "every packet"}${target ? ` → ${target}` : ""}`);
}

const RULE_KINDS = new Set(["rule", "draw"]);

/** Whether a sub-step is a rule being tried (it matched or not), rather than a consequence of one. */
export const isRuleTried = (sub: SubStep) => RULE_KINDS.has(sub.kind);

/** The words the step list shows for a decision. */
export function subStepSummary(sub: SubStep): string {
  if (isRuleTried(sub) && /^-[AI] /.test(sub.label)) return shortRule(sub.label);
  // A target's label is only its name ("DNAT", "MASQUERADE"); what it did is in the detail.
  if (["dnat", "snat", "masquerade", "mark", "target"].includes(sub.kind) && sub.detail && sub.label.length < 12) {
    return shortChain(`${sub.label}: ${sub.detail.trim()}`);
  }
  return shortChain(sub.label);
}
