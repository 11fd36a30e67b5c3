import { Alert, Button, Drawer, Group, Loader, NumberInput, Select, Stack, Switch, Tabs, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Segmented } from "../../components/Segmented";
import { useBackend, type DayRow, type OptionalColumn, type ReportOptions, type ReportPreset, type ReportSource, type SourceOptions } from "../../backend";
import { ErrorNotice } from "../../components/ErrorNotice";
import { ScreenHeader } from "../../components/ScreenHeader";
import { StrictDateInput } from "../../components/StrictDateInput";
import { isStrictDate, localDateTimeText } from "../../components/dates";
import { formatMinutes, presetRange, type HoursDisplay, type Preset } from "./period";
import { DEFAULT_EXPORT_SETTINGS, ExportPanel, exportFormat, type ExportSettings } from "./ExportPanel";
import { SavedReports } from "./SavedReports";
import { AttentionList } from "./AttentionList";
import { attentionReasons, normalNumber, peopleByNumber, rowKey, unpairedKeys } from "./dayDetail";
import { DayDetail } from "./DayDetail";
import { loadChosen, OPTIONAL_COLUMNS, PROTIME_ONLY, saveChosen } from "./optionalColumns";
import { ReportOptionsMenu } from "./ReportOptionsMenu";
import { useFillHeight } from "./useFillHeight";
import { HoursChart } from "./HoursChart";
import { DAYS_PER_BAR_LIMIT, periodDays } from "./chartData";
import { PeopleMatchingTable } from "./PeopleMatchingTable";
import { ReportTable } from "./ReportTable";
import { TotalsTable } from "./TotalsTable";
import { newTaskId } from "./tasks";

/** Whether the hours chart is shown, remembered between visits. */
const CHART_KEY = "timebridge.timesheets.chart";

/** The report's views: one row per day, totals per employee or week, the days to fix, how people matched. */
type View = "days" | "employees" | "weeks" | "attention" | "matching";

