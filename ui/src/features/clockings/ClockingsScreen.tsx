import { Divider, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ScreenHeader } from "../../components/ScreenHeader";
import { ClockingForm } from "./ClockingForm";
import { ImportPanel } from "./ImportPanel";
import { OutboxTable } from "./OutboxTable";

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
