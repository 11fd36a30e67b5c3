// Pure helpers of the Activities screen (tested without a backend).
import type { DefinitionForm, DefinitionRow, RestrictionRow, TreeRow } from "../../backend";
import { isStrictDate } from "../../components/dates";

export { todayText } from "../../components/dates";

/** Languages offered side by side for translated names. */
export const LANGUAGES = ["en", "nl", "fr", "de"] as const;

export const emptyForm = (): DefinitionForm => ({
  name: "",
  translations: {},
  short_code: "",
  data_entry_code: "",
  external_reference: "",
  info: "",
  active_from: "",
  active_until: "",
  parent_id: "",
});

/** The edit form prefilled from a stored definition. */
export function formOf(row: DefinitionRow): DefinitionForm {
  return {
    name: row.name,
    translations: { ...(row.translations as Record<string, string>) },
    short_code: row.short_code ?? "",
    data_entry_code: row.data_entry_code ?? "",
    external_reference: row.external_reference ?? "",
    info: row.info ?? "",
    active_from: row.active_from ?? "",
    active_until: row.active_until ?? "",
    parent_id: row.parent_id ?? "",
  };
}

export type SortKey = "name" | "code" | "from";

/** Case-insensitive search on name, codes and translations. */
export function matchesDefinition(row: DefinitionRow, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const values = [
    row.name,
    row.data_entry_code ?? "",
    row.external_reference ?? "",
    row.short_code ?? "",
    ...Object.values(row.translations as Record<string, string>),
  ];
  return values.some((v) => v.toLowerCase().includes(q));
}

export function sortRows(rows: DefinitionRow[], key: SortKey): DefinitionRow[] {
  const value = (r: DefinitionRow) =>
    key === "name" ? r.name.toLowerCase() : key === "code" ? (r.data_entry_code ?? "") : (r.active_from ?? "");
  return [...rows].sort((a, b) => value(a).localeCompare(value(b)));
}

/** The tree filtered by a search: a match keeps its ancestors so it stays in context. */
export function filterTree(rows: TreeRow[], query: string): TreeRow[] {
  if (!query.trim()) return rows;
  const keep = new Set<string>();
  const byId = new Map(rows.map((r) => [r.row.id, r]));
  for (const r of rows) {
    if (!matchesDefinition(r.row, query)) continue;
    let cur: TreeRow | undefined = r;
    while (cur && !keep.has(cur.row.id)) {
      keep.add(cur.row.id);
      cur = cur.row.parent_id ? byId.get(cur.row.parent_id) : undefined;
    }
  }
  return rows.filter((r) => keep.has(r.row.id));
}

/** Checks the UI can make before asking Rust (which checks everything again). */
export function formProblems(form: DefinitionForm, needsParent: boolean): string[] {
  const out: string[] = [];
  if (!form.name.trim()) out.push("name");
  if (form.data_entry_code.trim().length > 16) out.push("data_entry_code");
  if (form.external_reference.trim().length > 16) out.push("external_reference");
  // Blank dates are allowed; anything typed must be a real YYYY-MM-DD date, exactly as typed.
  for (const k of ["active_from", "active_until"] as const) {
    if (form[k] !== "" && !isStrictDate(form[k])) out.push(k);
  }
  if (isStrictDate(form.active_from) && isStrictDate(form.active_until) && form.active_until < form.active_from)
    out.push("active_until");
  if (needsParent && !form.parent_id) out.push("parent_id");
  return out;
}

/** One restriction combination as the editor holds it: the chosen definition ids per level. */
export type CombinationDraft = Record<number, string[]>;

/** The stored combinations as editable drafts (a level listed twice in one combination is merged). */
export function combinationsFromRows(rows: RestrictionRow[][]): CombinationDraft[] {
  return rows.map((combo) => {
    const draft: CombinationDraft = {};
    for (const r of combo) draft[r.level] = [...(draft[r.level] ?? []), ...r.ids];
    return draft;
  });
}

/**
 * The drafts as the backend takes them: one row per level with definitions, in level order. Every
 * combination is kept, also an empty one, so the backend can refuse it with its reason instead of it
 * silently disappearing.
 */
export function rowsFromCombinations(drafts: CombinationDraft[], levels: number[]): RestrictionRow[][] {
  return drafts.map((d) => levels.filter((l) => (d[l] ?? []).length > 0).map((l) => ({ level: l, ids: d[l] ?? [] })));
}

/** The predefined external reference names of activity definitions (custom ones are the tenant's). */
export const PREDEFINED_DEFINITION_REFERENCES = ["@external-reference", "@data-entry-code"];

/** The rule lives with the shared reference-name input; re-exported for this feature's callers. */
export { referenceNameProblem } from "../../components/ReferenceNameInput";
