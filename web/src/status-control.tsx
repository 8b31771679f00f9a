import { useEffect, useRef, useState } from 'preact/hooks';
import type { TaskStatus } from '../../src/domain/task.js';
import { Options } from './task-fields.js';
import { STATUS_LABELS } from './task-form.js';

/**
 * Arrowing through a closed select changes it at every key press: the status is written once the keys
 * pause (or on Enter, or on leaving it). A pick with the mouse or a touch is written at once.
 */
const STATUS_KEYS_PAUSE_MS = 800;
const SELECT_KEYS = /^(Arrow(Up|Down|Left|Right)|Home|End|Page(Up|Down)|.)$/;

interface Props {
  readonly id: string;
  /** The stored status: the control returns to it after a write, saved or not. */
  readonly value: TaskStatus;
  /** Writes a new status. */
  readonly onCommit: (next: TaskStatus) => Promise<void>;
  /** A viewer sees the status as text: no control. */
  readonly writable: boolean;
}

/** A task's status: a select that writes once per choice, or, read only, the status in words. */
export function StatusControl({ id, value, onCommit, writable }: Props) {
  const [status, setStatus] = useState(value);
  const stored = useRef(value);
  stored.current = value;
  const keyed = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setStatus(value), [value]);
  if (!writable)
    return (
      <span class="status-text">
        <span class="visually-hidden">Status: </span>
        {STATUS_LABELS[value]}
      </span>
    );

  const commit = async (next: TaskStatus) => {
    clearTimeout(pending.current);
    pending.current = undefined;
    if (next === stored.current) return;
    await onCommit(next);
    setStatus(stored.current);
  };
  const pick = (next: TaskStatus) => {
    setStatus(next);
    clearTimeout(pending.current);
    if (Date.now() - keyed.current < 100)
      pending.current = setTimeout(() => void commit(next), STATUS_KEYS_PAUSE_MS);
    else void commit(next);
  };
  return (
    <>
      <label for={id} class="visually-hidden">
        Status
      </label>
      <select
        id={id}
        value={status}
        onKeyDown={(e) => {
          if (e.key === 'Enter') void commit(status);
          else if (SELECT_KEYS.test(e.key)) keyed.current = Date.now();
        }}
        onBlur={() => pending.current && void commit(status)}
        onChange={(e) => pick(e.currentTarget.value as TaskStatus)}
      >
        <Options labels={STATUS_LABELS} />
      </select>
    </>
  );
}