/**
 * The report viewer: one compact toolbar (source, period, filters, hours, rounding, more options,
 * export), the views in tabs, and the table filling the window below them, scrolling inside itself.
 * A day opens in the day detail, where a missing clocking is added and the report refreshes.
 */
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
  const [group, setGroup] = useState<string | null>(null);
  // Nothing is fetched for a period that is not two real YYYY-MM-DD dates (the fields say why).
  const validRange = isStrictDate(range.from) && isStrictDate(range.to);
  const [source, setSource] = useState<ReportSource>("TimeClock");
  const [tolerance, setTolerance] = useState(5);
  const sourceOptions: SourceOptions = { source, tolerance_minutes: tolerance };
  const withProtime = source !== "TimeClock";
  // The column chooser: optional columns on screen and in CSV/XLSX exports, remembered between visits.
  const [chosenColumns, setChosenColumns] = useState<OptionalColumn[]>(loadChosen);
  const chooseColumns = (values: string[]) => {
    const next = OPTIONAL_COLUMNS.filter((c) => values.includes(c));
    setChosenColumns(next);
    saveChosen(next);
  };
  const extraColumns = chosenColumns.filter((c) => withProtime || !PROTIME_ONLY.has(c));
  // Kept here, not in the export drawer, so a saved report sets them too.
  const [exportSettings, setExportSettings] = useState<ExportSettings>(DEFAULT_EXPORT_SETTINGS);
  const key = ["timesheet", range.from, range.to, options, sourceOptions];
  // The running report's task id, so Cancel stops the fetch in the backend too.
  const reportTask = useRef<string | null>(null);
  // When the last report was asked for and when its data arrived, and how long the screen then took
  // to show it (measured by the UI benchmark, tests/e2e/bench/).
  const timing = useRef({ asked: 0, arrived: 0 });
  const [shownIn, setShownIn] = useState<{ wait: number; render: number } | null>(null);
  // Protime and merged reports sync the Protime totals first when they are older than 5 minutes.
  const report = useQuery({
    queryKey: key,
    queryFn: async () => {
      const id = newTaskId("report");
      reportTask.current = id;
      const asked = performance.now();
      try {
        const data = await backend.timesheetReport(id, { from: range.from, to: range.to }, options, sourceOptions);
        timing.current = { asked, arrived: performance.now() };
        return data;
      } finally {
        reportTask.current = null;
      }
    },
    enabled: validRange,
    staleTime: 60_000,
  });
  useEffect(() => {
    if (!report.data) return;
    const { asked, arrived } = timing.current;
    // Two frames: the first runs before the browser paints the new rows, the second after.
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => setShownIn({ wait: arrived - asked, render: performance.now() - arrived }));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [report.data]);
  const cacheStatus = useQuery({
    queryKey: ["protimeTotals", range.from, range.to, report.dataUpdatedAt],
    queryFn: () => backend.protimeTotalsStatus({ from: range.from, to: range.to }),
    enabled: validRange && withProtime && !report.isFetching,
  });
  const refresh = useMutation({
    mutationFn: () => backend.protimeTotalsRefresh({ from: range.from, to: range.to }, true),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["timesheet"] }),
  });
  const syncedAt = (refresh.data ?? cacheStatus.data)?.last_synced;
  // Protime's people give every source its names (TimeClock 365 sends none) and the day detail its person.
  const people = useQuery({ queryKey: ["people"], queryFn: () => backend.listPeople() });
  const byNumber = useMemo(() => peopleByNumber(people.data ?? []), [people.data]);
  const nameOf = useMemo(
    () => (r: Pick<DayRow, "employee_number" | "name" | "email">) => r.name ?? byNumber.get(normalNumber(r.employee_number))?.name ?? r.email ?? "",
    [byNumber],
  );
  const [view, setView] = useState<View>("days");
  const [openDay, setOpenDay] = useState<string | null>(null);
  const groups = useMemo(() => [...new Set((report.data?.rows ?? []).flatMap((r) => r.groups))].sort(), [report.data]);
  // The employee and group filters give the chart its rows; a bar clicked in the chart narrows the
  // table further, to that day (or ISO week, when the chart shows weeks).
  const filtered = useMemo(() => {
    const q = search.trim().toLowerCase();
    const all = report.data?.rows ?? [];
    return all.filter(
      (r) =>
        (!q || r.employee_number.toLowerCase().includes(q) || (r.email ?? "").toLowerCase().includes(q) || nameOf(r).toLowerCase().includes(q)) &&
        (!group || r.groups.includes(group)),
    );
  }, [report.data, search, group, nameOf]);
  const chartPerWeek = validRange && periodDays(range.from, range.to) > DAYS_PER_BAR_LIMIT;
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => setPicked(null), [range.from, range.to]);
  const rows = useMemo(() => (picked ? filtered.filter((r) => (chartPerWeek ? r.iso_week : r.date) === picked) : filtered), [filtered, picked, chartPerWeek]);
  const [chartShown, setChartShown] = useState(() => localStorage.getItem(CHART_KEY) !== "hidden");
  const showChart = (shown: boolean) => {
    setChartShown(shown);
    localStorage.setItem(CHART_KEY, shown ? "shown" : "hidden");
  };
  const shownTotal = rows.reduce((s, r) => s + r.worked_minutes, 0);
  const shownEmployees = useMemo(() => new Set(rows.map((r) => r.employee_number)), [rows]);
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of report.data?.rows ?? []) if (!m.has(r.employee_number)) m.set(r.employee_number, nameOf(r));
    return m;
  }, [report.data, nameOf]);
  // Protime's unpaired In/Out days of the period, read again whenever the report is (a fix refreshes it).
  const unpairedDays = useQuery({
    queryKey: ["unpairedClockingDays", range.from, range.to, report.dataUpdatedAt],
    queryFn: () => backend.unpairedClockingDays({ from: range.from, to: range.to }),
    enabled: validRange && withProtime && !!report.data,
  });
  const unpaired = useMemo(() => unpairedKeys(unpairedDays.data ?? [], people.data ?? []), [unpairedDays.data, people.data]);
  const attentionCount = useMemo(() => rows.filter((r) => attentionReasons(r, unpaired).length > 0).length, [rows, unpaired]);
  // The day detail follows the report: after a fix and a refresh it shows the new figures.
  const dayRow = openDay === null ? null : ((report.data?.rows ?? []).find((r) => rowKey(r) === openDay) ?? null);
  const [exporting, setExporting] = useState(false);
  const [results, fill] = useFillHeight();
  const hoursFormat = display === "hmm" ? "HoursMinutes" : "Decimal";
  const presetSettings = {
    source: sourceOptions,
    options,
    format: exportFormat(exportSettings.kind, hoursFormat, exportSettings, exportSettings.sheetPerEmployee, extraColumns),
  };
  const applyPreset = ({ source: s, options: o, format: f }: ReportPreset) => {
    setSource(s.source);
    setTolerance(s.tolerance_minutes);
    setOptions(o);
    setDisplay(f.hours === "Decimal" ? "decimal" : "hmm");
    chooseColumns(f.extra_columns);
    setExportSettings({
      kind: f.format,
      delimiter: f.format === "Csv" ? f.delimiter : exportSettings.delimiter,
      decimalComma: f.format === "Csv" ? f.decimal_comma : exportSettings.decimalComma,
      sheetPerEmployee: f.format === "Xlsx" ? f.sheet_per_employee : exportSettings.sheetPerEmployee,
    });
  };
  const cancelReport = () => {
    if (reportTask.current) void backend.cancelTask(reportTask.current);
    void queryClient.cancelQueries({ queryKey: key });
  };

  // The chart's switch, and the day (or week) a click on the chart narrowed the table to.
  const chartControls = (
    <Group gap="sm" wrap="nowrap">
      {picked && (
        <>
          <Text size="sm" fw={500} data-testid="picked-day">
            {t(chartPerWeek ? "timesheets.chart.onlyWeek" : "timesheets.chart.onlyDay", { key: picked })}
          </Text>
          <Button size="compact-xs" variant="light" onClick={() => setPicked(null)}>
            {t("timesheets.chart.showAll")}
          </Button>
        </>
      )}
      <Switch size="xs" label={t("timesheets.chart.show")} checked={chartShown} onChange={(e) => showChart(e.currentTarget.checked)} />
    </Group>
  );

  return (
    <Stack gap="xs">
      <ScreenHeader title={t("timesheets.title")} intro={t("timesheets.intro")} introAsHelp actions={<SavedReports current={presetSettings} onApply={applyPreset} />} />
      <Group align="flex-end" wrap="wrap" gap="sm">
        <Segmented
          label={t("timesheets.source")}
          value={source}
          data={(["TimeClock", "Protime", "Merged"] as ReportSource[]).map((s) => ({ value: s, label: t(`timesheets.sources.${s}`) }))}
          onChange={setSource}
        />
        {source === "Merged" && (
          <NumberInput
            label={t("timesheets.tolerance")}
            value={tolerance}
            min={0}
            max={240}
            allowDecimal={false}
            allowNegative={false}
            w={150}
            onChange={(v) => setTolerance(typeof v === "number" ? v : Number(v) || 0)}
          />
        )}
        <Segmented
          label={t("timesheets.period")}
          value={preset}
          data={(["thisWeek", "lastWeek", "thisMonth", "lastMonth", "custom"] as Preset[]).map((p) => ({ value: p, label: t(`timesheets.presets.${p}`) }))}
          onChange={setPreset}
        />
        {preset === "custom" && (
          <>
            <StrictDateInput label={t("timesheets.from")} value={custom.from} onChange={(v) => setCustom({ ...custom, from: v })} w={150} />
            <StrictDateInput label={t("timesheets.to")} value={custom.to} onChange={(v) => setCustom({ ...custom, to: v })} w={150} />
          </>
        )}
        {withProtime && (
          <Group gap="xs" mb={4}>
            <Text size="sm" c="dimmed" data-testid="protime-synced">
              {syncedAt ? t("timesheets.lastSynced", { when: localDateTimeText(syncedAt) }) : t("timesheets.neverSynced")}
            </Text>
            <Button size="xs" variant="default" onClick={() => refresh.mutate()} loading={refresh.isPending}>
              {t("timesheets.refresh")}
            </Button>
          </Group>
        )}
      </Group>
      <Group align="flex-end" wrap="wrap" gap="sm">
        <TextInput label={t("timesheets.search")} placeholder={t("timesheets.searchHint")} value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={200} />
        <Select
          label={t("timesheets.group")}
          placeholder={t("timesheets.allGroups")}
          data={groups}
          value={group && groups.includes(group) ? group : null}
          onChange={setGroup}
          clearable
          clearButtonProps={{ "aria-label": t("timesheets.clearGroup") }}
          searchable
          w={170}
        />
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
          w={160}
          data={[
            { value: "None", label: t("timesheets.roundingNone") },
            { value: "Nearest5", label: t("timesheets.rounding5") },
            { value: "Nearest15", label: t("timesheets.rounding15") },
          ]}
          onChange={(v) => v && setOptions({ ...options, rounding: v as ReportOptions["rounding"] })}
        />
        <ReportOptionsMenu options={options} onOptions={setOptions} chosenColumns={chosenColumns} onColumns={chooseColumns} withProtime={withProtime} />
        <Button onClick={() => setExporting(true)} disabled={!validRange}>
          {t("timesheets.export.open")}
        </Button>
      </Group>
      {withProtime && cacheStatus.data?.load_in_progress && <Alert color="yellow">{t("timesheets.syncInterrupted")}</Alert>}
      {refresh.isError && <ErrorNotice error={refresh.error} onRetry={() => refresh.mutate()} />}
      {report.isFetching && (
        <Group>
          <Loader size="sm" aria-label={t("common.loading")} />
          <Text size="sm">{t(withProtime ? "timesheets.loadingProtime" : "timesheets.loading", { from: range.from, to: range.to })}</Text>
          <Button size="xs" variant="default" onClick={cancelReport}>
            {t("timesheets.cancel")}
          </Button>
        </Group>
      )}
      {report.isError && <ErrorNotice error={report.error} onRetry={() => void report.refetch()} />}
      {report.data && (
        <Tabs value={view} onChange={(v) => v && setView(v as View)} keepMounted={false}>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Tabs.List>
              <Tabs.Tab value="days">{t("timesheets.views.days")}</Tabs.Tab>
              <Tabs.Tab value="employees">{t("timesheets.views.employees")}</Tabs.Tab>
              <Tabs.Tab value="weeks">{t("timesheets.views.weeks")}</Tabs.Tab>
              <Tabs.Tab value="attention" color={attentionCount > 0 ? "red" : undefined}>
                {t("timesheets.views.attention", { count: attentionCount })}
              </Tabs.Tab>
              {report.data.matching && <Tabs.Tab value="matching">{t("timesheets.views.matching")}</Tabs.Tab>}
            </Tabs.List>
            <Group gap="md">
              <Text
                size="sm"
                aria-label={t("timesheets.summaryLabel")}
                data-wait-ms={shownIn ? Math.round(shownIn.wait) : undefined}
                data-render-ms={shownIn ? Math.round(shownIn.render) : undefined}
              >
                {report.data.source === "Protime"
                  ? t("timesheets.summaryProtime", {
                      rows: rows.length,
                      employees: shownEmployees.size,
                      calculated: formatMinutes(
                        rows.reduce((s, r) => s + (r.protime?.calculated_minutes ?? 0), 0),
                        display,
                      ),
                    })
                  : t("timesheets.summary", {
                      rows: rows.length,
                      employees: shownEmployees.size,
                      worked: formatMinutes(shownTotal, display),
                    })}
              </Text>
              {report.data.source === "Merged" && (
                <Text size="sm" c={report.data.overall.outside_tolerance > 0 ? "red" : "dimmed"}>
                  {t("timesheets.differenceOutside", { count: report.data.overall.outside_tolerance, tolerance: report.data.tolerance_minutes })}
                </Text>
              )}
            </Group>
          </Group>
          {view === "days" &&
            (chartShown && filtered.length > 0 ? (
              <HoursChart rows={filtered} source={report.data.source} perWeek={chartPerWeek} display={display} onPick={setPicked} controls={chartControls} />
            ) : (
              <Group justify="flex-end">{chartControls}</Group>
            ))}
          {rows.some((r) => r.default_zone_used) && (
            <Text size="sm" c="orange" data-testid="zone-assumed-note" mt={4}>
              {t("timesheets.zoneAssumedNote", { count: rows.filter((r) => r.default_zone_used).length })}
            </Text>
          )}
          <div ref={results} style={{ marginTop: 8 }}>
            <Tabs.Panel value="days">
              <ReportTable rows={rows} display={display} source={report.data.source} extra={extraColumns} nameOf={nameOf} height={fill} onOpenDay={(r) => setOpenDay(rowKey(r))} />
            </Tabs.Panel>
            <Tabs.Panel value="employees">
              <TotalsTable
                label={t("timesheets.perEmployee")}
                keyHeader={t("timesheets.col.employee")}
                totals={[...report.data.per_employee.filter((e) => shownEmployees.has(e.key)), report.data.overall]}
                display={display}
                source={report.data.source}
                names={names}
                expected={report.data.expected.length > 0 ? new Map(report.data.expected.map((e) => [e.employee_number, e.minutes])) : undefined}
                maxHeight={fill}
              />
            </Tabs.Panel>
            <Tabs.Panel value="weeks">
              <TotalsTable
                label={t("timesheets.perWeek")}
                keyHeader={t("timesheets.week")}
                totals={[...report.data.per_week, report.data.overall]}
                display={display}
                source={report.data.source}
                maxHeight={fill}
              />
            </Tabs.Panel>
            <Tabs.Panel value="attention">
              <AttentionList rows={rows} unpaired={unpaired} display={display} nameOf={nameOf} maxHeight={fill} onOpenDay={(r) => setOpenDay(rowKey(r))} />
            </Tabs.Panel>
            {report.data.matching && (
              <Tabs.Panel value="matching">
                <PeopleMatchingTable matching={report.data.matching} />
              </Tabs.Panel>
            )}
          </div>
        </Tabs>
      )}
      <DayDetail
        row={dayRow}
        source={report.data?.source ?? source}
        display={display}
        name={dayRow ? nameOf(dayRow) : ""}
        person={dayRow ? (people.isLoading ? undefined : (byNumber.get(normalNumber(dayRow.employee_number)) ?? null)) : undefined}
        onClose={() => setOpenDay(null)}
        onFixed={() => (withProtime ? refresh.mutate() : void queryClient.invalidateQueries({ queryKey: ["timesheet"] }))}
      />
      {/* Kept mounted: the export settings stay as chosen while the source or period changes. */}
      <Drawer opened={exporting} onClose={() => setExporting(false)} position="right" size={640} title={t("timesheets.export.title")} keepMounted>
        {validRange && (
          <ExportPanel
            from={range.from}
            to={range.to}
            options={options}
            hours={hoursFormat}
            source={sourceOptions}
            extraColumns={extraColumns}
            settings={exportSettings}
            onSettings={setExportSettings}
          />
        )}
      </Drawer>
    </Stack>
  );
}
