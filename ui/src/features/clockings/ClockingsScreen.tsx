import { Divider, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { PersonSummary } from "../../backend";
import { ScreenHeader } from "../../components/ScreenHeader";
import { ClockingForm } from "./ClockingForm";
import { ImportPanel } from "./ImportPanel";
import { OutboxTable } from "./OutboxTable";

/** Case-insensitive match on name, employee number or badge number. */
export function matchesPerson(p: PersonSummary, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return [p.name, p.employee_number ?? "", p.badge_number ?? ""].some((v) => v.toLowerCase().includes(q));
}

export function ClockingsScreen() {
  const { t } = useTranslation();
  return (
    <Stack>
      <ScreenHeader title={t("clockings.title")} intro={t("clockings.intro")} />
      <ClockingForm />
      <Divider />
      <OutboxTable />
      <Divider />
      <ImportPanel />
    </Stack>
  );
}
