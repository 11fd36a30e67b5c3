import { Button, Group, List, MultiSelect, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { useBackend, type LevelInfo, type RestrictionChange, type RestrictionRow } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { todayText } from "./model";

interface Props {
  structureVersion: string;
  level: number;
  levels: LevelInfo[];
  id: string;
  restrictions: RestrictionRow[];
}

/** One multi-select per other level; saving sends the full set (PUT), after showing what changes. */
export function RestrictionsEditor({ structureVersion, level, levels, id, restrictions }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const others = levels.filter((l) => l.level !== level);
  const initial = () =>
    Object.fromEntries(others.map((l) => [l.level, restrictions.filter((r) => r.level === l.level).flatMap((r) => r.ids)]));
  const [chosen, setChosen] = useState<Record<number, string[]>>(initial);
  const [changes, setChanges] = useState<RestrictionChange[] | null>(null);
  const lists = useQueries({
    queries: others.map((l) => ({
      queryKey: ["activities", "list", structureVersion, l.level, todayText()],
      queryFn: () => backend.activityList(structureVersion, l.level, todayText()),
    })),
  });
  const names = new Map(lists.flatMap((q) => (q.data ?? []).map((d) => [d.id, d.name] as const)));
  const proposed: RestrictionRow[] = others.map((l) => ({ level: l.level, ids: chosen[l.level] ?? [] })).filter((r) => r.ids.length > 0);
  const allLevels = levels.map((l) => l.level);

  const previewM = useMutation({
    mutationFn: () => backend.activityRestrictionsPreview(structureVersion, level, id, allLevels, proposed),
    onSuccess: setChanges,
  });
  const save = useMutation({
    mutationFn: (confirmed: boolean) => backend.activityRestrictionsSave(structureVersion, level, id, allLevels, proposed, confirmed),
    onSuccess: () => {
      setChanges(null);
      void queryClient.invalidateQueries({ queryKey: ["activities"] });
    },
  });
  const levelName = (n: number) => levels.find((l) => l.level === n)?.name ?? String(n);

  return (
    <Stack>
      <Title order={4}>{t("activities.restrictions.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("activities.restrictions.intro")}
      </Text>
      <Text size="sm" aria-label={t("activities.restrictions.current")}>
        {restrictions.length === 0
          ? t("activities.restrictions.none")
          : restrictions.map((r) => `${levelName(r.level)}: ${r.ids.map((i) => names.get(i) ?? i).join(", ")}`).join(" · ")}
      </Text>
      {others.map((l, i) => (
        <MultiSelect
          key={l.level}
          label={t("activities.restrictions.allowed", { level: l.name })}
          searchable
          clearable
          data={(lists[i]?.data ?? []).map((d) => ({ value: d.id, label: `${d.name}${d.external_reference ? ` (${d.external_reference})` : ""}` }))}
          value={chosen[l.level] ?? []}
          onChange={(v) => {
            setChanges(null);
            setChosen({ ...chosen, [l.level]: v });
          }}
        />
      ))}
      {(previewM.isError || save.isError) && <ErrorNotice error={previewM.error ?? save.error} />}
      {changes && (
        <Stack gap={4} aria-label={t("activities.restrictions.changes")}>
          <Text size="sm" fw={500}>
            {t("activities.restrictions.changes")}
          </Text>
          {changes.length === 0 ? (
            <Text size="sm">{t("activities.diff.none")}</Text>
          ) : (
            <List size="sm">
              {changes.map((c) => (
                <List.Item key={c.level}>
                  {levelName(c.level)}:{" "}
                  {c.added.length > 0 && t("activities.restrictions.added", { names: c.added.map((i) => names.get(i) ?? i).join(", ") })}{" "}
                  {c.removed.length > 0 && t("activities.restrictions.removed", { names: c.removed.map((i) => names.get(i) ?? i).join(", ") })}
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
      )}
      <Group>
        <Button variant="light" loading={previewM.isPending} onClick={() => previewM.mutate()}>
          {t("activities.restrictions.preview")}
        </Button>
        <Button disabled={changes === null || changes.length === 0} loading={save.isPending} onClick={() => confirmWrite((confirmed) => save.mutate(confirmed))}>
          {t("activities.restrictions.save")}
        </Button>
      </Group>
    </Stack>
  );
}
