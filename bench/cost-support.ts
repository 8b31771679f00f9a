/** Small helpers of the cost benchmark: item sizes, a seeded generator, and an API caller. */

/** DynamoDB's item size: attribute names plus values (numbers approximated by their digits). */
function sizeOf(value: Record<string, unknown>): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  if (type === 'S') return Buffer.byteLength(String(inner));
  if (type === 'N') return Math.ceil(String(inner).replace(/[-.]/g, '').length / 2) + 1;
  if (type === 'L') return 3 + (inner as Record<string, unknown>[]).reduce((n, v) => n + 1 + sizeOf(v), 0);
  if (type === 'M') return 3 + itemBytes(inner as Record<string, Record<string, unknown>>);
  if (type === 'SS') return (inner as string[]).reduce((n, s) => n + Buffer.byteLength(s), 0);
  return 1;
}
export const itemBytes = (item: Record<string, Record<string, unknown>>): number =>
  Object.entries(item).reduce((n, [name, v]) => n + Buffer.byteLength(name) + sizeOf(v), 0);

/** A small seeded generator (mulberry32), so every run replays the same mix. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Api {
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<unknown>;
}

export function apiOf(baseUrl: string, token: string): Api {
  return {
    async send(method, path, body, headers = {}) {
      const reply = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { Authorization: token, 'Content-Type': 'application/json', ...headers },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await reply.text();
      if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
  };
}
