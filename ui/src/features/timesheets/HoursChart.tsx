import { BarChart } from "@mantine/charts";
import { Group, Text } from "@mantine/core";
import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { DayRow, ReportSource } from "../../backend";
import { chartPoints, chartSeries, type ChartPoint } from "./chartData";
import { formatMinutes, type HoursDisplay } from "./period";

const COLORS = { worked: "teal.6", present: "blue.6", expected: "gray.5" } as const;

/**
 * Hours per day (per ISO week for long periods) of the rows on screen: worked vs expected, and for
 * merged reports both systems side by side, the days beyond tolerance marked in red on the axis.
 * Clicking a day's bars filters the table to that day (or week).
 */
export function HoursChart({
  rows,
  source,
  perWeek,
  display,
  onPick,
  controls,
}: {
  rows: DayRow[];
  source: ReportSource;
  perWeek: boolean;
  display: HoursDisplay;
  onPick: (key: string) => void;
  /** Shown at the end of the chart's caption line (the show/hide switch, the day picked). */
  controls: ReactNode;
}) {
  const { t } = useTranslation();
  const points = useMemo(() => chartPoints(rows, perWeek), [rows, perWeek]);
  const byKey = useMemo(() => new Map(points.map((p) => [p.key, p])), [points]);
  // Recharts draws hours; the tooltip writes them as the table does.
  const data = points.map((p) => ({ key: p.key, worked: p.worked / 60, present: p.present / 60, expected: p.expected / 60 }));
  const series = chartSeries(source).map((name) => ({ name, label: t(`timesheets.chart.${name}`), color: COLORS[name] }));
  const beyondDays = points.filter((p) => p.beyond > 0).length;
  const title = t(perWeek ? "timesheets.chart.perWeek" : "timesheets.chart.perDay");
  // The axis writes "11-02" for a day and "W45" for a week; a day or week beyond tolerance is red with "!"
  // (the scheme's red for text: darker in light, lighter in dark, readable on both backgrounds).
  const tick = ({ x, y, payload }: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) => {
    const key = String(payload?.value ?? "");
    const p: ChartPoint | undefined = byKey.get(key);
    const beyond = (p?.beyond ?? 0) > 0;
    const label = key.slice(5);
    return (
      <text x={Number(x)} y={Number(y) + 12} textAnchor="middle" fontSize={11} fill={beyond ? "var(--mantine-color-red-text)" : "var(--mantine-color-dimmed)"} fontWeight={beyond ? 700 : 400} direction="ltr">
        {beyond ? `${label}!` : label}
      </text>
    );
  };
  return (
    <div role="figure" aria-label={title} data-testid="hours-chart">
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" c="dimmed">
          {title} · {t("timesheets.chart.clickHint")}
          {source === "Merged" && beyondDays > 0 && (
            <Text span size="xs" c="red">
              {" · "}
              {t("timesheets.chart.beyond", { count: beyondDays })}
            </Text>
          )}
        </Text>
        {controls}
      </Group>
      <BarChart
        h={130}
        data={data}
        dataKey="key"
        series={series}
        withLegend
        legendProps={{ verticalAlign: "top", height: 20 }}
        tickLine="y"
        gridAxis="y"
        maxBarWidth={18}
        // No growing bars: the chart follows every filter at once, and a click lands where it is aimed.
        barProps={{ isAnimationActive: false }}
        // Recharts lays its tooltip and legend out left to right; each name then takes its direction
        // from its own first letter, so "צפוי (…)" keeps its brackets where Hebrew puts them.
        styles={{ tooltipItemName: { unicodeBidi: "plaintext" }, legendItemName: { unicodeBidi: "plaintext" } }}
        valueFormatter={(hours) => formatMinutes(Math.round(hours * 60), display)}
        xAxisProps={{ tick, interval: "preserveStartEnd", minTickGap: 4 }}
        yAxisProps={{ width: 36, tickFormatter: (hours: number) => String(Math.round(hours)) }}
        barChartProps={{
          onClick: (state: { activeLabel?: string | number } | null) => {
            const key = state?.activeLabel;
            if (key !== undefined && byKey.has(String(key))) onPick(String(key));
          },
          style: { cursor: "pointer" },
        }}
      />
    </div>
  );
}
