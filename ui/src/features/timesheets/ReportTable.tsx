import { Group, Text, UnstyledButton, VisuallyHidden } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import type { DayRow, OptionalColumn, ReportSource } from "../../backend";
import { rowKey } from "./dayDetail";
import { DayLines, LINE_HEIGHT, lineCount } from "./DayLines";
import { DURATION, minutesOf, textOf } from "./optionalColumns";
import { formatMinutes, type HoursDisplay } from "./period";

type Column = {
  key: string;
  label: string;
  width: number;
  render: (r: DayRow) => string;
  /** What the column sorts by (default: the rendered text). */
  sortValue?: (r: DayRow) => number | string;
  numeric?: boolean;
};

const ROW_HEIGHT = 34;
const HEADER_HEIGHT = 38;
/** The first cell of a row: open the day's lines, open the day detail. */
const ACTIONS_WIDTH = 64;
/** Columns that stay in view when the table scrolls sideways. */
const PINNED = new Set(["employee_number", "name"]);

/** A row's background: open sessions yellow, days beyond the tolerance red, drawn over the page colour so pinned cells stay opaque. */
function rowBackground(r: DayRow): string {
  const tint = r.open_session ? "var(--mantine-color-yellow-light)" : r.outside_tolerance ? "var(--mantine-color-red-light)" : null;
  return tint ? `linear-gradient(${tint}, ${tint}), var(--mantine-color-body)` : "var(--mantine-color-body)";
}

/**
 * One row per employee and day, virtualised so 31,000 rows scroll smoothly, inside its own scroll box
 * (both directions) with a sticky header and the employee and name pinned: the page itself never
 * scrolls sideways. Click a header to sort; ▸ opens the day's lines (work logs, punches, absences)
 * under it and ⋯ opens the day detail. `extra` are the optional columns chosen in the toolbar; a
 * "zone assumed" column appears by itself when a row was read in the profile's default zone.
 */
