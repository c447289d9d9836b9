/**
 * A lab's state in the page URL: `?<lab>.<param>=value&<lab>.step=N#lab-<lab>`. Each lab on a page
 * owns the keys under its own prefix, so several labs can share one URL without clashing.
 */
export interface LabUrlState {
  readonly params: Record<string, string>;
  /** A step id (`request:gfe`), or — from links written before step ids — a 0-based hop index. */
  readonly step: number | string | null;
}

export function readLabState(search: string, labId: string): LabUrlState {
  const query = new URLSearchParams(search);
  const prefix = `${labId}.`;
  const params: Record<string, string> = {};
  let step: number | string | null = null;
  for (const [key, value] of query) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    if (name === "step") {
      const n = Number(value);
      if (/^\d+$/.test(value)) step = Number.isInteger(n) && n >= 1 ? n - 1 : 0;
      else step = value;
    } else params[name] = value;
  }
  return { params, step };
}

/**
 * The query string with this lab's keys replaced. Parameters equal to their defaults are left out,
 * so a link carries only what the learner changed. Steps are 1-based in URLs, as people count.
 */
export function writeLabState(
  search: string,
  labId: string,
  params: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
  step: number | string,
): string {
  const query = new URLSearchParams(search);
  for (const key of [...query.keys()]) if (key.startsWith(`${labId}.`)) query.delete(key);
  for (const [key, value] of Object.entries(params)) if (defaults[key] !== value) query.set(`${labId}.${key}`, value);
  if (typeof step === "string") query.set(`${labId}.step`, step);
  else if (step > 0) query.set(`${labId}.step`, String(step + 1));
  const text = query.toString();
  return text ? `?${text}` : "";
}

/**
 * A link to a lab at a given state, for graders and lessons to point into. `step` is a step id of
 * the scenario's core trace (`request:gfe`: `${direction}:${device.id}`); a number is the old 0-based
 * hop index, still read so old links work.
 */
export function labLink(
  path: string,
  labId: string,
  params: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
  step: number | string,
): string {
  return `${path}${writeLabState("", labId, params, defaults, step)}#lab-${labId}`;
}
