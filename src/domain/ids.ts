/**
 * The shape of every id the server makes (tasks and lists: UUIDs, v7). Anything else cannot name one, so
 * a path holding it is a 404 without a store call.
 */
export const isServerId = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