export function ReportTable({
  rows,
  display,
  source = "TimeClock",
  extra = [],
  nameOf,
  height = 420,
  onOpenDay,
}: {
  rows: DayRow[];
  display: HoursDisplay;
  source?: ReportSource;
  extra?: OptionalColumn[];
  /** The person's name for a row: the source's own, or Protime's for the same employee number. */
  nameOf: (r: DayRow) => string;
  /** The scroll box's height in pixels (the screen fills the window with it). */
  height?: number;
  onOpenDay?: (r: DayRow) => void;
}) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: "employee_number", dir: 1 });
  const h = (m: number) => formatMinutes(m, display);
  // A Protime duration: blank when the row has no Protime side (one-sided or conflicting people).
  const p = (f: (x: NonNullable<DayRow["protime"]>) => number) => ({
    render: (r: DayRow) => (r.protime ? h(f(r.protime)) : ""),
    sortValue: (r: DayRow) => (r.protime ? f(r.protime) : Number.NEGATIVE_INFINITY),
    numeric: true,
  });
  const timeclockColumns: Column[] = [
    { key: "first_in", label: t("timesheets.col.firstIn"), width: 95, render: (r) => r.first_in ?? "" },
    { key: "last_out", label: t("timesheets.col.lastOut"), width: 95, render: (r) => r.last_out ?? "" },
    { key: "sessions", label: t("timesheets.col.sessions"), width: 80, render: (r) => String(r.sessions), sortValue: (r) => r.sessions, numeric: true },
    { key: "worked_minutes", label: t("timesheets.col.worked"), width: 90, render: (r) => h(r.worked_minutes), sortValue: (r) => r.worked_minutes, numeric: true },
    { key: "lunch_minutes", label: t("timesheets.col.lunch"), width: 80, render: (r) => h(r.lunch_minutes), sortValue: (r) => r.lunch_minutes, numeric: true },
    { key: "net_minutes", label: t("timesheets.col.net"), width: 80, render: (r) => h(r.net_minutes), sortValue: (r) => r.net_minutes, numeric: true },
    { key: "absences", label: t("timesheets.col.absences"), width: 150, render: (r) => r.absences.join(", ") },
    { key: "open_session", label: t("timesheets.col.open"), width: 80, render: (r) => (r.open_session ? t("timesheets.openYes") : ""), sortValue: (r) => Number(r.open_session) },
  ];
  const protimeColumns: Column[] = [
    { key: "normal", label: t("timesheets.colP.normal"), width: 100, ...p((x) => x.normal_minutes) },
    { key: "present", label: t("timesheets.colP.present"), width: 100, ...p((x) => x.present_minutes) },
    { key: "calculated", label: t("timesheets.colP.calculated"), width: 120, ...p((x) => x.calculated_minutes) },
    { key: "flextime", label: t("timesheets.colP.flextime"), width: 100, ...p((x) => x.flextime_minutes) },
    { key: "balance", label: t("timesheets.colP.balance"), width: 105, ...p((x) => x.flextime_balance_minutes) },
  ];
  const yes = t("timesheets.yes");
  const no = t("timesheets.no");
  const shownExtra: OptionalColumn[] = rows.some((r) => r.default_zone_used) && !extra.includes("DefaultZoneUsed") ? [...extra, "DefaultZoneUsed"] : extra;
  const optionalColumns: Column[] = shownExtra.map((c) =>
    DURATION.has(c)
      ? {
          key: `opt-${c}`,
          label: t(`timesheets.optional.${c}`),
          width: 110,
          render: (r: DayRow) => {
            const m = minutesOf(c, r);
            return m === null || m === undefined ? "" : h(m);
          },
          sortValue: (r: DayRow) => minutesOf(c, r) ?? Number.NEGATIVE_INFINITY,
          numeric: true,
        }
      : { key: `opt-${c}`, label: t(`timesheets.optional.${c}`), width: c === "WorkLogs" || c.startsWith("Absence") || c === "PunchNotes" ? 220 : 130, render: (r: DayRow) => textOf(c, r, yes, no) },
  );
  const columns: Column[] = [
    { key: "employee_number", label: t("timesheets.col.employee"), width: 110, render: (r) => r.employee_number, sortValue: (r) => Number(r.employee_number) || 0 },
    { key: "name", label: t("timesheets.colP.name"), width: 170, render: nameOf },
    { key: "date", label: t("timesheets.col.date"), width: 110, render: (r) => r.date },
    ...(source === "Protime" ? [] : source === "Merged" ? timeclockColumns.filter((c) => ["sessions", "worked_minutes", "net_minutes", "open_session"].includes(c.key)) : timeclockColumns),
    ...(source === "Merged" ? protimeColumns.filter((c) => ["present", "calculated"].includes(c.key)) : source === "Protime" ? protimeColumns : []),
    ...(source === "Merged"
      ? [
          {
            key: "difference",
            label: t("timesheets.colP.difference"),
            width: 110,
            render: (r: DayRow) => (r.difference_minutes === null ? "" : h(r.difference_minutes)),
            sortValue: (r: DayRow) => (r.difference_minutes === null ? Number.NEGATIVE_INFINITY : Math.abs(r.difference_minutes)),
            numeric: true,
          },
        ]
      : []),
    ...optionalColumns,
  ];
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key) ?? columns[0];
    const value = column.sortValue ?? column.render;
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const c = x < y ? -1 : x > y ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
      return c * sort.dir;
    });
    // The columns depend only on the source and the display; both are in the deps through them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, sort, source, display, extra]);
  // Days whose lines are shown under them.
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (r: DayRow) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(rowKey(r))) next.add(rowKey(r));
      return next;
    });
  const heightOf = (r: DayRow) => ROW_HEIGHT + (expanded.has(rowKey(r)) ? lineCount(r) * LINE_HEIGHT + 6 : 0);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => parent.current,
    estimateSize: (i) => heightOf(sorted[i]),
    overscan: 20,
    scrollMargin: HEADER_HEIGHT,
  });
  // Row heights change when a day opens or closes: measure again.
  useEffect(() => virtualizer.measure(), [expanded, sorted, virtualizer]);
  const width = ACTIONS_WIDTH + columns.reduce((s, c) => s + c.width, 0);
  // Where each pinned column starts, measured from the start edge (right in Hebrew).
  const pinnedAt = new Map<string, number>();
  columns.reduce((at, c) => {
    if (PINNED.has(c.key)) pinnedAt.set(c.key, at);
    return at + c.width;
  }, ACTIONS_WIDTH);
  const pin = (key: string, background: string): CSSProperties =>
    pinnedAt.has(key) ? { position: "sticky", insetInlineStart: pinnedAt.get(key), zIndex: 1, background } : {};
  const actionsCell: CSSProperties = { width: ACTIONS_WIDTH, flex: "none", display: "flex", justifyContent: "center", gap: 2, position: "sticky", insetInlineStart: 0, zIndex: 1 };
  return (
    <div
      ref={parent}
      role="table"
      aria-label={t("timesheets.tableLabel")}
      aria-rowcount={sorted.length + 1}
      data-testid="report-scroll"
      // scrollPaddingTop: a row's button that gets the focus scrolls clear of the sticky header.
      style={{ height, maxWidth: "100%", overflow: "auto", border: "1px solid var(--mantine-color-default-border)", borderRadius: 4, scrollPaddingTop: HEADER_HEIGHT }}
    >
      <div role="rowgroup" style={{ position: "sticky", top: 0, zIndex: 2, width, background: "var(--mantine-color-body)" }}>
        <div role="row" aria-rowindex={1} style={{ height: HEADER_HEIGHT, display: "flex", alignItems: "center", borderBottom: "2px solid var(--mantine-color-default-border)" }}>
          <div role="columnheader" style={{ ...actionsCell, background: "var(--mantine-color-body)" }}>
            {/* The buttons' column has no visible title; its header still says what it holds. */}
            <VisuallyHidden>{t("timesheets.dayActions")}</VisuallyHidden>
          </div>
          {columns.map((c) => (
            <div key={c.key} role="columnheader" style={{ width: c.width, flex: "none", padding: "0 10px", ...pin(c.key, "var(--mantine-color-body)") }}>
              <UnstyledButton
                w="100%"
                onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : 1 }))}
                aria-label={t("timesheets.sortBy", { column: c.label })}
              >
                <Group gap={4} wrap="nowrap" justify={c.numeric ? "flex-end" : "flex-start"}>
                  <Text size="sm" fw={600} truncate>
                    {c.label}
                  </Text>
                  {sort.key === c.key && <Text size="xs">{sort.dir === 1 ? "▲" : "▼"}</Text>}
                </Group>
              </UnstyledButton>
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: "relative", width }}>
        {virtualizer.getVirtualItems().map((v) => {
          const r = sorted[v.index];
          const open = expanded.has(rowKey(r));
          const background = rowBackground(r);
          return (
            <div
              key={v.key}
              style={{
                position: "absolute",
                top: 0,
                insetInlineStart: 0,
                transform: `translateY(${v.start - HEADER_HEIGHT}px)`,
                width,
                borderBottom: "1px solid var(--mantine-color-default-border)",
                background,
              }}
            >
              <div
                role="row"
                aria-rowindex={v.index + 2}
                data-zone-assumed={r.default_zone_used ? "yes" : undefined}
                data-open={r.open_session ? "yes" : undefined}
                data-outside-tolerance={r.outside_tolerance ? "yes" : undefined}
                style={{ height: ROW_HEIGHT, display: "flex", alignItems: "center" }}
              >
                <div role="cell" style={{ ...actionsCell, height: ROW_HEIGHT, alignItems: "center", background }}>
                  {lineCount(r) > 0 && (
                    <UnstyledButton
                      onClick={() => toggle(r)}
                      // On the button, not the row: a table's rows cannot be expanded (only a treegrid's).
                      aria-expanded={open}
                      aria-label={t(open ? "timesheets.hideWorkLogs" : "timesheets.showWorkLogs", { employee: r.employee_number, date: r.date })}
                      style={{ width: 24, fontSize: 12, textAlign: "center" }}
                    >
                      {open ? "▾" : "▸"}
                    </UnstyledButton>
                  )}
                  {onOpenDay && (
                    <UnstyledButton
                      onClick={() => onOpenDay(r)}
                      aria-label={t("timesheets.openDay", { employee: r.employee_number, date: r.date })}
                      title={t("timesheets.openDayShort")}
                      style={{ width: 24, fontSize: 14, textAlign: "center" }}
                    >
                      ⋯
                    </UnstyledButton>
                  )}
                </div>
                {columns.map((c) => (
                  <div
                    key={c.key}
                    role="cell"
                    data-col={c.key}
                    style={{
                      width: c.width,
                      flex: "none",
                      height: ROW_HEIGHT,
                      lineHeight: `${ROW_HEIGHT}px`,
                      padding: "0 10px",
                      textAlign: c.numeric ? "end" : "start",
                      whiteSpace: "nowrap",
                      overflow: "hidden",
                      textOverflow: "ellipsis",
                      fontSize: 14,
                      fontWeight: c.key === "difference" && r.outside_tolerance ? 700 : undefined,
                      color: c.key === "difference" && r.outside_tolerance ? "var(--mantine-color-red-text)" : undefined,
                      ...pin(c.key, background),
                    }}
                  >
                    {c.key === "name" ? <bdi>{c.render(r)}</bdi> : <bdi dir="ltr">{c.render(r)}</bdi>}
                  </div>
                ))}
              </div>
              {open && (
                <DayLines
                  row={r}
                  display={display}
                  label={t("timesheets.workLogsOf", { employee: r.employee_number, date: r.date })}
                  style={{ padding: "0 0 6px", paddingInlineStart: ACTIONS_WIDTH + 10 }}
                />
              )}
            </div>
          );
        })}
      </div>
    </div>
  );
}
