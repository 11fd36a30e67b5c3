import { Badge, Card, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useBackend } from "../../backend";
import { ComingNext } from "../../components/ComingNext";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";

export function SettingsScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const profile = useQuery({ queryKey: ["activeProfile"], queryFn: () => backend.activeProfile() });
  const info = useQuery({ queryKey: ["appInfo"], queryFn: () => backend.appInfo() });
  return (
    <Stack>
      <ScreenHeader title={t("settings.title")} intro={t("settings.intro")} />
      <Card withBorder maw={860}>
        <Title order={3} mb="sm">
          {t("settings.activeProfile")}
        </Title>
        {profile.isPending && <Loader aria-label={t("common.loading")} />}
        {profile.isError && <ErrorNotice error={profile.error} />}
        {profile.data && (
          <Stack gap="xs">
            <Group>
              <Badge color={profile.data.color} size="lg">
                {profile.data.name}
              </Badge>
              {profile.data.is_builtin && <Text size="sm">{t("settings.builtin")}</Text>}
            </Group>
            <Table aria-label={t("settings.activeProfile")}>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th>{t("settings.sandboxUrl")}</Table.Th>
                  <Table.Td>{info.data?.sandbox_url ?? "—"}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t("settings.version")}</Table.Th>
                  <Table.Td>{info.data?.version ?? "…"}</Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Stack>
        )}
      </Card>
      <ComingNext
        items={[
          "Add, edit, duplicate, delete and switch profiles; secrets in the OS keychain",
          "Test connection per system with a specific message per failure",
          "Audit log browser with CSV export; open log folder",
        ]}
      />
    </Stack>
  );
}
