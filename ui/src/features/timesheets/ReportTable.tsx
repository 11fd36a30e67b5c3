import { Box, Group, Table, Text, UnstyledButton } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DayRow, OptionalColumn, ReportSource } from "../../backend";
import { DURATION, minutesOf, punchSources, textOf } from "./optionalColumns";
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
const LOG_HEIGHT = 26;
const TOGGLE_WIDTH = 36;

const rowKey = (r: DayRow) => `${r.employee_number}|${r.date}`;

/** Lines of a day's detail: work logs, punches (with where, how and when they were sent) and absences. */
const detailLines = (r: DayRow) => r.work_logs.length + r.punches.length + r.absence_details.length;

/**
 * One row per employee and day; virtualised so 31,000 rows scroll smoothly. Click a header to sort;
 * a day opens to list its work logs, punches (location, channel, sent-at times, notes) and absences
 * (approval, payroll codes) under it. `extra` are the optional columns chosen above the table; a
 * "zone assumed" column appears by itself when a row was read in the profile's default zone.
 */
export function ReportTable({ rows, display, source = "TimeClock", extra = [] }: { rows: DayRow[]; display: HoursDisplay; source?: ReportSource; extra?: OptionalColumn[] }) {
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
    ...(source !== "TimeClock" ? [{ key: "name", label: t("timesheets.colP.name"), width: 160, render: (r: DayRow) => r.name ?? "" }] : []),
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
  // Days whose work logs are shown under them.
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const toggle = (r: DayRow) =>
    setExpanded((old) => {
      const next = new Set(old);
      if (!next.delete(rowKey(r))) next.add(rowKey(r));
      return next;
    });
  const heightOf = (r: DayRow) => ROW_HEIGHT + (expanded.has(rowKey(r)) ? detailLines(r) * LOG_HEIGHT + 6 : 0);
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: sorted.length,
    getScrollElement: () => parent.current,
    estimateSize: (i) => heightOf(sorted[i]),
    overscan: 20,
  });
  // Row heights change when a day opens or closes: measure again.
  useEffect(() => virtualizer.measure(), [expanded, sorted, virtualizer]);
  const width = TOGGLE_WIDTH + columns.reduce((s, c) => s + c.width, 0);
  return (
    <Box>
      <Table aria-label={t("timesheets.tableLabel")} aria-rowcount={sorted.length + 1} layout="fixed" w={width}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={TOGGLE_WIDTH} aria-label={t("timesheets.workLogs")} />
            {columns.map((c) => (
              <Table.Th key={c.key} w={c.width} style={{ textAlign: c.numeric ? "end" : "start" }}>
                <UnstyledButton
                  w="100%"
                  onClick={() => setSort((s) => ({ key: c.key, dir: s.key === c.key ? ((-s.dir) as 1 | -1) : 1 }))}
                  aria-label={t("timesheets.sortBy", { column: c.label })}
                >
                  <Group gap={4} wrap="nowrap" justify={c.numeric ? "flex-end" : "flex-start"}>
                    <Text size="sm" fw={600}>
                      {c.label}
                    </Text>
                    {sort.key === c.key && <Text size="xs">{sort.dir === 1 ? "▲" : "▼"}</Text>}
                  </Group>
                </UnstyledButton>
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
      </Table>
      <div ref={parent} style={{ height: 420, overflow: "auto", width: width + 16 }} data-testid="report-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = sorted[v.index];
            const open = expanded.has(rowKey(r));
            return (
              <div
                key={v.key}
                style={{
                  position: "absolute",
                  top: 0,
                  transform: `translateY(${v.start}px)`,
                  width,
                  borderBottom: "1px solid var(--mantine-color-default-border)",
                  background: r.open_session ? "var(--mantine-color-yellow-light)" : r.outside_tolerance ? "var(--mantine-color-red-light)" : undefined,
                }}
              >
                <div
                  role="row"
                  aria-rowindex={v.index + 2}
                  aria-expanded={detailLines(r) > 0 ? open : undefined}
                  data-zone-assumed={r.default_zone_used ? "yes" : undefined}
                  data-open={r.open_session ? "yes" : undefined}
                  data-outside-tolerance={r.outside_tolerance ? "yes" : undefined}
                  style={{ height: ROW_HEIGHT, display: "flex", alignItems: "center" }}
                >
                  <div role="cell" style={{ width: TOGGLE_WIDTH, textAlign: "center" }}>
                    {detailLines(r) > 0 && (
                      <UnstyledButton
                        onClick={() => toggle(r)}
                        aria-label={t(open ? "timesheets.hideWorkLogs" : "timesheets.showWorkLogs", { employee: r.employee_number, date: r.date })}
                        style={{ width: 24, fontSize: 12 }}
                      >
                        {open ? "▾" : "▸"}
                      </UnstyledButton>
                    )}
                  </div>
                  {columns.map((c) => (
                    <div
                      key={c.key}
                      role="cell"
                      style={{
                        width: c.width,
                        padding: "0 10px",
                        textAlign: c.numeric ? "end" : "start",
                        whiteSpace: "nowrap",
                        overflow: "hidden",
                        textOverflow: "ellipsis",
                        fontSize: 14,
                        fontWeight: c.key === "difference" && r.outside_tolerance ? 700 : undefined,
                        color: c.key === "difference" && r.outside_tolerance ? "var(--mantine-color-red-filled)" : undefined,
                      }}
                    >
                      {c.render(r)}
                    </div>
                  ))}
                </div>
                {open && (
                  <ul
                    aria-label={t("timesheets.workLogsOf", { employee: r.employee_number, date: r.date })}
                    style={{ listStyle: "none", margin: 0, padding: `0 0 6px ${TOGGLE_WIDTH + 10}px` }}
                  >
                    {r.work_logs.map((w, i) => (
                      <li key={i} style={{ height: LOG_HEIGHT, display: "flex", gap: 16, alignItems: "center", fontSize: 13 }}>
                        <span style={{ width: 110, color: "var(--mantine-color-dimmed)" }}>
                          {w.start}–{w.end ?? "…"}
                        </span>
                        <span style={{ width: 70, textAlign: "end" }}>{w.end ? h(w.minutes) : t("timesheets.openYes")}</span>
                        <span>
                          {w.name ?? t("timesheets.unnamedWorkLog")}
                          {w.external_id ? ` (${w.external_id})` : ""}
                        </span>
                      </li>
                    ))}
                    {r.punches.map((p, i) => (
                      <li key={`p${i}`} data-testid="punch-detail" style={{ height: LOG_HEIGHT, display: "flex", gap: 16, alignItems: "center", fontSize: 13, whiteSpace: "nowrap" }}>
                        <span style={{ width: 110, color: "var(--mantine-color-dimmed)" }}>
                          {p.start.slice(11, 16)}–{p.end ? p.end.slice(11, 16) : "…"}
                        </span>
                        <span>
                          {[
                            p.location ? t("timesheets.detail.location", { location: p.location }) : null,
                            punchSources(p),
                            p.start_sent_at ? t("timesheets.detail.inSent", { at: p.start_sent_at }) : null,
                            p.end_sent_at ? t("timesheets.detail.outSent", { at: p.end_sent_at }) : null,
                            p.start_note ? t("timesheets.detail.inNote", { note: p.start_note }) : null,
                            p.end_note ? t("timesheets.detail.outNote", { note: p.end_note }) : null,
                          ]
                            .filter(Boolean)
                            .join(" · ")}
                        </span>
                        {p.sent_late && (
                          <Text span size="xs" c="orange" fw={700}>
                            {t("timesheets.detail.sentLate")}
                          </Text>
                        )}
                      </li>
                    ))}
                    {r.absence_details.map((a, i) => (
                      <li key={`a${i}`} data-testid="absence-detail" style={{ height: LOG_HEIGHT, display: "flex", gap: 16, alignItems: "center", fontSize: 13, whiteSpace: "nowrap" }}>
                        <span style={{ width: 110, color: "var(--mantine-color-dimmed)" }}>{a.name}</span>
                        <span>
                          {[
                            a.approved_at || a.approved_by
                              ? [t("timesheets.detail.approved", { at: a.approved_at ?? "" }).trim(), a.approved_by ? t("timesheets.detail.by", { name: a.approved_by }) : ""].join(" ").trim()
                              : t("timesheets.detail.notApproved"),
                            a.code_days ? t("timesheets.detail.codeDays", { code: a.code_days }) : null,
                            a.code_hours ? t("timesheets.detail.codeHours", { code: a.code_hours }) : null,
                            a.note ? t("timesheets.detail.note", { note: a.note }) : null,
                          ]
                            .filter(Boolean)
                            .join(" · ")}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
}
