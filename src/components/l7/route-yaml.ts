/** The route matcher's YAML reader, loaded on the first edit of the YAML (it brings the manifest loader and the YAML parser). */
import { loadL7 } from "../../sim/kube/l7/load";
import type { L7Parser } from "../../machines/route-matcher.machine";

export const parseL7: L7Parser = (text) => loadL7([{ name: "pasted.yaml", text }]);
