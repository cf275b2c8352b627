// Performance counter paths: `\\MACHINE\Object(instance)\Counter`, with or without the machine.
// Instances may hold spaces and parentheses (`my app (v2)`, `Intel(R) PRO_1000`); counter names
// hold no backslash.
import type { CounterPath } from "./schema.js";

export function parseCounterPath(text: string): CounterPath | null {
  const path = text.trim();
  let s = path;
  let machine: string | null = null;
  if (s.startsWith("\\\\")) {
    const k = s.indexOf("\\", 2);
    if (k <= 2) return null;
    machine = s.slice(2, k);
    s = s.slice(k);
  }
  if (!s.startsWith("\\")) return null;
  const last = s.lastIndexOf("\\");
  if (last <= 1) return null;
  const counter = s.slice(last + 1).trim();
  const objectPart = s.slice(1, last);
  if (counter === "" || objectPart === "") return null;
  const open = objectPart.indexOf("(");
  const close = objectPart.lastIndexOf(")");
  if (open > 0 && close > open) {
    return {
      path,
      machine,
      object: objectPart.slice(0, open).trim(),
      instance: objectPart.slice(open + 1, close),
      counter,
    };
  }
  return { path, machine, object: objectPart.trim(), instance: null, counter };
}

/** The key two spellings of one counter share (Get-Counter prints paths lower-case). */
export function counterKey(p: CounterPath): string {
  return `${(p.machine ?? "").toLowerCase()}\\${p.object.toLowerCase()}(${(p.instance ?? "").toLowerCase()})\\${p.counter.toLowerCase()}`;
}
