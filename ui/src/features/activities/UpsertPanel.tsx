import { Alert, Badge, Button, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { useBackend, type DefinitionForm, type UpsertReport } from "../../backend";
import { CsvInput } from "../../components/CsvInput";
import { ReferenceNameInput } from "../../components/ReferenceNameInput";
import { ErrorNotice } from "../../components/ErrorNotice";
import { DefinitionFields } from "./DefinitionEditor";
import { emptyForm, formProblems, PREDEFINED_DEFINITION_REFERENCES, referenceNameProblem, todayText } from "./model";

interface Props {
  structureVersion: string;
  level: number;
  levelName: string;
}

/** Upsert one definition by external reference, or many from a CSV (every row checked first). */
export function UpsertPanel({ structureVersion, level, levelName }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const [refName, setRefName] = useState("@external-reference");
  const [refValue, setRefValue] = useState("");
  const [form, setForm] = useState<DefinitionForm>(emptyForm);
  const [text, setText] = useState("");
  const [report, setReport] = useState<UpsertReport | null>(null);
  const parents = useQuery({
    queryKey: ["activities", "list", structureVersion, level - 1, todayText()],
    queryFn: () => backend.activityList({ structure_version: structureVersion, level: level - 1 }, todayText()),
    enabled: level > 1,
  });
  const refProblem = referenceNameProblem(refName);
  const one = useMutation({
    mutationFn: (confirmed: boolean) => backend.activityUpsert({ structure_version: structureVersion, level }, { name: refName.trim(), value: refValue }, form, confirmed),
    onSuccess: async () => {
      void queryClient.invalidateQueries({ queryKey: ["activities"] });
      if (!refName.trim().startsWith("@")) {
        queryClient.setQueryData(["referenceNames"], await backend.referenceNameRemember(refName.trim()));
      }
    },
  });
  const check = useQuery({
    queryKey: ["activitiesImportCheck", text],
    queryFn: () => backend.activitiesImportCheck(text),
    enabled: text.trim().length > 0,
  });
  const send = useMutation({
    mutationFn: (confirmed: boolean) => backend.activitiesImportSend({ structure_version: structureVersion, level }, text, confirmed),
    onSuccess: (r) => {
      setReport(r);
      void queryClient.invalidateQueries({ queryKey: ["activities"] });
    },
  });
  const plan = check.data;
  const problems = formProblems(form, false);

  return (
    <Stack>
      <Title order={3}>{t("activities.upsert.title", { level: levelName })}</Title>
      <Text size="sm" c="dimmed" maw={860}>
        {t("activities.upsert.intro")}
      </Text>
      <Stack component="form" aria-label={t("activities.upsert.form")} onSubmit={(e) => e.preventDefault()}>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <ReferenceNameInput
            label={t("activities.upsert.referenceName")}
            description={t("activities.upsert.referenceNameHint")}
            predefined={PREDEFINED_DEFINITION_REFERENCES}
            value={refName}
            onChange={setRefName}
          />
          <TextInput label={t("activities.upsert.referenceValue")} value={refValue} onChange={(e) => setRefValue(e.currentTarget.value)} />
          {level > 1 && (
            <Select
              label={t("activities.upsert.parent")}
              description={t("activities.upsert.parentHint")}
              searchable
              clearable
              data={(parents.data ?? []).map((p) => ({ value: p.id, label: `${p.name}${p.external_reference ? ` (${p.external_reference})` : ""}` }))}
              value={form.parent_id || null}
              onChange={(v) => setForm({ ...form, parent_id: v ?? "" })}
            />
          )}
        </SimpleGrid>
        <DefinitionFields form={form} set={setForm} problems={refValue.trim() || form.name.trim() ? problems : []} />
        {one.isError && <ErrorNotice error={one.error} />}
        {one.data && (
          <Alert color="green" role="status" aria-label={t("activities.upsert.result")}>
            {one.data.created ? t("activities.upsert.created", { id: one.data.id ?? "" }) : t("activities.upsert.updated", { id: one.data.id ?? "" })}
          </Alert>
        )}
        <Group>
          <Button disabled={problems.length > 0 || !refValue.trim() || refProblem !== null} loading={one.isPending} onClick={() => confirmWrite((confirmed) => one.mutate(confirmed))}>
            {t("activities.upsert.button")}
          </Button>
        </Group>
      </Stack>
      <Title order={4}>{t("activities.csv.title")}</Title>
      <Text size="sm" c="dimmed" maw={860}>
        {t("activities.csv.intro")}
      </Text>
      <CsvInput
        text={text}
        onText={(value) => {
          setReport(null);
          setText(value);
        }}
        fileLabel={t("activities.csv.file")}
        pasteLabel={t("activities.csv.paste")}
        problemsTitle={t("activities.csv.problems", { count: plan?.errors.length ?? 0 })}
        problemsTableLabel={t("activities.csv.problemsTable")}
        problems={plan?.errors ?? []}
      />
      {plan && plan.rows.length > 0 && !report && (
        <Group>
          <Text size="sm">{t("activities.csv.ready", { count: plan.rows.length })}</Text>
          <Button onClick={() => confirmWrite((confirmed) => send.mutate(confirmed))} loading={send.isPending}>
            {t("activities.csv.send", { count: plan.rows.length })}
          </Button>
        </Group>
      )}
      {send.isError && <ErrorNotice error={send.error} />}
      {report && (
        <Stack gap="xs">
          <Text size="sm" role="status" aria-label={t("activities.csv.summary")}>
            {t("activities.csv.counts", { created: report.created, updated: report.updated, refused: report.refused })}
          </Text>
          <Table aria-label={t("activities.csv.results")} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("activities.csv.line")}</Table.Th>
                <Table.Th>{t("activities.field.externalReference")}</Table.Th>
                <Table.Th>{t("activities.csv.outcome")}</Table.Th>
                <Table.Th>{t("activities.csv.reasons")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.rows.map((r) => (
                <Table.Tr key={r.line}>
                  <Table.Td>{r.line}</Table.Td>
                  <Table.Td>{r.external_reference}</Table.Td>
                  <Table.Td>
                    <Badge color={r.outcome === "Refused" ? "red" : r.outcome === "Uncertain" ? "orange" : "green"}>{t(`activities.csv.outcomes.${r.outcome}`, { defaultValue: r.outcome })}</Badge>
                  </Table.Td>
                  <Table.Td>{r.reasons.join(" · ")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Stack>
  );
}
