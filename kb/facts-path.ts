// Reading facts by dotted path, for conditions, templates and key numbers. Inside a `where` the
// scope is a list element: plain paths start there, `@` is the element, `$.` starts from the root.

/** `pool.topNonpaged.0.tag` → the value, or undefined when any step is missing. */
export function factAt(root: unknown, path: string, scope: unknown = root): unknown {
  if (path === "@") return scope;
  let value: unknown = path.startsWith("$.") ? root : scope;
  for (const step of (path.startsWith("$.") ? path.slice(2) : path).split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = Object.hasOwn(value, step) ? (value as Record<string, unknown>)[step] : undefined;
  }
  return value;
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}
