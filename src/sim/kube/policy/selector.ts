/**
 * Label selectors as apimachinery's `labels.Selector` evaluates them: matchLabels pairs and
 * matchExpressions ANDed, NotIn and DoesNotExist true when the key is absent.
 */
import type { LabelSelector } from "./types";

export const everything: LabelSelector = { matchLabels: {}, matchExpressions: [] };

export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) if (labels[key] !== value) return false;
  for (const requirement of selector.matchExpressions) {
    const has = Object.hasOwn(labels, requirement.key);
    const value = labels[requirement.key];
    switch (requirement.operator) {
      case "In": if (!has || !requirement.values.includes(value!)) return false; break;
      case "NotIn": if (has && requirement.values.includes(value!)) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** kubectl describe's selector text: `app=web,tier in (a,b)`; `<none>` for `{}` (every Pod). */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions) {
    if (r.operator === "In") parts.push(`${r.key} in (${r.values.join(",")})`);
    else if (r.operator === "NotIn") parts.push(`${r.key} notin (${r.values.join(",")})`);
    else if (r.operator === "Exists") parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.length === 0 ? "<none>" : parts.join(",");
}
