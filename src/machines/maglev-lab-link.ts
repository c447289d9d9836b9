// Types only: the machine hands its helpers in (`MaglevLabLinkTools`), so this module shares no code
// with the lab's first load and the machine stays in the island's own chunk.
import type { MaglevLabContext, MaglevLabErrorField, MaglevLabLinkState, MaglevLabLinkTools } from "./maglev-lab.machine";

/**
 * The Maglev lab's permalinks: reading a link's values into the lab (`LOAD_STATE` carries
 * `readMaglevLabLink`) and the values that reopen a state. A module of its own, so a page opened
 * without a link never loads it; the island fetches it when a link is read or the state first changes.
 */

const names = (text: string) => text.split(",").map((n) => n.trim()).filter((n) => n !== "").slice(0, 64);

/**
 * The lab opened from a link: each value checked on its own. A bad one leaves its part of the lab as it
 * was and puts the reason at its control; the others still apply. Never throws.
 */
export function readMaglevLabLink(context: MaglevLabContext, link: MaglevLabLinkState, tools: MaglevLabLinkTools): MaglevLabContext {
  const { describeChange, gfeName: GFE_NAME, liveGfes, maxGfes: MAGLEV_LAB_MAX_GFES, maxSize: MAGLEV_LAB_MAX_SIZE, storyFlows: MAGLEV_LAB_STORY_FLOWS, view: maglevLabView, sizeProblem } = tools;
  const errors: Partial<Record<MaglevLabErrorField, string>> = {};
  let { seed, gfes, previous, sizeText, size, storyFlow, storyStep } = context;

  if (link.seed != null) {
    const t = link.seed.trim();
    if (/^\d{1,10}$/.test(t) && Number(t) <= 0xffffffff) seed = Number(t);
    else errors.flow = `This link's flow seed "${link.seed.slice(0, 24)}" is not a whole number from 0 to 4294967295; the flows below are drawn with seed ${seed}.`;
  }

  if (link.gfes != null || link.removed != null || link.before != null) {
    const problem = (what: string) => `This link's GFE set could not be used (${what}); the lab shows its starting GFEs.`;
    const list = link.gfes != null ? names(link.gfes) : gfes.map((g) => g.name);
    const out = link.removed != null ? names(link.removed) : [];
    const bad = list.find((n) => !GFE_NAME.test(n));
    const unknown = [...out, ...(link.before != null ? names(link.before) : [])].find((n) => !list.includes(n));
    if (list.length === 0) errors.gfes = problem("it names no GFE");
    else if (bad !== undefined) errors.gfes = problem(`"${bad.slice(0, 24)}" is not a GFE name: lower-case letters, digits and hyphens`);
    else if (new Set(list).size !== list.length) errors.gfes = problem("a GFE is listed twice");
    else if (list.length > MAGLEV_LAB_MAX_GFES) errors.gfes = problem(`${list.length} GFEs; this lab holds up to ${MAGLEV_LAB_MAX_GFES}`);
    else if (unknown !== undefined) errors.gfes = problem(`"${unknown.slice(0, 24)}" is not in its list of GFEs`);
    else if (out.length >= list.length) errors.gfes = problem("every GFE is out of service; Maglev needs at least one");
    else if (link.before != null && names(link.before).length === 0) errors.gfes = problem("the set before the change is empty");
    else {
      gfes = list.map((name) => ({ name, live: !out.includes(name) }));
      // The set before the change, in list order, as the lab records it; absent: nothing changed.
      previous = link.before != null ? list.filter((n) => names(link.before!).includes(n)) : liveGfes(gfes);
    }
  }

  if (link.size != null) {
    const problem = sizeProblem(link.size, Math.max(liveGfes(gfes).length, previous.length));
    if (problem) {
      sizeText = link.size;
      errors.size = problem;
    } else {
      size = Number(link.size.trim());
      sizeText = String(size);
    }
  } else if (sizeProblem(String(size), Math.max(liveGfes(gfes).length, previous.length)) !== null) {
    // The link's GFEs need a larger table than the lab's starting one: grow it to the next usable prime.
    while (sizeProblem(String(size), Math.max(liveGfes(gfes).length, previous.length)) !== null && size < MAGLEV_LAB_MAX_SIZE) size++;
    sizeText = String(size);
  }

  if (link.flow != null) {
    const t = link.flow.trim();
    const n = Number(t);
    if (/^\d+$/.test(t) && n >= 1 && n <= MAGLEV_LAB_STORY_FLOWS) storyFlow = n - 1;
    else errors.flow = `This link's connection "${link.flow.slice(0, 24)}" is not one of F1 to F${MAGLEV_LAB_STORY_FLOWS}; the story follows F${storyFlow + 1}.`;
  }

  let next: MaglevLabContext = { ...context, seed, gfes, previous, sizeText, size, storyFlow, storyStep: 0, errors, nameText: "" };
  const steps = maglevLabView(next).story.steps;
  if (link.step != null) {
    const t = link.step.trim();
    const n = Number(t);
    const at = /^\d+$/.test(t) ? (n >= 1 && n <= steps.length ? n - 1 : -1) : steps.findIndex((s) => s.id === t);
    if (at >= 0) storyStep = at;
    else {
      storyStep = 0;
      errors.step = `This link's story step "${link.step.slice(0, 24)}" is not one of steps 1 to ${steps.length} (or a step's name: ${steps.map((s) => s.id).join(", ")}); the story starts at step 1.`;
    }
  } else storyStep = 0;
  next = { ...next, storyStep };
  const view = maglevLabView(next);
  const what = view.changed ? describeChange(next, "Opened from a link, compared with the GFEs before its change") : `Opened from a link: a table of ${view.size} slots over ${view.live.join(", ")}.`;
  const problems = Object.keys(errors).length;
  return { ...next, announcement: `${what}${problems ? ` ${problems} of the link's values could not be used; see the marked controls.` : ""}` };
}

/**
 * The link values that reopen this state; a value equal to the lab's start is left out (""), so a link
 * carries only what the learner changed. The step is a story step id (steps shift when a change adds some).
 */
export function maglevLabLinkParams(context: MaglevLabContext, storyStepId: string): { params: Record<string, string>; defaults: Record<string, string>; step: string | 0 } {
  const now = context.gfes.filter((g) => g.live).map((g) => g.name);
  return {
    params: {
      size: String(context.size),
      gfes: context.gfes.map((g) => g.name).join(","),
      removed: context.gfes.filter((g) => !g.live).map((g) => g.name).join(","),
      before: context.previous.join(",") === now.join(",") ? "" : context.previous.join(","),
      flow: String(context.storyFlow + 1),
      seed: String(context.seed),
    },
    defaults: { size: String(context.origin.size), gfes: context.origin.gfes.join(","), removed: "", before: "", flow: "1", seed: String(context.origin.seed) },
    step: context.storyStep === 0 ? 0 : storyStepId,
  };
}
