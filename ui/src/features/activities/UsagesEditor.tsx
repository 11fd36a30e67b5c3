import { Alert, Autocomplete, Button, Group, SegmentedControl, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { useBackend, type UsageForm, type UsageRow } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { StrictDateInput } from "../../components/StrictDateInput";
import { isBlankOrStrictDate, isStrictDate } from "../../components/dates";
import { todayText } from "./model";

const KINDS = ["Person", "Group", "Circle"] as const;

const emptyUsage = (): UsageForm => ({ kind: "Person", reference: "", reference_name: "", from: todayText(), until: "" });

interface Props {
  structureVersion: string;
  level: number;
  id: string;
  usages: UsageRow[];
}

/** Who may book on the definition: add (POST), edit (PUT with the stored period), delete (DELETE). */
export function UsagesEditor({ structureVersion, level, id, usages }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<UsageForm>(emptyUsage);
  const [editing, setEditing] = useState<UsageRow | null>(null);
  // What the last write saved, said in words until the next change.
  const [done, setDone] = useState<string | null>(null);
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  // Custom reference names remembered for this profile (shared with the upsert panel).
  const remembered = useQuery({ queryKey: ["referenceNames"], queryFn: () => backend.referenceNames() });
  const personName = (ref: string) => people.data?.find((p) => String(p.id) === ref)?.name;

  const write = useMutation({
    mutationFn: async (action: ({ kind: "save" } | { kind: "delete"; row: UsageRow }) & { confirmed: boolean }) => {
      if (action.kind === "delete") return backend.activityUsageDelete({ structure_version: structureVersion, level, id }, action.row, action.confirmed);
      if (editing) return backend.activityUsageUpdate({ structure_version: structureVersion, level, id }, editing, form, action.confirmed);
      const rows = await backend.activityUsageAdd({ structure_version: structureVersion, level, id }, form, action.confirmed);
      if (form.reference_name.trim()) {
        queryClient.setQueryData(["referenceNames"], await backend.referenceNameRemember(form.reference_name.trim()));
      }
      return rows;
    },
    onMutate: () => setDone(null),
    onSuccess: (_rows, action) => {
      const usage = action.kind === "delete" ? action.row : form;
      const who = `${t(`activities.usages.kinds.${usage.kind}`, { defaultValue: usage.kind })} ${personName(usage.reference) ?? usage.reference}`;
      const outcome = action.kind === "delete" ? "deleted" : editing ? "changed" : "added";
      setDone(t(`activities.usages.done.${outcome}`, { who, from: usage.from }));
      setEditing(null);
      setForm(emptyUsage());
      void queryClient.invalidateQueries({ queryKey: ["activities"] });
    },
  });
  const byPerson = form.kind === "Person" && !form.reference_name;
  const kindLabelId = "usage-kind-label";

  return (
    <Stack>
      <Title order={4}>{t("activities.usages.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("activities.usages.intro")}
      </Text>
      <Table aria-label={t("activities.usages.table")} striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("activities.usages.kind")}</Table.Th>
            <Table.Th>{t("activities.usages.reference")}</Table.Th>
            <Table.Th>{t("activities.usages.from")}</Table.Th>
            <Table.Th>{t("activities.usages.until")}</Table.Th>
            <Table.Th>{t("activities.usages.actions")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {usages.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>{t("activities.usages.none")}</Table.Td>
            </Table.Tr>
          )}
          {usages.map((u) => (
            <Table.Tr key={`${u.kind}-${u.reference}-${u.from}`}>
              <Table.Td>{t(`activities.usages.kinds.${u.kind}`, { defaultValue: u.kind })}</Table.Td>
              <Table.Td>
                {u.reference_name ? `${u.reference_name}=${u.reference}` : u.reference}
                {u.kind === "Person" && !u.reference_name && personName(u.reference) ? ` · ${personName(u.reference)}` : ""}
              </Table.Td>
              <Table.Td>{u.from}</Table.Td>
              <Table.Td>{u.until ?? t("activities.usages.openEnd")}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Button
                    size="xs"
                    variant="light"
                    aria-label={t("activities.usages.editRow", { from: u.from })}
                    onClick={() => {
                      setEditing(u);
                      setForm({ kind: u.kind, reference: u.reference, reference_name: u.reference_name ?? "", from: u.from, until: u.until ?? "" });
                    }}
                  >
                    {t("activities.usages.edit")}
                  </Button>
                  <Button
                    size="xs"
                    variant="light"
                    color="red"
                    aria-label={t("activities.usages.deleteRow", { from: u.from })}
                    loading={write.isPending}
                    onClick={() => confirmWrite((confirmed) => write.mutate({ kind: "delete", row: u, confirmed }))}
                  >
                    {t("activities.usages.delete")}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Stack gap="sm" component="form" aria-label={t("activities.usages.form")} onSubmit={(e) => e.preventDefault()}>
        <Text fw={500} size="sm">
          {editing ? t("activities.usages.editing", { from: editing.from }) : t("activities.usages.adding")}
        </Text>
        <Stack gap={4}>
          <Text size="sm" fw={500} id={kindLabelId}>
            {t("activities.usages.kind")}
          </Text>
          <SegmentedControl
            aria-labelledby={kindLabelId}
            disabled={editing !== null}
            value={form.kind}
            data={KINDS.map((k) => ({ value: k, label: t(`activities.usages.kinds.${k}`) }))}
            onChange={(v) => setForm({ ...form, kind: v, reference: "" })}
          />
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {byPerson ? (
            <Select
              label={t("activities.usages.person")}
              searchable
              disabled={editing !== null}
              data={(people.data ?? []).map((p) => ({ value: String(p.id), label: `${p.name} (${p.employee_number ?? p.id})` }))}
              value={form.reference || null}
              onChange={(v) => setForm({ ...form, reference: v ?? "" })}
            />
          ) : (
            <TextInput
              label={t("activities.usages.reference")}
              disabled={editing !== null}
              value={form.reference}
              onChange={(e) => setForm({ ...form, reference: e.currentTarget.value })}
            />
          )}
          <Autocomplete
            label={t("activities.usages.referenceName")}
            description={t("activities.usages.referenceNameHint")}
            disabled={editing !== null}
            data={remembered.data ?? []}
            value={form.reference_name}
            onChange={(v) => setForm({ ...form, reference_name: v })}
          />
          <StrictDateInput label={t("activities.usages.from")} value={form.from} onChange={(v) => setForm({ ...form, from: v })} />
          <StrictDateInput
            label={t("activities.usages.until")}
            description={t("activities.usages.untilHint")}
            optional
            value={form.until}
            onChange={(v) => setForm({ ...form, until: v })}
          />
        </SimpleGrid>
        {write.isError && <ErrorNotice error={write.error} />}
        {done && (
          <Alert color="green" role="status" title={t("activities.usages.done.title")} withCloseButton onClose={() => setDone(null)}>
            {done}
          </Alert>
        )}
        <Group>
          <Button
            disabled={!form.reference || !isStrictDate(form.from) || !isBlankOrStrictDate(form.until ?? "")}
            loading={write.isPending} onClick={() => confirmWrite((confirmed) => write.mutate({ kind: "save", confirmed }))}>
            {editing ? t("activities.usages.save") : t("activities.usages.add")}
          </Button>
          {editing && (
            <Button
              variant="default"
              onClick={() => {
                setEditing(null);
                setForm(emptyUsage());
              }}
            >
              {t("activities.editor.cancel")}
            </Button>
          )}
        </Group>
      </Stack>
    </Stack>
  );
}
