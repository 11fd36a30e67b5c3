/** A fresh id for a long backend task (report or export), so it can be followed and cancelled. */
export function newTaskId(what: string): string {
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `${what}-${random}`;
}
