import { Badge, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type ImportedRow } from "../../backend";
import { localDateTime } from "./OutboxTable";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { CsvInput } from "../../components/CsvInput";
import { ErrorNotice } from "../../components/ErrorNotice";

/** CSV import: every row is checked in Rust before anything is sent; then each row goes through the outbox. */
export function ImportPanel() {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [result, setResult] = useState<ImportedRow[] | null>(null);
  const check = useQuery({
    queryKey: ["importCheck", text],
    queryFn: () => backend.clockingsImportCheck(text),
    enabled: text.trim().length > 0,
  });
  const send = useMutation({
    mutationFn: (confirmed: boolean) => backend.clockingsImportSend(text, confirmed),
    onSuccess: (rows) => {
      setResult(rows);
      void queryClient.invalidateQueries({ queryKey: ["outbox"] });
    },
  });
  const plan = check.data;

  return (
    <Stack>
      <Title order={3}>{t("import.title")}</Title>
      <Text size="sm" c="dimmed" maw={860}>
        {t("import.intro")}
      </Text>
      <CsvInput
        text={text}
        onText={(value) => {
          setResult(null);
          setText(value);
        }}
        fileLabel={t("import.file")}
        pasteLabel={t("import.paste")}
        problemsTitle={t("import.problems", { count: plan?.errors.length ?? 0 })}
        problemsTableLabel={t("import.problemsTable")}
        problems={plan?.errors ?? []}
      />
      {plan && plan.errors.length === 0 && plan.rows.length > 0 && !result && (
        <Group>
          <Text size="sm">{t("import.ready", { count: plan.rows.length })}</Text>
          <Button onClick={() => confirmWrite((confirmed) => send.mutate(confirmed))} loading={send.isPending}>
            {t("import.send", { count: plan.rows.length })}
          </Button>
        </Group>
      )}
      {send.isError && <ErrorNotice error={send.error} />}
      {result && (
        <Table aria-label={t("import.results")} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("import.line")}</Table.Th>
              <Table.Th>{t("outbox.statusLabel")}</Table.Th>
              <Table.Th>{t("outbox.protimeId")}</Table.Th>
              <Table.Th>{t("outbox.message")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.map((r) => (
              <Table.Tr key={r.line} data-status={r.item.status}>
                <Table.Td>{r.line}</Table.Td>
                <Table.Td>
                  <Badge color={r.item.status === "Sent" ? "green" : r.item.status === "Rejected" ? "red" : "orange"}>
                    {t(`outbox.status.${r.item.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>{r.item.remote_id ?? "—"}</Table.Td>
                <Table.Td>
                  {r.already_sent_at
                    ? t("import.alreadySent", { when: localDateTime(r.already_sent_at) })
                    : [r.item.message, ...r.item.reasons].filter(Boolean).join(" · ")}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
