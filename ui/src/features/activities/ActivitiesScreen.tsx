import {
  Alert,
  Badge,
  Button,
  Divider,
  Grid,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useConfirmWrite } from "../../shell/ConfirmWrite";
import { Segmented } from "../../components/Segmented";
import { useBackend, type DefinitionRow, type FieldChange } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { StrictDateInput } from "../../components/StrictDateInput";
import { isStrictDate } from "../../components/dates";
import { ScreenHeader } from "../../components/ScreenHeader";
import { DefinitionEditor, DiffTable, type EditorMode } from "./DefinitionEditor";
import { filterTree, matchesDefinition, sortRows, todayText, type SortKey } from "./model";
import { RestrictionsEditor } from "./RestrictionsEditor";
import { UpsertPanel } from "./UpsertPanel";
import { UsagesEditor } from "./UsagesEditor";

export function ActivitiesScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const confirmWrite = useConfirmWrite();
  const queryClient = useQueryClient();
  const [structureId, setStructureId] = useState<string | null>(null);
  const [level, setLevel] = useState(1);
  const [date, setDate] = useState(todayText());
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<SortKey>("name");
  const [view, setView] = useState<"tree" | "list">("tree");
  const [selected, setSelected] = useState<DefinitionRow | null>(null);
  const [editor, setEditor] = useState<EditorMode | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [deactivateOn, setDeactivateOn] = useState(todayText());
  const [deactivating, setDeactivating] = useState(false);

  const structures = useQuery({ queryKey: ["activities", "structures"], queryFn: () => backend.activityStructures() });
  useEffect(() => {
    if (!structureId && structures.data?.[0]) setStructureId(structures.data[0].id);
  }, [structureId, structures.data]);
  const structure = structures.data?.find((s) => s.id === structureId) ?? null;
  const levels = structure?.levels ?? [];
  const levelName = (n: number) => levels.find((l) => l.level === n)?.name ?? `${n}`;
  const validDate = isStrictDate(date);
  const sv = structure?.id ?? "";

  const tree = useQuery({
    queryKey: ["activities", "tree", sv, levels.map((l) => l.level).join(","), date],
    queryFn: () => backend.activityTree(sv, levels.map((l) => l.level), date),
    enabled: !!structure && validDate && view === "tree",
  });
  const list = useQuery({
    queryKey: ["activities", "list", sv, level, date],
    queryFn: () => backend.activityList({ structure_version: sv, level }, date),
    enabled: !!structure && validDate && view === "list",
  });
  const detail = useQuery({
    queryKey: ["activities", "detail", sv, selected?.level, selected?.id, date],
    queryFn: () => backend.activityDetail({ structure_version: sv, level: selected!.level, id: selected!.id }, date),
    enabled: !!selected && validDate,
  });
  const deactivate = useMutation({
    mutationFn: (confirmed: boolean) => backend.activityDeactivate({ structure_version: sv, level: selected!.level, id: selected!.id }, deactivateOn, confirmed),
    onSuccess: (changes: FieldChange[]) => {
      setDeactivating(false);
      setNotice(t("activities.done.deactivated", { date: deactivateOn, count: changes.length }));
      void queryClient.invalidateQueries({ queryKey: ["activities"] });
    },
  });

  const rows: { depth: number; row: DefinitionRow }[] =
    view === "tree"
      ? filterTree(tree.data ?? [], search)
      : sortRows((list.data ?? []).filter((r) => matchesDefinition(r, search)), sort).map((row) => ({ depth: 0, row }));
  const loading = view === "tree" ? tree : list;
  const editorLevel = editor?.kind === "create" ? level : (selected?.level ?? level);
  const d = detail.data;
  const known = [...(tree.data ?? []).map((r) => r.row), ...(list.data ?? [])];
  const parentLabel = (id: string | null) => {
    if (!id) return "—";
    const p = known.find((r) => r.id === id);
    return p ? `${p.name} (${id})` : id;
  };

  return (
    <Stack>
      <ScreenHeader title={t("activities.title")} intro={t("activities.intro")} />
      {structures.isError && <ErrorNotice error={structures.error} onRetry={() => void structures.refetch()} />}
      <Group align="flex-end" wrap="wrap">
        <Select
          label={t("activities.structure")}
          data={(structures.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.id})` }))}
          value={structureId}
          allowDeselect={false}
          onChange={(v) => {
            setStructureId(v);
            setSelected(null);
          }}
          w={360}
        />
        <Select
          label={t("activities.level")}
          data={levels.map((l) => ({ value: String(l.level), label: `${l.level} · ${l.name}` }))}
          value={String(level)}
          allowDeselect={false}
          onChange={(v) => setLevel(Number(v ?? 1))}
          w={200}
        />
        <StrictDateInput label={t("activities.date")} description={t("activities.dateHint")} value={date} onChange={setDate} w={240} />
        <TextInput label={t("activities.search")} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={220} />
        <Segmented
          label={t("activities.view")}
          value={view}
          data={[
            { value: "tree", label: t("activities.views.tree") },
            { value: "list", label: t("activities.views.list") },
          ]}
          onChange={setView}
        />
        {view === "list" && (
          <Segmented
            label={t("activities.sort")}
            value={sort}
            data={[
              { value: "name", label: t("activities.sorts.name") },
              { value: "code", label: t("activities.sorts.code") },
              { value: "from", label: t("activities.sorts.from") },
            ]}
            onChange={setSort}
          />
        )}
        <Button
          onClick={() => {
            setNotice(null);
            setEditor({ kind: "create" });
          }}
          disabled={!structure}
        >
          {t("activities.new", { level: levelName(level) })}
        </Button>
      </Group>
      {notice && (
        <Alert color="green" role="status" aria-label={t("activities.result")} withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          {loading.isError && <ErrorNotice error={loading.error} onRetry={() => void loading.refetch()} />}
          <Table aria-label={t("activities.table")} highlightOnHover stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("activities.field.name")}</Table.Th>
                <Table.Th>{t("activities.level")}</Table.Th>
                <Table.Th>{t("activities.field.dataEntryCode")}</Table.Th>
                <Table.Th>{t("activities.field.externalReference")}</Table.Th>
                <Table.Th>{t("activities.state")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(({ depth, row }) => (
                <Table.Tr
                  key={row.id}
                  data-id={row.id}
                  onClick={() => {
                    setSelected(row);
                    setEditor(null);
                    setDeactivating(false);
                  }}
                  style={{ cursor: "pointer" }}
                  bg={selected?.id === row.id ? "var(--mantine-color-blue-light)" : undefined}
                >
                  <Table.Td style={{ paddingInlineStart: 12 + depth * 20 }}>
                    <button
                      type="button"
                      style={{ all: "unset", cursor: "pointer" }}
                      aria-label={t("activities.open", { name: row.name })}
                      onClick={() => setSelected(row)}
                    >
                      {depth > 0 ? "└ " : ""}
                      {row.name}
                    </button>
                  </Table.Td>
                  <Table.Td>{levelName(row.level)}</Table.Td>
                  <Table.Td>{row.data_entry_code ?? ""}</Table.Td>
                  <Table.Td>{row.external_reference ?? ""}</Table.Td>
                  <Table.Td>
                    <Badge color={row.active ? "green" : "gray"} variant="light" style={{ minWidth: "max-content" }}>{row.active ? t("activities.active") : t("activities.inactive")}</Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {!loading.isLoading && rows.length === 0 && <Text c="dimmed">{t("activities.empty")}</Text>}
        </Grid.Col>
        <Grid.Col
          span={{ base: 12, lg: 5 }}
          style={{ position: "sticky", top: 72, alignSelf: "flex-start", maxHeight: "calc(100vh - 150px)", overflowY: "auto" }}
        >
          {editor && structure ? (
            <DefinitionEditor
              key={`${editor.kind}-${selected?.id ?? ""}-${level}`}
              structureVersion={sv}
              level={editorLevel}
              levelName={levelName(editorLevel)}
              parentLevelName={editorLevel > 1 ? levelName(editorLevel - 1) : null}
              mode={editor}
              onDone={(m) => {
                setEditor(null);
                setNotice(m);
              }}
              onCancel={() => setEditor(null)}
            />
          ) : selected ? (
            <Stack component="section" aria-label={t("activities.detail.title")}>
              <Title order={3}>{selected.name}</Title>
              {detail.isError && <ErrorNotice error={detail.error} />}
              {d && (
                <>
                  <Table aria-label={t("activities.detail.fields")} variant="vertical">
                    <Table.Tbody>
                      {[
                        [t("activities.level"), `${d.row.level} · ${levelName(d.row.level)}`],
                        [t("activities.detail.id"), d.row.id],
                        [t("activities.field.parent", { level: "" }), parentLabel(d.row.parent_id)],
                        [t("activities.field.shortCode"), d.row.short_code ?? "—"],
                        [t("activities.field.dataEntryCode"), d.row.data_entry_code ?? "—"],
                        [t("activities.field.externalReference"), d.row.external_reference ?? "—"],
                        [t("activities.field.info"), d.row.info ?? "—"],
                        [t("activities.field.activeFrom"), d.row.active_from ?? "—"],
                        [t("activities.field.activeUntil"), d.row.active_until ?? "—"],
                        [
                          t("activities.detail.translations"),
                          Object.entries(d.row.translations as Record<string, string>)
                            .map(([k, v]) => `${k}: ${v}`)
                            .join(" · ") || "—",
                        ],
                        [t("activities.state"), d.row.active ? t("activities.active") : t("activities.inactive")],
                      ].map(([k, v]) => (
                        <Table.Tr key={k}>
                          <Table.Th w={200}>{k}</Table.Th>
                          <Table.Td>{v}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                  <Group>
                    <Button onClick={() => setEditor({ kind: "edit", row: d.row })}>{t("activities.detail.edit")}</Button>
                    {d.row.level > 1 && (
                      <Button variant="light" onClick={() => setEditor({ kind: "move", row: d.row })}>
                        {t("activities.detail.move")}
                      </Button>
                    )}
                    <Button variant="light" color="orange" onClick={() => setDeactivating(true)}>
                      {t("activities.detail.deactivate")}
                    </Button>
                  </Group>
                  <Divider />
                  <UsagesEditor key={`u-${d.row.id}`} structureVersion={sv} level={d.row.level} id={d.row.id} usages={d.usages} />
                  <Divider />
                  <RestrictionsEditor
                    // Kept across the reload after a save, so its confirmation stays on screen; the
                    // stored set shown above the combinations comes from the reloaded detail.
                    key={`r-${d.row.id}`}
                    structureVersion={sv}
                    level={d.row.level}
                    levels={levels}
                    id={d.row.id}
                    restrictions={d.restrictions}
                  />
                </>
              )}
            </Stack>
          ) : (
            <Text c="dimmed">{t("activities.pick")}</Text>
          )}
        </Grid.Col>
      </Grid>
      <Modal opened={deactivating} onClose={() => setDeactivating(false)} title={t("activities.deactivate.title")}>
        <Stack>
          <Text size="sm">{t("activities.deactivate.explain")}</Text>
          <StrictDateInput label={t("activities.deactivate.lastDay")} value={deactivateOn} onChange={setDeactivateOn} />
          {selected && <DiffTable changes={[{ field: "activeUntil", before: selected.active_until ?? "", after: deactivateOn }]} />}
          {deactivate.isError && <ErrorNotice error={deactivate.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeactivating(false)}>
              {t("activities.editor.cancel")}
            </Button>
            <Button color="orange" disabled={!isStrictDate(deactivateOn)} loading={deactivate.isPending} onClick={() => confirmWrite((confirmed) => deactivate.mutate(confirmed))}>
              {t("activities.deactivate.button")}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {structure && (
        <>
          <Divider />
          <UpsertPanel key={`${sv}-${level}`} structureVersion={sv} level={level} levelName={levelName(level)} />
        </>
      )}
    </Stack>
  );
}
