import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { ComingNext } from "../../components/ComingNext";
import { ScreenHeader } from "../../components/ScreenHeader";

export function ActivitiesScreen() {
  const { t } = useTranslation();
  return (
    <Stack>
      <ScreenHeader title={t("activities.title")} intro={t("activities.intro")} />
      <ComingNext
        items={[
          "Tree across levels, list per level with active state on a chosen date",
          "Create, edit with diff preview, upsert by external reference, CSV bulk upsert",
          "Usage and restriction editors",
        ]}
      />
    </Stack>
  );
}
