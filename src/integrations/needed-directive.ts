/**
 * `client:needed` — an Astro client directive for an island whose page works without it until the
 * learner needs it. The island hydrates:
 * - at once, when the address carries one of `params` (the practice page's `?q=` and `?deck=` open a
 *   question, which only the island can show), or when this browser holds `storageKey` (saved progress
 *   to write into the page) or cannot say whether it does (storage refused: the island explains);
 * - otherwise when an element matching `visible` comes within `rootMargin` of the viewport (the parts
 *   that need script), or focus enters the island.
 * Before hydrating at once for saved progress it marks the island `data-saved`, so the page can show
 * "reading…" rather than what it says to a first-time visitor.
 *
 * The practice page's static deck list is its whole first screen: hydrating the island there costs a
 * long task (React walking the page) on a load that needs none.
 */
import type { ClientDirective } from "astro";

export interface NeededOptions {
  readonly params?: readonly string[];
  readonly storageKey?: string;
  readonly visible?: string;
  readonly rootMargin?: string;
}

const neededDirective: ClientDirective = (load, options, el) => {
  const value = (typeof options.value === "object" && options.value !== null ? options.value : {}) as NeededOptions;
  let started = false;
  let observer: IntersectionObserver | null = null;
  const start = async () => {
    if (started) return;
    started = true;
    observer?.disconnect();
    el.removeEventListener("focusin", start);
    const hydrate = await load();
    await hydrate();
  };

  const search = new URLSearchParams(location.search);
  let saved: boolean;
  try {
    saved = value.storageKey !== undefined && localStorage.getItem(value.storageKey) !== null;
  } catch {
    saved = true;
  }
  if (saved) el.setAttribute("data-saved", "");
  if (saved || (value.params ?? []).some((p) => search.has(p))) {
    void start();
    return;
  }
  el.addEventListener("focusin", start);
  const targets = value.visible ? [...el.querySelectorAll(value.visible)] : [...el.children];
  observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) void start();
  }, value.rootMargin ? { rootMargin: value.rootMargin } : {});
  for (const target of targets) observer.observe(target);
};

export default neededDirective;

declare global {
  namespace Astro {
    interface ClientDirectives {
      "client:needed"?: NeededOptions;
    }
  }
}
