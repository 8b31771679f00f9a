export type Env = Record<string, string | undefined>;

/**
 * Runs a settings loader on an environment and records every variable it looks up, so a test can compare
 * what a loader reads with what the stack writes or the docs list. The loader's error, if it throws, is
 * returned: an environment that lacks a required variable still shows which ones are read.
 */
export function readsOf(load: (env: Env) => unknown, env: Env): { names: Set<string>; error?: unknown } {
  const names = new Set<string>();
  const recorder = new Proxy(env, {
    get: (target, name) => {
      if (typeof name === 'string') names.add(name);
      return Reflect.get(target, name);
    },
  });
  try {
    load(recorder);
    return { names };
  } catch (error) {
    return { names, error };
  }
}
