import { Alert, Button, Drawer, Group, List, Loader, Modal, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type DayRow, type OutboxItem, type PersonSummary, type ReportSource } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ClockingForm } from "../clockings/ClockingForm";
import { explainDay, suggestedTime } from "./dayDetail";
import { DayLines } from "./DayLines";
import { formatMinutes, type HoursDisplay } from "./period";

/**
 * One person's day from the report, both systems side by side: Protime's clockings of the day (read
 * live with the clockings list and its person filter) and TimeClock 365's sessions, lunches and work
 * logs, with the difference explained where the data can say why. "Add clocking" opens the clocking
 * form pre-filled with the person, the day and the time TimeClock 365 suggests; once it is sent the
 * report refreshes (`onFixed`) and this view follows the new figures.
 */
export function DayDetail({
  row,
  source,
  display,
  name,
  person,
  onClose,
  onFixed,
}: {
  row: DayRow | null;
  source: ReportSource;
  display: HoursDisplay;
  name: string;
  /** The Protime person with the row's employee number; null when Protime has none, undefined while loading. */
  person: PersonSummary | null | undefined;
  onClose: () => void;
  onFixed: () => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [sent, setSent] = useState<OutboxItem | null>(null);
  const h = (m: number) => formatMinutes(m, display);
  const day = useQuery({
    queryKey: ["reportDay", person?.id, row?.date],
    queryFn: () =>
      backend.clockingDay({
        person: { by: "Id", id: String(person!.id) },
        date: row!.date,
        time: "",
        day: "SameDay",
        kind: "InOut",
        activity_levels: [],
      }),
    enabled: !!row && !!person,
  });
  const clockings = day.data?.clockings;
  const why = row ? explainDay(row, clockings) : [];
  const suggestion = row ? suggestedTime(row, clockings) : null;
  const title = row ? `${name ? `${name} · ` : ""}${row.employee_number} · ${row.date}` : "";
  const withTimeClock = source !== "Protime";

  const sentNow = (item: OutboxItem) => {
    if (item.status === "Rejected" || item.status === "Discarded") return;
    setAdding(false);
    setSent(item);
    void queryClient.invalidateQueries({ queryKey: ["reportDay"] });
    onFixed();
  };
  const close = () => {
    setSent(null);
    onClose();
  };

  return (
    <>
    {/* The form's dialog replaces the drawer while it is open (never one overlay inside another);
        the drawer comes back with the new figures once the clocking is sent. */}
    <Drawer opened={row !== null && !adding} onClose={close} position="right" size={620} title={<bdi>{title}</bdi>}>
      {row && (
        <Stack gap="md">
          <Group gap="xl" aria-label={t("timesheets.dayDetail.figures")}>
            {withTimeClock && <Figure label={t("timesheets.col.worked")} value={h(row.worked_minutes)} />}
            {row.protime && <Figure label={t("timesheets.colP.present")} value={h(row.protime.present_minutes)} />}
            {row.protime && <Figure label={t("timesheets.colP.calculated")} value={h(row.protime.calculated_minutes)} />}
            {row.difference_minutes !== null && row.difference_minutes !== undefined && (
              <Figure
                label={t("timesheets.colP.difference")}
                value={h(row.difference_minutes)}
                testId="day-difference"
                color={row.outside_tolerance ? "red" : "teal"}
              />
            )}
          </Group>
          {sent && (
            <Alert color="green" role="status" title={t("timesheets.dayDetail.sentTitle")}>
              {t("timesheets.dayDetail.sent", { time: sent.time_text, status: t(`outbox.status.${sent.status}`) })}
            </Alert>
          )}
          {why.length > 0 && (
            <Stack gap={4}>
              <Title order={5}>{t("timesheets.dayDetail.why")}</Title>
              <List size="sm" data-testid="day-why">
                {why.map((w) => (
                  <List.Item key={w.key}>{t(`timesheets.why.${w.key}`, w.values)}</List.Item>
                ))}
              </List>
            </Stack>
          )}
          <SimpleGrid cols={withTimeClock ? 2 : 1} spacing="lg">
            <Stack gap={6}>
              <Title order={5}>{t("timesheets.dayDetail.protime")}</Title>
              {person === undefined || day.isLoading ? (
                <Loader size="sm" aria-label={t("common.loading")} />
              ) : person === null ? (
                <Text size="sm" c="dimmed">
                  {t("timesheets.dayDetail.noPerson", { employee: row.employee_number })}
                </Text>
              ) : day.isError ? (
                <ErrorNotice error={day.error} onRetry={() => void day.refetch()} />
              ) : clockings && clockings.length > 0 ? (
                <ul aria-label={t("timesheets.dayDetail.protimeList")} style={{ listStyle: "none", margin: 0, padding: 0 }}>
                  {clockings.map((c) => (
                    <li key={c.id ?? c.time_text} style={{ display: "flex", gap: 12, fontSize: 14, lineHeight: "26px" }}>
                      <span style={{ width: 90, flex: "none" }}>{c.time_text}</span>
                      <span>
                        {t(`clockings.kinds.${c.kind}`, { defaultValue: c.kind })}
                        {c.generated ? ` · ${t("clockings.onDay.generated")}` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <Text size="sm" c="dimmed">
                  {t("timesheets.dayDetail.noClockings")}
                </Text>
              )}
            </Stack>
            {withTimeClock && (
              <Stack gap={6}>
                <Title order={5}>{t("timesheets.dayDetail.timeclock")}</Title>
                {row.punches.length + row.work_logs.length + row.absence_details.length > 0 ? (
                  <DayLines row={row} display={display} label={t("timesheets.dayDetail.timeclockList")} wrap />
                ) : (
                  <Text size="sm" c="dimmed">
                    {t("timesheets.dayDetail.noSessions")}
                  </Text>
                )}
                {row.lunch_minutes > 0 && <Text size="sm">{t("timesheets.dayDetail.lunch", { minutes: h(row.lunch_minutes) })}</Text>}
              </Stack>
            )}
          </SimpleGrid>
          <Group>
            <Button onClick={() => setAdding(true)} disabled={!person}>
              {t("timesheets.dayDetail.add")}
            </Button>
            {suggestion && (
              <Text size="sm" c="dimmed">
                {t("timesheets.dayDetail.suggested", { time: suggestion })}
              </Text>
            )}
          </Group>
        </Stack>
      )}
    </Drawer>
    {row && (
      <Modal opened={adding} onClose={() => setAdding(false)} size="min(1100px, 96vw)" title={t("timesheets.dayDetail.addTitle", { name: name || row.employee_number, date: row.date })}>
        {adding && person && (
          <ClockingForm
            initial={{ personMode: "pick", personId: String(person.id), date: row.date, time: suggestion ?? "", kind: "InOut" }}
            onSent={sentNow}
            stickyActions={false}
          />
        )}
      </Modal>
    )}
    </>
  );
}

function Figure({ label, value, color, testId }: { label: string; value: string; color?: string; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg" c={color} data-testid={testId} dir="ltr" style={{ textAlign: "start", unicodeBidi: "isolate" }}>
        {value}
      </Text>
    </Stack>
  );
}
