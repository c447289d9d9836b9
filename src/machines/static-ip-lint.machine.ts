import { assign, setup } from "xstate";
import type { FieldError, StaticIpInput, StaticIpLint } from "../sim/edge/static-ip";

/**
 * The static-IP linter lab: two texts (the Ingress YAML, the Terraform) and the findings. Each text
 * keeps its own errors; findings come from the last version of each text that could be read, so a
 * half-typed line never wipes out what the other text still shows.
 *
 * The presets arrive with their findings computed when the site was built, so the lab opens, and
 * switches between presets, without the linter (which brings a YAML parser). An edit, or a link
 * with texts of its own, waits (`waiting`) until the component has loaded the linter and sent it
 * here (`LINTER_LOADED`); a failed load is said at the lab, and the next edit asks again.
 */
export type StaticIpField = "ingress" | "terraform";

/** A preset with its findings, as the page's build computed them. */
export interface StaticIpLabPreset {
  readonly id: string;
  readonly label: string;
  readonly summary: string;
  readonly input: StaticIpInput;
  readonly lint: StaticIpLint;
}

export type StaticIpLinter = (input: StaticIpInput) => StaticIpLint;

export interface StaticIpLintContext {
  readonly presets: readonly StaticIpLabPreset[];
  readonly texts: Readonly<Record<StaticIpField, string>>;
  /** The last texts that read without errors, the findings' basis. */
  readonly good: Readonly<Record<StaticIpField, string>>;
  readonly errors: Readonly<Record<StaticIpField, readonly FieldError[]>>;
  readonly lint: StaticIpLint;
  /** The preset the texts came from, or null once edited. */
  readonly preset: string | null;
  readonly linter: StaticIpLinter | null;
  /** Texts are waiting for the linter to be loaded. */
  readonly waiting: boolean;
  /** Why the linter could not be loaded, until the next attempt. */
  readonly loadError: string | null;
}

export type StaticIpLintEvent =
  | { type: "EDIT"; field: StaticIpField; text: string }
  | { type: "LOAD_PRESET"; id: string }
  /** Both texts at once, from a link (`?static-ip.in=…`): a question's exact variant. */
  | { type: "LOAD_TEXTS"; ingress: string; terraform: string }
  | { type: "LINTER_LOADED"; linter: StaticIpLinter }
  | { type: "LINTER_FAILED"; message: string };

export interface StaticIpLintInput {
  readonly presets: readonly StaticIpLabPreset[];
  readonly preset?: string;
}

type Evaluated = Pick<StaticIpLintContext, "texts" | "good" | "errors" | "lint" | "waiting">;

function evaluate(linter: StaticIpLinter, texts: Record<StaticIpField, string>, good: Record<StaticIpField, string>): Evaluated {
  // Read the texts as they stand first: each text's errors are that field's, whatever the other holds.
  const own = linter({ ingressYaml: texts.ingress, terraform: texts.terraform });
  const errors = { ingress: own.errors.ingress, terraform: own.errors.terraform };
  const nextGood = {
    ingress: errors.ingress.length === 0 ? texts.ingress : good.ingress,
    terraform: errors.terraform.length === 0 ? texts.terraform : good.terraform,
  };
  const lint = errors.ingress.length === 0 && errors.terraform.length === 0 ? own : linter({ ingressYaml: nextGood.ingress, terraform: nextGood.terraform });
  return { texts, good: nextGood, errors, lint, waiting: false };
}

function presetState(presets: readonly StaticIpLabPreset[], id: string | undefined) {
  const p = presets.find((x) => x.id === id) ?? presets[0];
  if (!p) throw new Error("the static-IP lab needs at least one preset");
  const texts = { ingress: p.input.ingressYaml, terraform: p.input.terraform };
  return { texts, good: texts, errors: { ingress: p.lint.errors.ingress, terraform: p.lint.errors.terraform }, lint: p.lint, preset: p.id, waiting: false };
}

/** The preset whose texts these are, if any (a link to a preset's texts shows it as chosen). */
const presetOf = (presets: readonly StaticIpLabPreset[], texts: Record<StaticIpField, string>) =>
  presets.find((p) => p.input.ingressYaml === texts.ingress && p.input.terraform === texts.terraform)?.id ?? null;

export const staticIpLintMachine = setup({
  types: {
    context: {} as StaticIpLintContext,
    events: {} as StaticIpLintEvent,
    input: {} as StaticIpLintInput,
  },
  actions: {
    edit: assign(({ context, event }) => {
      if (event.type !== "EDIT") return {};
      const texts = { ...context.texts, [event.field]: event.text };
      return context.linter ? { ...evaluate(context.linter, texts, { ...context.good }), preset: null } : { texts, preset: null, waiting: true };
    }),
    loadPreset: assign(({ context, event }) => (event.type === "LOAD_PRESET" ? presetState(context.presets, event.id) : {})),
    loadTexts: assign(({ context, event }) => {
      if (event.type !== "LOAD_TEXTS") return {};
      const texts = { ingress: event.ingress, terraform: event.terraform };
      const preset = presetOf(context.presets, texts);
      if (preset) return presetState(context.presets, preset);
      return context.linter ? { ...evaluate(context.linter, texts, { ...context.good }), preset: null } : { texts, preset: null, waiting: true };
    }),
    linterLoaded: assign(({ context, event }) => {
      if (event.type !== "LINTER_LOADED") return {};
      return context.waiting
        ? { linter: event.linter, loadError: null, ...evaluate(event.linter, { ...context.texts }, { ...context.good }) }
        : { linter: event.linter, loadError: null };
    }),
    linterFailed: assign(({ event }) => (event.type === "LINTER_FAILED" ? { loadError: event.message, waiting: false } : {})),
  },
}).createMachine({
  id: "staticIpLint",
  context: ({ input }) => ({ presets: input.presets, ...presetState(input.presets, input.preset), linter: null, loadError: null }),
  on: {
    EDIT: { actions: "edit" },
    LOAD_PRESET: { actions: "loadPreset" },
    LOAD_TEXTS: { actions: "loadTexts" },
    LINTER_LOADED: { actions: "linterLoaded" },
    LINTER_FAILED: { actions: "linterFailed" },
  },
});
