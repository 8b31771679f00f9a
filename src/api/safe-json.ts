/**
 * JSON parsing for request bodies that an attacker controls. Nesting is bounded before parsing (a cheap
 * linear scan), and keys that could reach an object's prototype are dropped while parsing, so neither a
 * deep document nor `__proto__` / `constructor` / `prototype` ever reaches the code behind.
 */
export const MAX_JSON_DEPTH = 20;

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class JsonTooDeepError extends Error {
  override readonly name = 'JsonTooDeepError';
}

/** The deepest nesting of arrays and objects in a JSON text (strings and escapes skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

/** `JSON.parse` with bounded depth and without prototype keys; throws SyntaxError or JsonTooDeepError. */
export function parseUntrustedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  if (jsonDepth(text) > maxDepth) throw new JsonTooDeepError(`JSON nesting deeper than ${maxDepth}`);
  return JSON.parse(text, (key, value: unknown) => (PROTOTYPE_KEYS.has(key) ? undefined : value));
}
