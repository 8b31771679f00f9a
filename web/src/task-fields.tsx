import type { Ref } from 'preact';
import type { Task } from './task-api.js';
import { type Draft, FIELD_ORDER, type FieldErrors, FORM_FIELDS, type FormField } from './task-form.js';

interface FieldProps {
  /** Makes the ids unique when several forms are on the page. */
  readonly idPrefix: string;
  readonly field: FormField;
  readonly draft: Draft;
  readonly errors: FieldErrors;
  readonly onChange: (draft: Draft) => void;
  readonly inputRef?: Ref<HTMLInputElement>;
  /** Shows the label to screen readers only (the quick add's title, whose placeholder says what it is). */
  readonly quietLabel?: boolean;
  readonly placeholder?: string;
}

/** A select's options, each value with its label, in the record's order. */
export function Options({ labels }: { readonly labels: Readonly<Record<string, string>> }) {
  return (
    <>
      {Object.entries(labels).map(([value, text]) => (
        <option key={value} value={value}>
          {text}
        </option>
      ))}
    </>
  );
}

/** One field as FORM_FIELDS describes it, with its error right beside it (aria-invalid, aria-describedby). */
export function TaskField(props: FieldProps) {
  const { idPrefix, field, draft, errors, onChange } = props;
  const { label, control } = FORM_FIELDS[field];
  const id = `${idPrefix}-${field}`;
  const error = errors[field];
  const hint = control.kind === 'tags' ? control.hint : undefined;
  const describedBy = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ');
  const common = {
    id,
    name: field,
    value: draft[field],
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy || undefined,
    onInput: (e: { currentTarget: { value: string } }) =>
      onChange({ ...draft, [field]: e.currentTarget.value }),
  };
  return (
    <div class={`field field-${field}`}>
      <label for={id} class={props.quietLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      {control.kind === 'textarea' ? (
        <textarea {...common} rows={2} maxLength={control.maxLength} />
      ) : control.kind === 'select' ? (
        <select {...common}>
          <Options labels={control.options} />
        </select>
      ) : control.kind === 'date' ? (
        <input {...common} type="date" />
      ) : (
        <input
          {...common}
          ref={props.inputRef}
          type="text"
          autocomplete="off"
          placeholder={props.placeholder}
          required={field === 'title'}
          maxLength={control.maxLength}
        />
      )}
      {error && (
        <span id={`${id}-error`} class="field-error">
          {error}
        </span>
      )}
      {hint && (
        <span id={`${id}-hint`} class="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

interface FieldsProps extends Omit<FieldProps, 'field' | 'inputRef' | 'quietLabel' | 'placeholder'> {
  readonly fields: readonly FormField[];
}

export function TaskFields({ fields, ...props }: FieldsProps) {
  return (
    <div class="fields">
      {fields.map((field) => (
        <TaskField key={field} field={field} {...props} />
      ))}
    </div>
  );
}

interface EditorProps {
  readonly task: Task;
  readonly draft: Draft;
  readonly errors: FieldErrors;
  readonly onChange: (draft: Draft) => void;
  readonly onSubmit: (event: Event) => void;
  /** Escape or Cancel. */
  readonly onClose: () => void;
}

/** A card's inline editor: every field, Save and Cancel. */
export function TaskEditor({ task, draft, errors, onChange, onSubmit, onClose }: EditorProps) {
  return (
    <form
      class="edit"
      aria-label={`Edit “${task.title}”`}
      onSubmit={onSubmit}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
      noValidate
    >
      <TaskFields
        idPrefix={`edit-${task.taskId}`}
        fields={FIELD_ORDER}
        draft={draft}
        errors={errors}
        onChange={onChange}
      />
      {errors.form && <p class="field-error">{errors.form}</p>}
      <button type="submit">Save</button>
      <button type="button" class="secondary" onClick={onClose}>
        Cancel
      </button>
    </form>
  );
}
