import type { AnswerOf, FieldSpec, NumericUnit } from "../../../quiz/engine/types";

/** What the grader found malformed, shown at the field it names. */
export interface FieldProblem {
  readonly part: string | null;
  readonly message: string;
}

interface FieldsProps {
  readonly idBase: string;
  readonly fields: readonly FieldSpec[];
  readonly answer: AnswerOf["fill-in"] | null;
  readonly onAnswer: (answer: AnswerOf["fill-in"]) => void;
  readonly problem: FieldProblem | null;
  readonly locked: boolean;
}

const errorId = (idBase: string, field: string) => `${idBase}-field-${field}-error`;

/**
 * Labelled text fields (fill-in, and the header a packet carries after a hop). A field the grader
 * could not read is marked invalid, with its message right under it and tied to it by
 * `aria-describedby`, so a screen reader reads the message with the field.
 */
export function FieldsAnswer({ idBase, fields, answer, onAnswer, problem, locked }: FieldsProps) {
  const values = answer?.fields ?? {};
  return (
    <div className="fields">
      {fields.map((f) => {
        const id = `${idBase}-field-${f.id}`;
        const bad = problem?.part === f.id;
        return (
          <div key={f.id} className="field">
            <label htmlFor={id}>{f.label}</label>
            <input
              id={id}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={values[f.id] ?? ""}
              placeholder={f.placeholder ? `e.g. ${f.placeholder}` : undefined}
              readOnly={locked}
              aria-invalid={bad || undefined}
              aria-describedby={bad ? errorId(idBase, f.id) : undefined}
              onChange={(e) => onAnswer({ fields: { ...values, [f.id]: e.currentTarget.value } })}
            />
            {bad && (
              <p className="field-error" id={errorId(idBase, f.id)}>
                {problem.message}
              </p>
            )}
          </div>
        );
      })}
    </div>
  );
}

const UNIT_LABELS: Readonly<Record<NumericUnit, string>> = {
  ms: "ms",
  us: "µs",
  s: "s",
  bytes: "bytes",
  count: "",
  addresses: "addresses",
  probability: "(0 to 1)",
  percent: "%",
  km: "km",
};

interface NumericProps {
  readonly idBase: string;
  readonly label: string;
  readonly unit: NumericUnit;
  readonly answer: AnswerOf["numeric"] | null;
  readonly onAnswer: (answer: AnswerOf["numeric"]) => void;
  readonly problem: FieldProblem | null;
  readonly locked: boolean;
}

/**
 * A number with its unit beside the field. Text, not `type="number"`: a learner may type the unit
 * ("36 ms", "0.036 s") and the grader converts it.
 */
export function NumericAnswer({ idBase, label, unit, answer, onAnswer, problem, locked }: NumericProps) {
  const id = `${idBase}-value`;
  const bad = problem !== null;
  const unitLabel = UNIT_LABELS[unit];
  return (
    <div className="fields">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <span className="with-unit">
          <input
            id={id}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={answer === null ? "" : String(answer.value)}
            readOnly={locked}
            aria-invalid={bad || undefined}
            aria-describedby={[unitLabel ? `${id}-unit` : "", bad ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
            onChange={(e) => onAnswer({ value: e.currentTarget.value })}
          />
          {unitLabel && (
            <span className="unit" id={`${id}-unit`}>
              {unitLabel}
            </span>
          )}
        </span>
        {bad && (
          <p className="field-error" id={`${id}-error`}>
            {problem.message}
          </p>
        )}
      </div>
    </div>
  );
}
