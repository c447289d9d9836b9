import type { AnswerOf, Choice } from "../../../quiz/engine/types";

interface SingleProps {
  readonly idBase: string;
  readonly legend: string;
  readonly options: readonly Choice[];
  readonly answer: AnswerOf["single-choice"] | null;
  readonly onAnswer: (answer: AnswerOf["single-choice"]) => void;
  readonly locked: boolean;
}

/** One answer from several: a radio group (the arrow keys move between options, as in any form). */
export function SingleChoice({ idBase, legend, options, answer, onAnswer, locked }: SingleProps) {
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.id} className="choice">
          <input type="radio" name={`${idBase}-choice`} value={o.id} checked={answer?.choice === o.id} disabled={locked} onChange={() => onAnswer({ choice: o.id })} />
          <span>{o.text}</span>
        </label>
      ))}
    </fieldset>
  );
}

interface MultipleProps {
  readonly idBase: string;
  readonly options: readonly Choice[];
  readonly answer: AnswerOf["multiple-choice"] | null;
  readonly onAnswer: (answer: AnswerOf["multiple-choice"]) => void;
  readonly locked: boolean;
}

/** Every answer that applies: checkboxes, kept in the options' order. */
export function MultipleChoice({ idBase, options, answer, onAnswer, locked }: MultipleProps) {
  const chosen = new Set(answer?.choices ?? []);
  const toggle = (id: string) => {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onAnswer({ choices: options.map((o) => o.id).filter((x) => next.has(x)) });
  };
  return (
    <fieldset className="choices">
      <legend>Choose every answer that applies</legend>
      {options.map((o) => (
        <label key={o.id} className="choice">
          <input type="checkbox" name={`${idBase}-choices`} value={o.id} checked={chosen.has(o.id)} disabled={locked} onChange={() => toggle(o.id)} />
          <span>{o.text}</span>
        </label>
      ))}
    </fieldset>
  );
}
