import { useEffect, useRef, useState } from 'preact/hooks';
import { AddMember } from './add-member.js';
import { mayManage, membersInOrder, ROLE_LABELS } from './sharing.js';
import {
  hasStatus,
  type ListMember,
  type MemberRole,
  type MembersApi,
  messageOf,
  type TaskList,
} from './task-api.js';
import { Options } from './task-fields.js';
import { YourId } from './your-id.js';

interface Props {
  readonly api: MembersApi;
  readonly list: TaskList;
  /** The caller's principal id, once known. */
  readonly me?: string;
  /** The members changed: the lists panel's member count follows. */
  readonly onChanged: () => void;
  /** The caller left the list. */
  readonly onLeft: () => void;
  readonly onUnauthorized: () => void;
  /** Closed by Close, Escape, or after leaving; the opener takes the focus back. */
  readonly onClose: () => void;
}

/**
 * A list's members in a modal dialog: the owner adds one by principal id with a role, changes a role and
 * removes a member; everyone else sees the members and may leave. The caller's own id is shown, to hand
 * to whoever shares with them. Escape closes it (the native dialog's cancel).
 */
export function ShareDialog({ api, list, me, onChanged, onLeft, onUnauthorized, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [members, setMembers] = useState<readonly ListMember[]>();
  const [said, setSaid] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const owner = mayManage(list.role);
  const { listId, title } = list;

  const load = async () => {
    try {
      setMembers(await api.all(listId));
    } catch (error) {
      failed(error);
    }
  };
  useEffect(() => {
    dialog.current?.showModal();
    document.getElementById(owner ? 'member-id' : 'close-members')?.focus();
    void load();
  }, []);
  function failed(error: unknown) {
    if (hasStatus(error, 401)) return onUnauthorized();
    setSaid(undefined);
    setProblem(
      hasStatus(error, 404)
        ? 'This list no longer exists, or is no longer shared with you.'
        : messageOf(error),
    );
    // A 403 or 404 says the members or the caller's role changed meanwhile.
    if (hasStatus(error, 403) || hasStatus(error, 404)) onChanged();
  }
  /** Runs a change, says what it did, and reads the members again. */
  const change = async (done: string, run: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run();
      setProblem(undefined);
      setSaid(done);
      onChanged();
      await load();
      return true;
    } catch (error) {
      failed(error);
      return false;
    }
  };
  const setRole = (member: ListMember, role: MemberRole) =>
    change(`${member.principalId} is now ${ROLE_LABELS[role].toLowerCase()}.`, () =>
      api.set(listId, member.principalId, role),
    );
  const remove = (member: ListMember) =>
    change(`Removed ${member.principalId} from “${title}”.`, () => api.remove(listId, member.principalId));
  const leave = async () => {
    if (!me || !confirm(`Leave “${title}”? You will no longer see it or its tasks.`)) return;
    try {
      await api.remove(listId, me);
      onLeft();
    } catch (error) {
      failed(error);
    }
  };

  return (
    <dialog
      ref={dialog}
      class="share-dialog"
      aria-labelledby="share-title"
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault(); // closed here, so the opener gets the focus back in one place
        onClose();
      }}
    >
      <h2 id="share-title">{owner ? `Share “${title}”` : `Members of “${title}”`}</h2>
      <YourId me={me} />
      <h3 id="members-heading" class="dialog-section">
        Members
      </h3>
      {members === undefined && !problem && <p class="hint">Loading members…</p>}
      {members && (
        <ul class="members" aria-labelledby="members-heading">
          {membersInOrder(members, me).map((member) => (
            <MemberRow
              key={member.principalId}
              member={member}
              me={member.principalId === me}
              manage={owner && member.role !== 'owner'}
              onRole={(role) => setRole(member, role)}
              onRemove={() => remove(member)}
            />
          ))}
        </ul>
      )}
      {owner ? (
        <AddMember
          me={me}
          onAdd={(id, role) =>
            change(`Shared “${title}” with ${id} as ${ROLE_LABELS[role].toLowerCase()}.`, () =>
              api.set(listId, id, role),
            )
          }
        />
      ) : (
        <p class="hint">
          You are {list.role === 'editor' ? 'an editor: you change its tasks' : 'a viewer: you see its tasks'}
          . Only its owner adds or removes members.
        </p>
      )}
      {owner && (
        <p class="hint">
          As its owner you cannot leave this list while it has other members: remove them first, or delete the
          list. Ownership cannot be handed over.
        </p>
      )}
      <p role="status" class="notice">
        {said}
      </p>
      {problem && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      <div class="dialog-actions">
        {!owner && me && (
          <button type="button" class="secondary danger" onClick={leave}>
            Leave this list
          </button>
        )}
        <button id="close-members" type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

interface RowProps {
  readonly member: ListMember;
  readonly me: boolean;
  /** The owner manages this member: its role and its removal. */
  readonly manage: boolean;
  readonly onRole: (role: MemberRole) => void;
  readonly onRemove: () => void;
}

function MemberRow({ member, me, manage, onRole, onRemove }: RowProps) {
  const { principalId, role } = member;
  const roleId = `role-${principalId}`;
  return (
    <li class="member">
      <code class="member-id">{principalId}</code>
      {me && <span class="hint"> (you)</span>}
      {manage && role !== 'owner' ? (
        <>
          <label for={roleId} class="visually-hidden">
            Role of {principalId}
          </label>
          <select id={roleId} value={role} onChange={(e) => onRole(e.currentTarget.value as MemberRole)}>
            <Options labels={{ viewer: ROLE_LABELS.viewer, editor: ROLE_LABELS.editor }} />
          </select>
          <button
            type="button"
            class="secondary danger"
            aria-label={`Remove ${principalId}`}
            onClick={onRemove}
          >
            Remove
          </button>
        </>
      ) : (
        <span class="member-role">{ROLE_LABELS[role]}</span>
      )}
    </li>
  );
}
