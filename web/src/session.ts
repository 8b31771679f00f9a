/**
 * The signed-in token lives in sessionStorage: it survives a reload, dies with the tab, and is never sent
 * anywhere but the API's Authorization header.
 */
const TOKEN_KEY = 'task-board.token';

export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An Idempotency-Key: 128 random bits. getRandomValues works on plain-http LAN origins too. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
