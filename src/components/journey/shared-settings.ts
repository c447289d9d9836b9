import { useEffect } from "react";

/**
 * The lesson's scenario: the settings every journey lab on a page shares, unless a lab says otherwise
 * (`shared={false}`). Change the city in one lab and the others follow, so a learner reading leg 3
 * after choosing Tokyo in leg 1 still sees Tokyo.
 *
 * Islands of one component share this module (an ES module is evaluated once per page), so a lab that
 * hydrates late — labs hydrate as they scroll into view — reads what earlier labs settled.
 * The shared settings live in the address as `?scenario.<key>=value`, once for the page.
 */

type Settings = Readonly<Record<string, string>>;
type Listener = (settings: Settings, from: string) => void;

const settingsByScenario = new Map<string, Settings>();
const listeners = new Map<string, Set<Listener>>();

/** The page's shared settings for a scenario (only those that differ from its defaults). */
export function sharedSettings(scenarioId: string): Settings {
  return settingsByScenario.get(scenarioId) ?? {};
}

/** Sets shared settings and tells every other lab of the scenario (not `from`, which already has them). */
export function shareSettings(scenarioId: string, from: string, changes: Settings, defaults: Settings): void {
  const next: Record<string, string> = { ...sharedSettings(scenarioId) };
  for (const [key, value] of Object.entries(changes)) {
    if (defaults[key] === value) delete next[key];
    else next[key] = value;
  }
  settingsByScenario.set(scenarioId, next);
  for (const listener of listeners.get(scenarioId) ?? []) listener(next, from);
}

/** Calls `onChange` whenever another lab changes the scenario's shared settings. */
export function useSharedSettings(scenarioId: string, labId: string, enabled: boolean, onChange: (settings: Settings) => void): void {
  useEffect(() => {
    if (!enabled) return;
    const listener: Listener = (settings, from) => {
      if (from !== labId) onChange(settings);
    };
    const set = listeners.get(scenarioId) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(scenarioId, set);
    return () => {
      set.delete(listener);
    };
    // onChange sends events to this lab's machine; it is read when a change arrives.
  }, [scenarioId, labId, enabled]);
}

const PREFIX = "scenario.";

/** The shared settings a URL carries (`?scenario.city=tokyo`). */
export function readSharedSettings(search: string): Settings {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) if (key.startsWith(PREFIX)) out[key.slice(PREFIX.length)] = value;
  return out;
}

/** The query string with the shared settings replaced. */
export function writeSharedSettings(search: string, settings: Settings): string {
  const query = new URLSearchParams(search);
  for (const key of [...query.keys()]) if (key.startsWith(PREFIX)) query.delete(key);
  for (const [key, value] of Object.entries(settings)) query.set(`${PREFIX}${key}`, value);
  const text = query.toString();
  return text ? `?${text}` : "";
}
