/**
 * A step lab's state in the page URL, under its own `labId.` keys so several labs share one address:
 * `?nat.preset=hairpin&nat.step=netfilter-request&nat.sub=4#lab-nat`. The step is its stable id (an
 * index would shift when a scenario gains a step); the sub-step is 1-based, as people count. A pasted
 * input travels as `labId.in`, versioned and compressed by `encodeLabInput`. `labId.seed` names the
 * seed the walk's draws (source port, endpoint) are made with, when it is not 0: a question's variant
 * links to the very trace it was read from.
 */
export interface StepLabUrlState {
  readonly preset: string | null;
  readonly input: string | null;
  readonly stepId: string | null;
  readonly sub: number | null;
  readonly services: number | null;
  /**
   * The seed as the link writes it, unchecked: the machine validates it (`LOAD_STATE`), so a bad one
   * gets a message at the lab like any other bad value. Null when absent or empty.
   */
  readonly seed: string | null;
}

export function readStepLabState(search: string, labId: string): StepLabUrlState {
  const query = new URLSearchParams(search);
  const get = (key: string) => query.get(`${labId}.${key}`);
  const whole = (text: string | null) => {
    const n = Number(text);
    return text !== null && Number.isInteger(n) && n >= 1 ? n : null;
  };
  const sub = whole(get("sub"));
  return {
    preset: get("preset"),
    input: get("in"),
    stepId: get("step"),
    sub: sub === null ? null : sub - 1,
    services: whole(get("services")),
    seed: get("seed")?.trim() || null,
  };
}

export function hasStepLabState(state: StepLabUrlState): boolean {
  return Object.values(state).some((v) => v !== null);
}

/** The query string with this lab's keys replaced; null values are left out. */
export function writeStepLabState(search: string, labId: string, state: StepLabUrlState): string {
  const query = new URLSearchParams(search);
  for (const key of [...query.keys()]) if (key.startsWith(`${labId}.`)) query.delete(key);
  const set = (key: string, value: string | number | null) => {
    if (value !== null) query.set(`${labId}.${key}`, String(value));
  };
  set("preset", state.preset);
  set("in", state.input);
  set("step", state.stepId);
  set("sub", state.sub === null ? null : state.sub + 1);
  set("services", state.services);
  set("seed", state.seed);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** Replaces the address without a history entry, only when it changed. */
export function replaceSearch(search: string): void {
  const { pathname, hash } = window.location;
  const next = `${pathname}${search}${hash}`;
  if (next !== `${pathname}${window.location.search}${hash}`) window.history.replaceState(window.history.state, "", next);
}

/**
 * Writes this lab's state into the address soon after the current event, not during it: the
 * browser's history update costs milliseconds a key press should spend drawing the next decision.
 * Returns a cancel function, so an effect that runs again before the write replaces it (only the
 * latest state is written). `state` is a thunk so costly encodings run off the event too.
 */
export function scheduleStepLabState(labId: string, state: () => StepLabUrlState): () => void {
  const timer = window.setTimeout(() => replaceSearch(writeStepLabState(window.location.search, labId, state())), 0);
  return () => window.clearTimeout(timer);
}
