import { Alert, Button, Group, Menu, Modal, Stack, Text, TextInput } from "@mantine/core";
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
 * Saved reports of the active profile, in one menu on the title line: choosing one sets source,
 * tolerance, rounding, hours, columns and the export format; "Save as…" keeps the settings on
 * screen under a name (the same name replaces); the chosen one can be deleted. The button names a
 * saved report only while the screen's settings are exactly its own, so it never claims settings
 * that were changed since.
 */
export function SavedReports({ current, onApply }: { current: PresetSettings; onApply: (preset: ReportPreset) => void }) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const presets = useQuery({ queryKey: ["reportPresets"], queryFn: () => backend.reportPresets() });
  const list = presets.data ?? [];
  const applied = list.find((p) => sameSettings(p, current))?.name ?? null;
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const keep = (saved: ReportPreset[]) => queryClient.setQueryData(["reportPresets"], saved);
  const save = useMutation({
    mutationFn: (n: string) => backend.reportPresetSave({ ...current, name: n }),
    onSuccess: (saved, n) => {
      keep(saved);
      setNaming(false);
      setDone(t("timesheets.saved.savedAs", { name: n.trim() }));
    },
  });
  const remove = useMutation({
    mutationFn: (n: string) => backend.reportPresetDelete(n),
    onSuccess: (saved, n) => {
      keep(saved);
      setDone(t("timesheets.saved.deleted", { name: n }));
    },
  });
  const openNaming = () => {
    setName(applied ?? "");
    save.reset();
    setNaming(true);
  };
  return (
    <Group gap="sm" wrap="nowrap">
      {done && (
        <Text size="sm" c="dimmed" role="status">
          {done}
        </Text>
      )}
      <Menu position="bottom-end" shadow="md" width={280}>
        <Menu.Target>
          <Button variant="default" rightSection={<span aria-hidden="true">▾</span>}>
            {applied ? t("timesheets.saved.current", { name: applied }) : t("timesheets.saved.label")}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t("timesheets.saved.label")}</Menu.Label>
          {list.length === 0 && <Menu.Item disabled>{t("timesheets.saved.none")}</Menu.Item>}
          {list.map((p) => (
            <Menu.Item
              key={p.name}
              leftSection={<span style={{ width: 12 }}>{p.name === applied ? "✓" : ""}</span>}
              onClick={() => {
                onApply(p);
                setDone(null);
              }}
            >
              <bdi>{p.name}</bdi>
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={openNaming}>{t("timesheets.saved.saveAs")}</Menu.Item>
          {applied && (
            <Menu.Item color="red" onClick={() => remove.mutate(applied)}>
              {t("timesheets.saved.deleteNamed", { name: applied })}
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={naming} onClose={() => setNaming(false)} title={t("timesheets.saved.saveTitle")} size="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(name);
          }}
        >
          <Stack gap="sm">
            <TextInput label={t("timesheets.saved.name")} description={t("timesheets.saved.nameHelp")} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={60} data-autofocus />
            {save.isError && <ErrorNotice error={save.error} />}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setNaming(false)}>
                {t("timesheets.cancel")}
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
                {t("timesheets.saved.save")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      {(remove.isError || presets.isError) && (
        <Alert color="red" p={6}>
          <ErrorNotice error={(remove.error ?? presets.error)!} />
        </Alert>
      )}
    </Group>
  );
}
