import { Text } from "@mantine/core";
import type { CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import type { DayRow } from "../../backend";
import { punchSources } from "./optionalColumns";
import { formatMinutes, type HoursDisplay } from "./period";

/** The height of one line, fixed so the virtualised report can size an opened day. */
export const LINE_HEIGHT = 26;

/** Lines of a day's detail: work logs, punches (with where, how and when they were sent) and absences. */
export const lineCount = (r: DayRow) => r.work_logs.length + r.punches.length + r.absence_details.length;

const fixedLine: CSSProperties = { height: LINE_HEIGHT, display: "flex", gap: 16, alignItems: "center", fontSize: 13, whiteSpace: "nowrap" };
const when: CSSProperties = { width: 110, flex: "none", color: "var(--mantine-color-dimmed)" };

/**
 * A TimeClock 365 day as lines: its work logs, its sessions (location, channel, sent-at times,
 * notes, "sent late") and its absences (approval, payroll codes). Used under an opened report row
 * and in the day detail.
 */
export function DayLines({
  row,
  display,
  label,
  style,
  wrap = false,
}: {
  row: DayRow;
  display: HoursDisplay;
  label: string;
  style?: CSSProperties;
  /** Let long lines wrap (the day detail); the virtualised report keeps one fixed-height line each. */
  wrap?: boolean;
}) {
  const { t } = useTranslation();
  const line: CSSProperties = wrap ? { ...fixedLine, height: "auto", minHeight: LINE_HEIGHT, whiteSpace: "normal", alignItems: "baseline" } : fixedLine;
  const h = (m: number) => formatMinutes(m, display);
  return (
    <ul aria-label={label} style={{ listStyle: "none", margin: 0, padding: 0, ...style }}>
      {row.work_logs.map((w, i) => (
        <li key={`w${i}`} style={line}>
          <span style={when} dir="ltr">
            {w.start}–{w.end ?? "…"}
          </span>
          <span style={{ width: 70, flex: "none", textAlign: "end" }}>{w.end ? <bdi dir="ltr">{h(w.minutes)}</bdi> : t("timesheets.openYes")}</span>
          <span>
            {w.name ?? t("timesheets.unnamedWorkLog")}
            {w.external_id ? ` (${w.external_id})` : ""}
          </span>
        </li>
      ))}
      {row.punches.map((p, i) => (
        <li key={`p${i}`} data-testid="punch-detail" style={line}>
          <span style={when} dir="ltr">
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
      {row.absence_details.map((a, i) => (
        <li key={`a${i}`} data-testid="absence-detail" style={line}>
          <span style={when}>{a.name}</span>
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
  );
}
