import { Alert, Button, Checkbox, Group, Loader, Select, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Segmented } from "../../components/Segmented";
import { useBackend, type ReportOptions } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";
import { formatMinutes, presetRange, type HoursDisplay, type Preset } from "./period";
import { ReportTable } from "./ReportTable";

export function TimesheetsScreen() {
  const { t } = useTranslation();
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [preset, setPreset] = useState<Preset>("lastWeek");
  const [custom, setCustom] = useState(presetRange("lastWeek", new Date()));
  const range = preset === "custom" ? custom : presetRange(preset, new Date());
  const [display, setDisplay] = useState<HoursDisplay>("hmm");
  const [options, setOptions] = useState<ReportOptions>({ rounding: "None", rounding_scope: "PerSession", night_shifts: "StartDay" });
  const [search, setSearch] = useState("");
  const validRange = /^\d{4}-\d{2}-\d{2}$/.test(range.from) && /^\d{4}-\d{2}-\d{2}$/.test(range.to);
  const key = ["timesheet", range.from, range.to, options];
  const report = useQuery({
    queryKey: key,
    queryFn: () => backend.timesheetReport(range.from, range.to, options),
    enabled: validRange,
    staleTime: 60_000,
  });
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = report.data?.rows ?? [];
    return q ? all.filter((r) => r.employee_number.toLowerCase().includes(q) || (r.email ?? "").toLowerCase().includes(q)) : all;
  }, [report.data, search]);
  const shownTotal = rows.reduce((s, r) => s + r.worked_minutes, 0);
  const hoursFormat = display === "hmm" ? "HoursMinutes" : "Decimal";
  const exportFile = useMutation({
    mutationFn: (kind: "Csv" | "Xlsx" | "Pdf") =>
      backend.timesheetExport(
        range.from,
        range.to,
        options,
        kind === "Csv"
          ? { format: "Csv", delimiter: ";", decimal_comma: true, hours: hoursFormat }
          : kind === "Xlsx"
            ? { format: "Xlsx", hours: hoursFormat, sheet_per_employee: true }
            : { format: "Pdf", hours: hoursFormat },
      ),
  });

  return (
    <Stack>
      <ScreenHeader title={t("timesheets.title")} intro={t("timesheets.intro")} />
      <Group align="flex-end" wrap="wrap">
        <Segmented
          label={t("timesheets.period")}
          value={preset}
          data={(["thisWeek", "lastWeek", "thisMonth", "lastMonth", "custom"] as Preset[]).map((p) => ({ value: p, label: t(`timesheets.presets.${p}`) }))}
          onChange={setPreset}
        />
        {preset === "custom" && (
          <>
            <TextInput label={t("timesheets.from")} value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })} w={130} />
            <TextInput label={t("timesheets.to")} value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })} w={130} />
          </>
        )}
      </Group>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t("timesheets.search")} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={220} />
        <Segmented
          label={t("timesheets.hours")}
          value={display}
          data={[
            { value: "hmm", label: "h:mm" },
            { value: "decimal", label: t("timesheets.decimal") },
          ]}
          onChange={setDisplay}
        />
        <Select
          label={t("timesheets.rounding")}
          value={options.rounding}
          allowDeselect={false}
          w={170}
          data={[
            { value: "None", label: t("timesheets.roundingNone") },
            { value: "Nearest5", label: t("timesheets.rounding5") },
            { value: "Nearest15", label: t("timesheets.rounding15") },
          ]}
          onChange={(v) => v && setOptions({ ...options, rounding: v as ReportOptions["rounding"] })}
        />
        <Checkbox
          label={t("timesheets.perDay")}
          checked={options.rounding_scope === "PerDay"}
          onChange={(e) => setOptions({ ...options, rounding_scope: e.currentTarget.checked ? "PerDay" : "PerSession" })}
          mb={8}
        />
        <Checkbox
          label={t("timesheets.split")}
          checked={options.night_shifts === "SplitAtMidnight"}
          onChange={(e) => setOptions({ ...options, night_shifts: e.currentTarget.checked ? "SplitAtMidnight" : "StartDay" })}
          mb={8}
        />
      </Group>
      {report.isFetching && (
        <Group>
          <Loader size="sm" aria-label={t("common.loading")} />
          <Text size="sm">{t("timesheets.loading", { from: range.from, to: range.to })}</Text>
          <Button size="xs" variant="default" onClick={() => void queryClient.cancelQueries({ queryKey: key })}>
            {t("timesheets.cancel")}
          </Button>
        </Group>
      )}
      {report.isError && <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />}
      {report.data && (
        <>
          <Group justify="space-between">
            <Text size="sm" aria-label={t("timesheets.summaryLabel")}>
              {t("timesheets.summary", {
                rows: rows.length,
                employees: new Set(rows.map((r) => r.employee_number)).size,
                worked: formatMinutes(shownTotal, display),
              })}
            </Text>
            <Group gap="xs">
              <Button onClick={() => exportFile.mutate("Csv")} loading={exportFile.isPending && exportFile.variables === "Csv"} variant="light">
                {t("timesheets.exportCsv")}
              </Button>
              <Button onClick={() => exportFile.mutate("Xlsx")} loading={exportFile.isPending && exportFile.variables === "Xlsx"} variant="light">
                {t("timesheets.exportXlsx")}
              </Button>
              <Button onClick={() => exportFile.mutate("Pdf")} loading={exportFile.isPending && exportFile.variables === "Pdf"} variant="light">
                {t("timesheets.exportPdf")}
              </Button>
            </Group>
          </Group>
          {exportFile.isError && <ErrorNotice error={exportFile.error} />}
          {exportFile.data && (
            <Alert color="green" role="status" aria-label={t("timesheets.exported")}>
              {t("timesheets.savedTo", { path: exportFile.data })}
            </Alert>
          )}
          <ReportTable rows={rows} display={display} />
          <Title order={4}>{t("timesheets.perWeek")}</Title>
          <Table aria-label={t("timesheets.perWeek")} w={520}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("timesheets.week")}</Table.Th>
                <Table.Th>{t("timesheets.col.sessions")}</Table.Th>
                <Table.Th>{t("timesheets.col.worked")}</Table.Th>
                <Table.Th>{t("timesheets.col.net")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...report.data.per_week, report.data.overall].map((w) => (
                <Table.Tr key={w.key}>
                  <Table.Td>{w.key === "All" ? t("timesheets.all") : w.key}</Table.Td>
                  <Table.Td>{w.sessions}</Table.Td>
                  <Table.Td>{formatMinutes(w.worked_minutes, display)}</Table.Td>
                  <Table.Td>{formatMinutes(w.net_minutes, display)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
