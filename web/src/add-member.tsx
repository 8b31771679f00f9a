import { useState } from 'preact/hooks';
import { GIVEN_ROLE_LABELS, principalIdProblem } from './sharing.js';
import type { MemberRole } from './task-api.js';
import { Options } from './task-fields.js';

/** The owner's form: a principal id and a role; the id is checked against the API's pattern first. */
export function AddMember(props: { me?: string; onAdd: (id: string, role: MemberRole) => Promise<boolean> }) {
  const [id, setId] = useState('');
  const [role, setRole] = useState<MemberRole>('viewer');
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const wanted = id.trim();
    const problem = principalIdProblem(wanted, props.me);
    setError(problem);
    if (problem) return document.getElementById('member-id')?.focus();
    if (await props.onAdd(wanted, role)) setId('');
  };
  return (
    <form class="add-member" onSubmit={submit} noValidate>
      <h3 class="dialog-section">Add a member</h3>
      <div class="field">
        <label for="member-id">Their id</label>
        <input
          id="member-id"
          value={id}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={error !== undefined}
          aria-describedby={error ? 'member-id-error member-id-hint' : 'member-id-hint'}
          onInput={(e) => setId(e.currentTarget.value)}
        />
        <p id="member-id-hint" class="hint">
          The id they see under “Your id” when signed in. The service cannot tell whether an id exists: check
          it with them.
        </p>
        {error && (
          <p id="member-id-error" class="field-error">
            {error}
          </p>
        )}
      </div>
      <div class="field">
        <label for="member-role">Role</label>
        <select id="member-role" value={role} onChange={(e) => setRole(e.currentTarget.value as MemberRole)}>
          <Options labels={GIVEN_ROLE_LABELS} />
        </select>
      </div>
      <button type="submit">Share</button>
    </form>
  );
}
