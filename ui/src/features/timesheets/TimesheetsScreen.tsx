import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ComingNext } from "../../components/ComingNext";
import { ScreenHeader } from "../../components/ScreenHeader";

export function TimesheetsScreen() {
  const { t } = useTranslation();
  return (
    <Stack>
      <ScreenHeader title={t("timesheets.title")} intro={t("timesheets.intro")} />
      <ComingNext
        items={[
          "Date range presets, employee and group filters, sortable virtualised table",
          "Protime calculated totals kept current through the delta feed",
          "CSV, XLSX and PDF exports with totals per employee, ISO week and overall",
        ]}
      />
    </Stack>
  );
}
