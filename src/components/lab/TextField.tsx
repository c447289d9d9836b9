/**
 * A lab's labelled one-line text field with its message at the field: `aria-invalid` and `aria-describedby`
 * pointing at the visible error text while the value cannot be used, nothing extra while it can.
 */
export interface TextFieldProps {
  /** The input's id; the error's id is `<id>-error`. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly hint?: string;
  readonly error?: string | null;
  /** Whole numbers only: a numeric keyboard on phones. */
  readonly numeric?: boolean;
  readonly onChange: (text: string) => void;
}

export function TextField({ id, label, value, hint, error, numeric = false, onChange }: TextFieldProps) {
  return (
    <label htmlFor={id}>
      {label}
      <input
        id={id}
        type="text"
        inputMode={numeric ? "numeric" : undefined}
        spellCheck={false}
        autoComplete="off"
        value={value}
        placeholder={hint}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && <span className="error" id={`${id}-error`}>{error}</span>}
    </label>
  );
}
