import { ScrollArea, Table } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ReportSource, Totals } from "../../backend";
import { formatMinutes, type HoursDisplay } from "./period";

/**
 * Totals (per ISO week, per employee, overall) in the hours format shown; the Protime columns
 * follow the report's source. Every figure is the sum of its rows, as the report computed it.
 */
export function TotalsTable({
  label,
  keyHeader,
  totals,
  display,
  source,
  names,
  expected,
  maxHeight = 360,
}: {
  label: string;
  keyHeader: string;
  totals: Totals[];
  display: HoursDisplay;
  source: ReportSource;
  /** Employee number → name, when the source knows names. */
  names?: Map<string, string>;
  /** Employee number → expected minutes over the period (TimeClock 365); "All" sums the shown ones. */
  expected?: Map<string, number>;
  /** The scroll box's largest height in pixels: the table scrolls inside it, under a sticky header. */
  maxHeight?: number;
}) {
  const { t } = useTranslation();
  // Durations stay left-to-right in a Hebrew page: a negative one keeps its minus sign in front.
  const h = (m: number) => <bdi dir="ltr">{formatMinutes(m, display)}</bdi>;
  const end = { textAlign: "end" as const };
  const expectedOf = (key: string) =>
    key === "All" ? totals.filter((w) => w.key !== "All").reduce((sum, w) => sum + (expected?.get(w.key) ?? 0), 0) : expected?.get(key);
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto">
      <Table aria-label={label} striped w="fit-content" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{keyHeader}</Table.Th>
            {names && <Table.Th>{t("timesheets.colP.name")}</Table.Th>}
            <Table.Th style={end}>{t("timesheets.days")}</Table.Th>
            <Table.Th style={end}>{t("timesheets.col.sessions")}</Table.Th>
            <Table.Th style={end}>{t("timesheets.col.worked")}</Table.Th>
            <Table.Th style={end}>{t("timesheets.col.lunch")}</Table.Th>
            <Table.Th style={end}>{t("timesheets.col.net")}</Table.Th>
            <Table.Th style={end}>{t("timesheets.openSessions")}</Table.Th>
            {source !== "TimeClock" && <Table.Th style={end}>{t("timesheets.colP.calculated")}</Table.Th>}
            {source === "Merged" && <Table.Th style={end}>{t("timesheets.colP.difference")}</Table.Th>}
            {expected && <Table.Th style={end}>{t("timesheets.expected")}</Table.Th>}
            {expected && <Table.Th style={end}>{t("timesheets.workedMinusExpected")}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {totals.map((w) => (
            <Table.Tr key={w.key} fw={w.key === "All" ? 700 : undefined}>
              {/* A week (2026-W45) or an employee number reads left to right inside Hebrew too. */}
              <Table.Td>{w.key === "All" ? t("timesheets.all") : <bdi dir="ltr">{w.key}</bdi>}</Table.Td>
              {names && (
                <Table.Td>
                  <bdi>{names.get(w.key) ?? ""}</bdi>
                </Table.Td>
              )}
              <Table.Td style={end}>{w.days}</Table.Td>
              <Table.Td style={end}>{w.sessions}</Table.Td>
              <Table.Td style={end}>{h(w.worked_minutes)}</Table.Td>
              <Table.Td style={end}>{h(w.lunch_minutes)}</Table.Td>
              <Table.Td style={end}>{h(w.net_minutes)}</Table.Td>
              <Table.Td style={end}>{w.open_sessions || ""}</Table.Td>
              {source !== "TimeClock" && <Table.Td style={end}>{h(w.calculated_minutes)}</Table.Td>}
              {source === "Merged" && <Table.Td style={end}>{h(w.difference_minutes)}</Table.Td>}
              {expected && <Table.Td style={end}>{expectedOf(w.key) === undefined ? "" : h(expectedOf(w.key)!)}</Table.Td>}
              {expected && <Table.Td style={end}>{expectedOf(w.key) === undefined ? "" : h(w.worked_minutes - expectedOf(w.key)!)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
