import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ComingNext } from "../../components/ComingNext";
import { ScreenHeader } from "../../components/ScreenHeader";

export function AccessScreen() {
  const { t } = useTranslation();
  return (
    <Stack>
      <ScreenHeader title={t("access.title")} intro={t("access.intro")} />
      <ComingNext items={["Lookup by id with the person by employee number", "List by date range and person, statuses explained"]} />
    </Stack>
  );
}
