import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { useBackend, type DefinitionForm, type DefinitionRow, type FieldChange } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { StrictDateInput } from "../../components/StrictDateInput";
import { isStrictDate } from "../../components/dates";
import { LANGUAGES, emptyForm, formOf, formProblems, todayText } from "./model";

export type EditorMode = { kind: "create" } | { kind: "edit"; row: DefinitionRow } | { kind: "move"; row: DefinitionRow };

interface Props {
  structureVersion: string;
  level: number;
  levelName: string;
  parentLevelName: string | null;
  mode: EditorMode;
  onDone: (message: string) => void;
  onCancel: () => void;
}

/** The fields of a definition: the default name and its translations side by side, codes, info, dates. */
export function DefinitionFields({
  form,
  set,
  problems,
}: {
  form: DefinitionForm;
  set: (f: DefinitionForm) => void;
  problems: string[];
}) {
  const { t } = useTranslation();
  const translations = form.translations as Record<string, string>;
  const err = (k: string, msg: string) => (problems.includes(k) ? msg : undefined);
  return (
    <Stack gap="sm">
      <TextInput
        label={t("activities.field.name")}
        value={form.name}
        error={err("name", t("activities.problem.name"))}
        onChange={(e) => set({ ...form, name: e.currentTarget.value })}
      />
      <SimpleGrid cols={2}>
        {LANGUAGES.map((lang) => (
          <TextInput
            key={lang}
            label={t("activities.field.translation", { lang })}
            value={translations[lang] ?? ""}
            onChange={(e) => set({ ...form, translations: { ...translations, [lang]: e.currentTarget.value } })}
          />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label={t("activities.field.shortCode")}
          value={form.short_code}
          onChange={(e) => set({ ...form, short_code: e.currentTarget.value })}
        />
        <TextInput
          label={t("activities.field.dataEntryCode")}
          description={t("activities.field.codeHint")}
          value={form.data_entry_code}
          error={err("data_entry_code", t("activities.problem.tooLong"))}
          onChange={(e) => set({ ...form, data_entry_code: e.currentTarget.value })}
        />
        <TextInput
          label={t("activities.field.externalReference")}
          description={t("activities.field.codeHint")}
          value={form.external_reference}
          error={err("external_reference", t("activities.problem.tooLong"))}
          onChange={(e) => set({ ...form, external_reference: e.currentTarget.value })}
        />
      </SimpleGrid>
      <Textarea label={t("activities.field.info")} value={form.info} onChange={(e) => set({ ...form, info: e.currentTarget.value })} />
      <SimpleGrid cols={2}>
        <StrictDateInput
          label={t("activities.field.activeFrom")}
          optional
          value={form.active_from}
          showError={problems.includes("active_from")}
          onChange={(v) => set({ ...form, active_from: v })}
        />
        <StrictDateInput
          label={t("activities.field.activeUntil")}
          optional
          value={form.active_until}
          showError={problems.includes("active_until")}
          error={isStrictDate(form.active_until) ? err("active_until", t("activities.problem.until")) : undefined}
          onChange={(v) => set({ ...form, active_until: v })}
        />
      </SimpleGrid>
    </Stack>
  );
}

export function DiffTable({ changes }: { changes: FieldChange[] }) {
  const { t } = useTranslation();
  if (changes.length === 0) return <Text size="sm">{t("activities.diff.none")}</Text>;
  return (
    <Table aria-label={t("activities.diff.table")} striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("activities.diff.field")}</Table.Th>
          <Table.Th>{t("activities.diff.before")}</Table.Th>
          <Table.Th>{t("activities.diff.after")}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td>{c.field}</Table.Td>
            <Table.Td>{c.before || t("activities.diff.empty")}</Table.Td>
            <Table.Td>{c.after || t("activities.diff.empty")}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Create, edit (full record, diff preview before saving) or move a definition. */
export function DefinitionEditor({ structureVersion, level, levelName, parentLevelName, mode, onDone, onCancel }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<DefinitionForm>(() => {
    if (mode.kind === "create") return emptyForm();
    const f = formOf(mode.row);
    if (mode.kind === "move") return { ...f, data_entry_code: "", external_reference: "", active_from: "", active_until: "", parent_id: "" };
    return f;
  });
  const [endOn, setEndOn] = useState(todayText());
  const [preview, setPreview] = useState<FieldChange[] | null>(null);
  const parents = useQuery({
    queryKey: ["activities", "list", structureVersion, level - 1, todayText()],
    queryFn: () => backend.activityList({ structure_version: structureVersion, level: level - 1 }, todayText()),
    enabled: level > 1,
  });
  const parentOptions = (parents.data ?? [])
    .filter((p) => mode.kind !== "move" || p.id !== mode.row.parent_id)
    .map((p) => ({ value: p.id, label: `${p.name}${p.external_reference ? ` (${p.external_reference})` : ""}` }));
  const parentName = (id: string | null) => parents.data?.find((p) => p.id === id)?.name ?? id ?? "—";
  const [initial] = useState(() => JSON.stringify(form));
  // The parent is optional when creating (the seed); a move exists to give a new parent.
  const problems = formProblems(form, mode.kind === "move");
  // Problems are shown once the person has typed something; the button is disabled either way.
  const shown = JSON.stringify(form) === initial ? [] : problems;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["activities"] });

  const confirmWrite = useConfirmWrite();
  const save = useMutation({
    mutationFn: async (confirmed: boolean) => {
      if (mode.kind === "create") {
        const id = await backend.activityCreate({ structure_version: structureVersion, level }, form, confirmed);
        return t("activities.done.created", { id });
      }
      if (mode.kind === "edit") {
        const changes = await backend.activityEdit({ structure_version: structureVersion, level, id: mode.row.id }, form, confirmed);
        return t("activities.done.edited", { count: changes.length });
      }
      const moved = await backend.activityMove({ structure_version: structureVersion, level, id: mode.row.id }, endOn, form, confirmed);
      return t("activities.done.moved", { id: moved.new_id, date: moved.ended_on });
    },
    onSuccess: (message) => {
      setPreview(null);
      void refresh();
      onDone(message);
    },
  });
  const check = useMutation({
    mutationFn: () => backend.activityEditPreview({ structure_version: structureVersion, level, id: (mode as { row: DefinitionRow }).row.id }, form),
    onSuccess: setPreview,
  });

  const title =
    mode.kind === "create"
      ? t("activities.editor.create", { level: levelName })
      : mode.kind === "edit"
        ? t("activities.editor.edit", { name: mode.row.name })
        : t("activities.editor.move", { name: mode.row.name });

  return (
    <Stack component="form" aria-label={title} onSubmit={(e) => e.preventDefault()}>
      <Title order={3}>{title}</Title>
      {mode.kind === "move" && (
        <Alert color="blue" title={t("activities.move.title")}>
          {t("activities.move.explain")}
        </Alert>
      )}
      {level > 1 && mode.kind === "edit" && (
        <TextInput
          label={t("activities.field.parent", { level: parentLevelName ?? "" })}
          value={parentName(mode.row.parent_id)}
          readOnly
          description={t("activities.field.parentReadOnly")}
        />
      )}
      {level > 1 && mode.kind !== "edit" && (
        <Select
          label={mode.kind === "move" ? t("activities.move.newParent", { level: parentLevelName ?? "" }) : t("activities.field.parent", { level: parentLevelName ?? "" })}
          searchable
          data={parentOptions}
          value={form.parent_id || null}
          error={shown.includes("parent_id") ? t("activities.problem.parent") : undefined}
          onChange={(v) => setForm({ ...form, parent_id: v ?? "" })}
        />
      )}
      {mode.kind === "move" && (
        <StrictDateInput
          label={t("activities.move.endOn")}
          description={t("activities.move.endOnHint")}
          value={endOn}
          onChange={setEndOn}
        />
      )}
      <DefinitionFields form={form} set={setForm} problems={shown} />
      {(save.isError || check.isError) && <ErrorNotice error={save.error ?? check.error} />}
      <Group>
        {mode.kind === "edit" ? (
          <Button disabled={problems.length > 0} loading={check.isPending} onClick={() => check.mutate()}>
            {t("activities.editor.review")}
          </Button>
        ) : (
          <Button
            disabled={problems.length > 0 || (mode.kind === "move" && !isStrictDate(endOn))}
            loading={save.isPending}
            onClick={() => confirmWrite((confirmed) => save.mutate(confirmed))}
          >
            {mode.kind === "create" ? t("activities.editor.createButton") : t("activities.move.button")}
          </Button>
        )}
        <Button variant="default" onClick={onCancel}>
          {t("activities.editor.cancel")}
        </Button>
      </Group>
      <Modal opened={preview !== null} onClose={() => setPreview(null)} title={t("activities.diff.title")} size="lg">
        <Stack>
          <Text size="sm">{t("activities.diff.explain")}</Text>
          <DiffTable changes={preview ?? []} />
          {save.isError && <ErrorNotice error={save.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setPreview(null)}>
              {t("activities.editor.back")}
            </Button>
            <Button loading={save.isPending} disabled={(preview ?? []).length === 0} onClick={() => confirmWrite((confirmed) => save.mutate(confirmed))}>
              {t("activities.editor.save")}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
