import { Alert, Button, Card, Group, List, MultiSelect, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { useBackend, type LevelInfo, type RestrictionChange, type RestrictionRow } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { combinationsFromRows, rowsFromCombinations, todayText, type CombinationDraft } from "./model";

interface Props {
  structureVersion: string;
  level: number;
  levels: LevelInfo[];
  id: string;
  /** The stored combinations, each a list of level restrictions. */
  restrictions: RestrictionRow[][];
}

/**
 * The restrictions are a list of combinations (Protime's `[[{levelIndex, …}, …], …]`): a booking is
 * allowed when one combination matches. Each combination has one multi-select per other level; saving
 * sends the full set (PUT), after showing what changes.
 */
export function RestrictionsEditor({ structureVersion, level, levels, id, restrictions }: Props) {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const others = levels.filter((l) => l.level !== level);
  const [combos, setCombos] = useState<CombinationDraft[]>(() => combinationsFromRows(restrictions));
  const [changes, setChanges] = useState<RestrictionChange[] | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const lists = useQueries({
    queries: others.map((l) => ({
      queryKey: ["activities", "list", structureVersion, l.level, todayText()],
      queryFn: () => backend.activityList({ structure_version: structureVersion, level: l.level }, todayText()),
    })),
  });
  const names = new Map(lists.flatMap((q) => (q.data ?? []).map((d) => [d.id, d.name] as const)));
  const proposed = rowsFromCombinations(combos, others.map((l) => l.level));
  const allLevels = levels.map((l) => l.level);
  const edit = (next: CombinationDraft[]) => {
    setChanges(null);
    setSaved(null);
    setCombos(next);
  };

  const previewM = useMutation({
    mutationFn: () => backend.activityRestrictionsPreview({ structure_version: structureVersion, level, id }, allLevels, proposed),
    onSuccess: (c) => {
      setSaved(null);
      setChanges(c);
    },
  });
  const save = useMutation({
    mutationFn: (confirmed: boolean) => backend.activityRestrictionsSave({ structure_version: structureVersion, level, id }, allLevels, proposed, confirmed),
    onSuccess: (done) => {
      setChanges(null);
      setSaved(done.length);
      void queryClient.invalidateQueries({ queryKey: ["activities"] });
    },
  });
  const levelName = (n: number) => levels.find((l) => l.level === n)?.name ?? String(n);
  const idNames = (ids: string[]) => ids.map((i) => names.get(i) ?? i).join(", ");
  const canSave = changes !== null && changes.length > 0;

  return (
    <Stack>
      <Title order={4}>{t("activities.restrictions.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("activities.restrictions.intro")}
      </Text>
      <Stack gap={2} aria-label={t("activities.restrictions.current")}>
        {restrictions.length === 0 ? (
          <Text size="sm">{t("activities.restrictions.none")}</Text>
        ) : (
          restrictions.map((c, i) => (
            <Text size="sm" key={i}>
              {t("activities.restrictions.combination", { n: i + 1 })}: {c.map((r) => `${levelName(r.level)}: ${idNames(r.ids)}`).join(" · ")}
            </Text>
          ))
        )}
      </Stack>
      {combos.map((combo, ci) => (
        <Card key={ci} withBorder padding="sm" aria-label={t("activities.restrictions.combination", { n: ci + 1 })}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={500}>{t("activities.restrictions.combination", { n: ci + 1 })}</Text>
              <Button size="xs" variant="subtle" color="red" onClick={() => edit(combos.filter((_, j) => j !== ci))}>
                {t("activities.restrictions.removeCombination", { n: ci + 1 })}
              </Button>
            </Group>
            {others.map((l, i) => (
              <MultiSelect
                key={l.level}
                label={t("activities.restrictions.allowed", { level: l.name })}
                aria-label={t("activities.restrictions.allowedIn", { level: l.name, n: ci + 1 })}
                searchable
                clearable
                data={(lists[i]?.data ?? []).map((d) => ({ value: d.id, label: `${d.name}${d.external_reference ? ` (${d.external_reference})` : ""}` }))}
                value={combo[l.level] ?? []}
                onChange={(v) => edit(combos.map((c, j) => (j === ci ? { ...c, [l.level]: v } : c)))}
              />
            ))}
          </Stack>
        </Card>
      ))}
      <Group>
        <Button variant="default" onClick={() => edit([...combos, {}])}>
          {t("activities.restrictions.addCombination")}
        </Button>
      </Group>
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
                <List.Item key={`${c.combination}-${c.level}`}>
                  {t("activities.restrictions.combination", { n: c.combination })}, {levelName(c.level)}:{" "}
                  {c.added.length > 0 && t("activities.restrictions.added", { names: idNames(c.added) })}{" "}
                  {c.removed.length > 0 && t("activities.restrictions.removed", { names: idNames(c.removed) })}
                  {c.added.length === 0 && c.removed.length === 0 && t("activities.restrictions.levelDropped")}
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
      )}
      {saved !== null && (
        <Alert color="green" role="status" aria-label={t("activities.restrictions.savedTitle")} title={t("activities.restrictions.savedTitle")}>
          {t("activities.restrictions.saved", { count: saved })}
        </Alert>
      )}
      <Group>
        <Button variant="light" loading={previewM.isPending} onClick={() => previewM.mutate()}>
          {t("activities.restrictions.preview")}
        </Button>
        <Button disabled={!canSave} loading={save.isPending} onClick={() => confirmWrite((confirmed) => save.mutate(confirmed))}>
          {t("activities.restrictions.save")}
        </Button>
        {changes === null && (
          <Text size="sm" c="dimmed">
            {t("activities.restrictions.previewFirst")}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
