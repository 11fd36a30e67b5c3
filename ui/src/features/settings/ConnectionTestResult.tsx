import { Badge, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { ConnectionTest, SystemTest } from "../../backend";

// What a connection test found, per system: shown in the profiles table right under the profile's
// row, next to the button that ran it.

function SystemResult({ label, result }: { label: string; result: SystemTest }) {
  const { t } = useTranslation();
  const problem = result.problem;
  return (
    <Stack gap={4} role="status" aria-label={`${label}: ${result.ok ? t("settings.test.ok") : t("settings.test.failed")}`}>
      <Group gap="xs">
        <Badge color={result.ok ? "green" : "red"}>{label}</Badge>
        <Text fw={600} size="sm">
          {result.ok ? t("settings.test.ok") : t(`settings.problem.${problem?.kind ?? "Other"}`)}
        </Text>
        <Text size="xs" c="dimmed">
          {result.latency_ms} ms
        </Text>
      </Group>
      <Text size="sm">{result.message}</Text>
      {problem?.kind === "MissingScope" && (
        <Table withTableBorder aria-label={t("settings.test.scopes")}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th>{t("settings.test.missing")}</Table.Th>
              <Table.Td>{problem.missing.join(", ") || "—"}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("settings.test.granted")}</Table.Th>
              <Table.Td>{problem.granted.join(", ") || "—"}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t("settings.test.requested")}</Table.Th>
              <Table.Td>{problem.requested.join(", ")}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

export function ConnectionTestResult({ test, name }: { test: ConnectionTest; name: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder aria-label={t("settings.test.title", { name })} component="section">
      <Title order={4} mb="xs">
        {t("settings.test.title", { name })}
      </Title>
      <Stack>
        <SystemResult label={t("status.protime")} result={test.protime} />
        <SystemResult label={t("status.timeclock")} result={test.timeclock} />
      </Stack>
    </Card>
  );
}

