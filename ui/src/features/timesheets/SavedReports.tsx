import { Button, Group, Popover, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type ReportPreset, type ReportPresetInput } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";

/** The settings a saved report holds: all of a preset but its name. */
export type PresetSettings = Omit<ReportPresetInput, "name">;

/** JSON with object keys in sorted order, so equal settings compare equal whatever built them. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Whether the screen's settings are exactly a preset's. */
export function sameSettings(a: PresetSettings, b: PresetSettings): boolean {
  return stable({ source: a.source, options: a.options, format: a.format }) === stable({ source: b.source, options: b.options, format: b.format });
}

/**
 * Saved reports of the active profile: choosing one sets source, tolerance, rounding, hours,
 * columns and the export format; "Save as…" keeps the settings on screen under a name (the same
 * name replaces); the chosen one can be deleted. The list shows a saved report as chosen only while
 * the screen's settings are exactly its own, so it never claims settings that were changed since.
 */
export function SavedReports({ current, onApply }: { current: PresetSettings; onApply: (preset: ReportPreset) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const presets = useQuery({ queryKey: ["reportPresets"], queryFn: () => backend.reportPresets() });
  const applied = (presets.data ?? []).find((p) => sameSettings(p, current))?.name ?? null;
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const saved = (list: ReportPreset[]) => queryClient.setQueryData(["reportPresets"], list);
  const save = useMutation({
    mutationFn: (n: string) => backend.reportPresetSave({ ...current, name: n }),
    onSuccess: (list, n) => {
      saved(list);
      setNaming(false);
      setDone(t("timesheets.saved.savedAs", { name: n.trim() }));
    },
  });
  const remove = useMutation({
    mutationFn: (n: string) => backend.reportPresetDelete(n),
    onSuccess: (list, n) => {
      saved(list);
      setDone(t("timesheets.saved.deleted", { name: n }));
    },
  });
  const nameError = naming && save.isError ? save.error : null;
  return (
    <Group align="flex-end" gap={6} wrap="nowrap">
      <Select
        label={t("timesheets.saved.label")}
        placeholder={(presets.data ?? []).length === 0 ? t("timesheets.saved.none") : t("timesheets.saved.choose")}
        data={(presets.data ?? []).map((p) => p.name)}
        value={applied}
        onChange={(v) => {
          const preset = presets.data?.find((p) => p.name === v);
          if (preset) {
            onApply(preset);
            setDone(null);
          }
        }}
        allowDeselect={false}
        disabled={(presets.data ?? []).length === 0}
        w={190}
      />
      <Popover
        opened={naming}
        onChange={setNaming}
        position="bottom-start"
        width={320}
        shadow="md"
        trapFocus
        onOpen={() => {
          setName(applied ?? "");
          save.reset();
        }}
      >
        <Popover.Target>
          <Button variant="default" onClick={() => setNaming((o) => !o)}>
            {t("timesheets.saved.saveAs")}
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate(name);
            }}
          >
            <Stack gap="xs">
              <TextInput
                label={t("timesheets.saved.name")}
                description={t("timesheets.saved.nameHelp")}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                maxLength={60}
                data-autofocus
              />
              {nameError && <ErrorNotice error={nameError} />}
              <Group justify="flex-end">
                <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
                  {t("timesheets.saved.save")}
                </Button>
              </Group>
            </Stack>
          </form>
        </Popover.Dropdown>
      </Popover>
      {applied && (
        <Button variant="subtle" color="red" onClick={() => remove.mutate(applied)} loading={remove.isPending} aria-label={t("timesheets.saved.deleteNamed", { name: applied })}>
          {t("timesheets.saved.delete")}
        </Button>
      )}
      {done && (
        <Text size="sm" c="dimmed" role="status" mb={8}>
          {done}
        </Text>
      )}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {presets.isError && <ErrorNotice error={presets.error} />}
    </Group>
  );
}
