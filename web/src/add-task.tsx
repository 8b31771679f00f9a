import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from './session.js';
import {
  type Api,
  hasStatus,
  isLimitReached,
  messageOf,
  problemErrorsOf,
  type Versioned,
} from './task-api.js';
import { TaskField, TaskFields } from './task-fields.js';
import {
  bodyOf,
  checkBody,
  type Draft,
  EMPTY_DRAFT,
  FIELD_ORDER,
  type FieldErrors,
  fieldErrorsFrom,
  hasErrors,
} from './task-form.js';

interface Props {
  readonly api: Api;
  readonly onCreated: (created: Versioned) => void;
  readonly onUnauthorized: () => void;
}

const DETAIL_FIELDS = FIELD_ORDER.filter((field) => field !== 'title');

/**
 * The quick add: a title and Enter, with the other fields on demand. One Idempotency-Key per draft: a
 * double click, or a retry after a lost answer, repeats the same create and the API answers with the first
 * task. Editing the draft, or a success, starts a new key.
 */
export function AddTask({ api, onCreated, onUnauthorized }: Props) {
  const [draft, setDraft] = useState(EMPTY_DRAFT);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [details, setDetails] = useState(false);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const title = useRef<HTMLInputElement>(null);

  // Ready to type at once where there is a keyboard; a phone keeps its screen for the tasks.
  useEffect(() => {
    if (matchMedia('(pointer: fine)').matches) title.current?.focus();
  }, []);

  const showErrors = (next: FieldErrors) => {
    setErrors(next);
    if (DETAIL_FIELDS.some((field) => next[field])) setDetails(true);
    // The keyboard lands on the first field to fix, whose error is read out with it.
    const first = FIELD_ORDER.find((field) => next[field]);
    if (first) setTimeout(() => document.getElementById(`new-${first}`)?.focus());
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const body = bodyOf(draft);
    const invalid = checkBody(body);
    if (hasErrors(invalid)) return showErrors(invalid);
    setBusy(true);
    try {
      const created = await api.create(body, key.current);
      key.current = newIdempotencyKey();
      setDraft(EMPTY_DRAFT);
      setErrors({});
      onCreated(created);
      title.current?.focus();
    } catch (error) {
      if (hasStatus(error, 401)) return onUnauthorized();
      const byField = fieldErrorsFrom(problemErrorsOf(error));
      showErrors(
        hasErrors(byField)
          ? byField
          : isLimitReached(error)
            ? { form: `Not added: ${messageOf(error)} Delete some tasks to make room.` }
            : { form: `Not added: ${messageOf(error)} Your task is kept: add it again to retry.` },
      );
    } finally {
      setBusy(false);
    }
  };
  const change = (next: Draft) => {
    key.current = newIdempotencyKey();
    setDraft(next);
  };

  return (
    <form class="add-task" aria-labelledby="add-heading" onSubmit={submit} noValidate>
      <h2 id="add-heading" class="visually-hidden">
        New task
      </h2>
      <div class="quick-add">
        <TaskField
          idPrefix="new"
          field="title"
          draft={draft}
          errors={errors}
          onChange={change}
          inputRef={title}
          quietLabel
          placeholder="Add a task"
        />
        <button type="submit" aria-disabled={busy}>
          Add task
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={details}
          aria-controls="new-details"
          onClick={() => setDetails(!details)}
        >
          Details
        </button>
      </div>
      <div id="new-details" hidden={!details}>
        <TaskFields idPrefix="new" fields={DETAIL_FIELDS} draft={draft} errors={errors} onChange={change} />
      </div>
      {errors.form && (
        <p role="alert" class="field-error">
          {errors.form}
        </p>
      )}
    </form>
  );
}
