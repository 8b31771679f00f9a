/**
 * The list shown is kept in the URL's fragment (`#list=<listId>`): it survives a reload, can be bookmarked,
 * and is never sent to a server.
 */
import { DEFAULT_LIST_ID } from '../../src/domain/default-list.js';

export { DEFAULT_LIST_ID };

const PREFIX = '#list=';

export function chosenListId(): string {
  const { hash } = location;
  return hash.startsWith(PREFIX)
    ? decodeURIComponent(hash.slice(PREFIX.length)) || DEFAULT_LIST_ID
    : DEFAULT_LIST_ID;
}

export function rememberListId(listId: string): void {
  const hash = listId === DEFAULT_LIST_ID ? '' : `${PREFIX}${encodeURIComponent(listId)}`;
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
}
