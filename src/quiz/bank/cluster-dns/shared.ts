/**
 * What the cluster-dns questions share: the lesson, the resolver stepper's link (it reads `resolver.ns`,
 * `.policy`, `.server`, `.name`, `.ndots` and `.hostnet` from the URL), and the names and Pods a variant
 * draws, all resolved against the example cluster of src/sim/kube/dns/example.ts.
 */
import type { AnswerOf, LabLink, MisconceptionAnswer, QuestionKind } from "../../engine/types";
import { misconceptionAnswers } from "../journey/shared";

/**
 * The wrong models' answers that differ from the key, each kept only when no earlier model gives the same
 * answer (two models can agree on a variant; the grader names the first that matches).
 */
export function distinctMisconceptions<K extends QuestionKind>(models: readonly string[], answerUnder: (model: string) => AnswerOf[K] | null, key: AnswerOf[K]): MisconceptionAnswer<K>[] {
  const out: MisconceptionAnswer<K>[] = [];
  for (const m of misconceptionAnswers<K>(models, answerUnder, key)) {
    if (!out.some((o) => JSON.stringify(o.answer) === JSON.stringify(m.answer))) out.push(m);
  }
  return out;
}

export const LESSON = "cluster-dns";
export const LESSON_PAGE = "/lessons/cluster-dns/";
export const LAB_ID = "resolver";

/** A link that opens the stepper on this Pod and name. */
export function resolverLink(query: { ns: string; name: string; ndots?: number; policy?: string; server?: string; hostnet?: boolean }): LabLink {
  const q: Record<string, string> = { [`${LAB_ID}.ns`]: query.ns, [`${LAB_ID}.name`]: query.name };
  if (query.ndots !== undefined) q[`${LAB_ID}.ndots`] = String(query.ndots);
  if (query.policy !== undefined) q[`${LAB_ID}.policy`] = query.policy;
  if (query.server !== undefined) q[`${LAB_ID}.server`] = query.server;
  if (query.hostnet) q[`${LAB_ID}.hostnet`] = "true";
  return { page: LESSON_PAGE, lab: LAB_ID, query: q };
}

/** Names a Pod looks up: cluster names written short or partly qualified, and outside names. */
export const NAMES = ["web", "web.shop", "db.shop", "db-0.db.shop", "kubernetes.default", "payments.shop", "www.example.com", "api.example.com", "example.com", "web.shop.svc", "nope"] as const;
export const NAMESPACES = ["shop", "default", "kube-system"] as const;
