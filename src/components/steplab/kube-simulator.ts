import type { ComputeTrace } from "../../machines/step-lab.machine";
import type { PasteRules } from "../../machines/manifest-lab.machine";
import { kubeProxyPaste, modeCosts, runKubeScenario } from "../../sim/kube/index";

/**
 * The kube simulator as the in-cluster labs use it. Its traces already carry the packet after each
 * decision and the row each decision was made against (src/sim/kube/journey.ts).
 *
 * The simulator (YAML parser, kube-proxy's generators, the netfilter model) is most of a lab's weight,
 * so islands never import this module statically: the Astro wrappers (`KubeLab.astro`,
 * `KubeManifestLab.astro`) call it when the site is built, and an island loads it with
 * `loadKubeSimulator` only when the learner asks for something that was not computed then.
 */
export const computeKubeTrace: ComputeTrace = (scenarioId, input, seed) => runKubeScenario(scenarioId, input, seed);

export const pasteKubeManifest: PasteRules = (yamlText, packet, seed) => {
  const result = kubeProxyPaste(yamlText, packet, seed);
  return { rules: result.rules, trace: result.trace };
};

export { modeCosts };
