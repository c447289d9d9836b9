import { DEFAULT_ANNOUNCEMENTS, DEFAULT_TOPOLOGY } from "./default-topology";
import { simulate } from "./engine";
import { compileTopology } from "./topology";

/**
 * For `npm run bench`: how long one prefix takes to propagate to convergence over the default
 * internet (58 routers, every session), and one full decision with its steps. `now` is the caller's
 * clock (performance.now), so this module stays free of timers. Target: well under 1 ms a prefix.
 */
export function benchBgp(now: () => number, rounds = 200): { msPerPrefix: number; updatesPerPrefix: number; usPerDecision: number } {
  const compiled = compileTopology(DEFAULT_TOPOLOGY);
  for (let i = 0; i < 20; i++) simulate(compiled, DEFAULT_ANNOUNCEMENTS);
  let updates = 0;
  const t0 = now();
  for (let i = 0; i < rounds; i++) updates = simulate(compiled, DEFAULT_ANNOUNCEMENTS).updates;
  const t1 = now();
  const net = simulate(compiled, DEFAULT_ANNOUNCEMENTS);
  const t2 = now();
  for (let i = 0; i < rounds; i++) net.decision("3356@madrid", DEFAULT_ANNOUNCEMENTS[0]!.prefix);
  const t3 = now();
  const prefixes = DEFAULT_ANNOUNCEMENTS.length;
  return { msPerPrefix: (t1 - t0) / rounds / prefixes, updatesPerPrefix: updates / prefixes, usPerDecision: ((t3 - t2) / rounds) * 1000 };
}
