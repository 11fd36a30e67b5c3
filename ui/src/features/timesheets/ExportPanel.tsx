import { Alert, Button, Card, Checkbox, Group, Progress, Select, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useBackend, type ExportFormat, type ExportStage, type OptionalColumn, type ReportOptions, type SourceOptions } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Segmented } from "../../components/Segmented";
import { newTaskId } from "./tasks";

export type Kind = "Csv" | "Xlsx" | "Pdf";
type Hours = "HoursMinutes" | "Decimal";

/** The export's own settings, kept by the screen so a saved report can set them. */
export type ExportSettings = { kind: Kind; delimiter: string; decimalComma: boolean; sheetPerEmployee: boolean };
export const DEFAULT_EXPORT_SETTINGS: ExportSettings = { kind: "Csv", delimiter: ";", decimalComma: true, sheetPerEmployee: true };

/** The file format with its options, as the backend takes it; CSV and XLSX add the chosen optional columns. */
export function exportFormat(
  kind: Kind,
  hours: Hours,
  csv: { delimiter: string; decimalComma: boolean },
  sheetPerEmployee: boolean,
  extraColumns: OptionalColumn[] = [],
): ExportFormat {
  return kind === "Csv"
    ? { format: "Csv", delimiter: csv.delimiter, decimal_comma: csv.decimalComma, hours, extra_columns: extraColumns }
    : kind === "Xlsx"
      ? { format: "Xlsx", hours, sheet_per_employee: sheetPerEmployee, extra_columns: extraColumns }
      : { format: "Pdf", hours, extra_columns: extraColumns };
}

/** How far along an export is, as a share of the bar: fetching is most of the wait. */
function stageValue(stage: ExportStage | null): number {
  return stage === "Writing" ? 85 : stage === "Fetching" ? 40 : 10;
}

/**
 * Export of the report on screen: format and its options, where to save (a suggested file in
 * Downloads, or one chosen in the native save dialog), a progress bar with Cancel, and
 * "Show in folder" afterwards.
 */
export function ExportPanel({
  from,
  to,
  options,
  hours,
  source,
  extraColumns = [],
  settings,
  onSettings,
}: {
  from: string;
  to: string;
  options: ReportOptions;
  hours: Hours;
  source: SourceOptions;
  extraColumns?: OptionalColumn[];
  settings: ExportSettings;
  onSettings: (next: ExportSettings) => void;
}) {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const { kind, delimiter, decimalComma, sheetPerEmployee } = settings;
  const change = (part: Partial<ExportSettings>) => onSettings({ ...settings, ...part });
  const format = exportFormat(kind, hours, { delimiter, decimalComma }, sheetPerEmployee, extraColumns);
  const suggestionKey = ["exportPath", from, to, kind];
  const suggestion = useQuery({
    queryKey: suggestionKey,
    queryFn: () => backend.timesheetSuggestPath({ from, to }, format),
  });
  // What the user typed or chose; cleared (back to the suggestion) when the period or format changes.
  const [chosen, setChosen] = useState<{ path: string; replace: boolean } | null>(null);
  useEffect(() => setChosen(null), [from, to, kind]);
  const path = chosen?.path ?? suggestion.data ?? "";

  const [taskId, setTaskId] = useState<string | null>(null);
  const [stage, setStage] = useState<ExportStage | null>(null);
  useEffect(() => {
    if (!taskId) return;
    const timer = setInterval(() => {
      void backend.taskStage(taskId).then((s) => s && setStage(s));
    }, 200);
    return () => clearInterval(timer);
  }, [backend, taskId]);

  const choose = useMutation({
    mutationFn: () => backend.timesheetChoosePath(path, format),
    onSuccess: (picked) => picked && setChosen({ path: picked, replace: true }),
  });
  const run = useMutation({
    mutationFn: async () => {
      const id = newTaskId("export");
      setStage(null);
      setTaskId(id);
      try {
        return await backend.timesheetExport(id, {
          period: { from, to },
          options,
          format,
          source,
          path,
          replace: chosen?.replace ?? false,
        });
      } finally {
        setTaskId(null);
      }
    },
    onSuccess: () => {
      setChosen(null);
      void queryClient.invalidateQueries({ queryKey: ["exportPath"] });
    },
  });
  const show = useMutation({ mutationFn: (file: string) => backend.showExport(file) });

  return (
    <Card withBorder component="section" aria-label={t("timesheets.export.title")}>
      <Stack gap="sm">
        <Group align="flex-end" wrap="wrap">
          <Segmented
            label={t("timesheets.export.format")}
            value={kind}
            data={[
              { value: "Csv", label: "CSV" },
              { value: "Xlsx", label: "XLSX" },
              { value: "Pdf", label: "PDF" },
            ]}
            onChange={(v) => change({ kind: v })}
          />
          {kind === "Csv" && (
            <>
              <Select
                label={t("timesheets.export.delimiter")}
                value={delimiter}
                allowDeselect={false}
                w={150}
                data={[
                  { value: ";", label: t("timesheets.export.semicolon") },
                  { value: ",", label: t("timesheets.export.comma") },
                ]}
                onChange={(v) => v && change({ delimiter: v })}
              />
              <Checkbox
                label={t("timesheets.export.decimalComma")}
                checked={decimalComma}
                onChange={(e) => change({ decimalComma: e.currentTarget.checked })}
                mb={8}
              />
            </>
          )}
          {kind === "Xlsx" && (
            <Checkbox
              label={t("timesheets.export.sheetPerEmployee")}
              checked={sheetPerEmployee}
              onChange={(e) => change({ sheetPerEmployee: e.currentTarget.checked })}
              mb={8}
            />
          )}
        </Group>
        <Group align="flex-end" wrap="nowrap">
          <TextInput
            label={t("timesheets.export.saveTo")}
            value={path}
            onChange={(e) => setChosen({ path: e.currentTarget.value, replace: false })}
            style={{ flex: 1 }}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          />
          <Button variant="default" onClick={() => choose.mutate()} loading={choose.isPending} disabled={run.isPending}>
            {t("timesheets.export.choose")}
          </Button>
          <Button onClick={() => run.mutate()} loading={run.isPending} disabled={!path.trim()}>
            {t("timesheets.export.run", { format: kind.toUpperCase() })}
          </Button>
        </Group>
        {run.isPending && (
          <Group wrap="nowrap">
            <Stack gap={4} style={{ flex: 1 }}>
              <Text size="sm">{t(`timesheets.export.stage.${stage ?? "Starting"}`)}</Text>
              <Progress value={stageValue(stage)} animated aria-label={t("timesheets.export.progress")} />
            </Stack>
            <Button size="xs" variant="default" onClick={() => taskId && void backend.cancelTask(taskId)}>
              {t("timesheets.cancel")}
            </Button>
          </Group>
        )}
        {choose.isError && <ErrorNotice error={choose.error} />}
        {run.isError && <ErrorNotice error={run.error} />}
        {run.data && !run.isPending && (
          <Alert color="green" role="status" aria-label={t("timesheets.exported")}>
            <Group justify="space-between" wrap="nowrap">
              <Text size="sm" style={{ wordBreak: "break-all" }} aria-label={t("timesheets.export.savedFile")}>
                {t("timesheets.savedTo", { path: run.data })}
              </Text>
              <Button size="xs" variant="light" color="green" onClick={() => show.mutate(run.data)}>
                {t("timesheets.export.show")}
              </Button>
            </Group>
          </Alert>
        )}
        {show.isError && <ErrorNotice error={show.error} />}
      </Stack>
    </Card>
  );
}
