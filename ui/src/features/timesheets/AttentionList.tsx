import { Badge, Button, Group, ScrollArea, Table, Text } from "@mantine/core";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { DayRow } from "../../backend";
import { attentionReasons, rowKey } from "./dayDetail";
import { formatMinutes, type HoursDisplay } from "./period";

/**
 * The days of the period that need HR: open TimeClock 365 sessions, an odd number of In/Out
 * clockings in Protime (a missing punch), merged days beyond the
 * tolerance, days only one system has time for. Each has "Fix", which opens the day detail; a fixed
 * day leaves the list when the report refreshes.
 */
export function AttentionList({
  rows,
  display,
  unpaired,
  nameOf,
  maxHeight,
  onOpenDay,
}: {
  rows: DayRow[];
  /** Days whose Protime In/Out clockings do not pair up (`unpairedKeys`). */
  unpaired: Set<string>;
  display: HoursDisplay;
  nameOf: (r: DayRow) => string;
  maxHeight: number;
  onOpenDay: (r: DayRow) => void;
}) {
  const { t } = useTranslation();
  const items = useMemo(
    () =>
      rows
        .map((r) => ({ row: r, reasons: attentionReasons(r, unpaired) }))
        .filter((i) => i.reasons.length > 0)
        .sort((a, b) => (a.row.date < b.row.date ? -1 : a.row.date > b.row.date ? 1 : a.row.employee_number.localeCompare(b.row.employee_number))),
    [rows, unpaired],
  );
  if (items.length === 0) {
    return (
      <Text c="dimmed" data-testid="attention-empty">
        {t("timesheets.attention.none")}
      </Text>
    );
  }
  // scrollPaddingTop: a row's button that gets the focus scrolls clear of the sticky header (about 40 px).
  return (
    <ScrollArea.Autosize mah={maxHeight} type="auto" viewportProps={{ style: { scrollPaddingTop: 44 } }}>
      <Table aria-label={t("timesheets.attention.label")} stickyHeader striped w="fit-content" miw="100%">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("timesheets.col.date")}</Table.Th>
            <Table.Th>{t("timesheets.col.employee")}</Table.Th>
            <Table.Th>{t("timesheets.colP.name")}</Table.Th>
            <Table.Th>{t("timesheets.attention.what")}</Table.Th>
            <Table.Th style={{ textAlign: "end" }}>{t("timesheets.colP.difference")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map(({ row, reasons }) => (
            <Table.Tr key={rowKey(row)} data-testid="attention-item">
              <Table.Td style={{ whiteSpace: "nowrap" }}>
                <bdi dir="ltr">{row.date}</bdi>
              </Table.Td>
              <Table.Td>{row.employee_number}</Table.Td>
              <Table.Td>
                <bdi>{nameOf(row)}</bdi>
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {reasons.map((r) => (
                    <Badge key={r} variant="light" color={r === "openSession" ? "yellow" : "red"} style={{ textTransform: "none" }}>
                      {t(`timesheets.attention.reasons.${r}`)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td style={{ textAlign: "end" }}>
                {row.difference_minutes === null || row.difference_minutes === undefined ? "" : <bdi dir="ltr">{formatMinutes(row.difference_minutes, display)}</bdi>}
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="light" onClick={() => onOpenDay(row)} aria-label={t("timesheets.attention.fixLabel", { employee: row.employee_number, date: row.date })}>
                  {t("timesheets.attention.fix")}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea.Autosize>
  );
}
