import { Button, Checkbox, MultiSelect, Popover, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { OptionalColumn, ReportOptions } from "../../backend";
import { OPTIONAL_COLUMNS, PROTIME_ONLY } from "./optionalColumns";

/**
 * The report's less frequent settings behind one toolbar button: rounding per day, night shifts
 * split at midnight, and the column chooser (optional columns on screen and in the exports).
 */
export function ReportOptionsMenu({
  options,
  onOptions,
  chosenColumns,
  onColumns,
  withProtime,
}: {
  options: ReportOptions;
  onOptions: (o: ReportOptions) => void;
  chosenColumns: OptionalColumn[];
  onColumns: (values: string[]) => void;
  withProtime: boolean;
}) {
  const { t } = useTranslation();
  const changed = (options.rounding_scope === "PerDay" ? 1 : 0) + (options.night_shifts === "SplitAtMidnight" ? 1 : 0) + chosenColumns.length;
  return (
    <Popover position="bottom-end" width={420} shadow="md" trapFocus>
      <Popover.Target>
        <Button variant="default">{changed > 0 ? t("timesheets.moreOptionsCount", { count: changed }) : t("timesheets.moreOptions")}</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="sm">
          <Checkbox
            label={t("timesheets.perDay")}
            checked={options.rounding_scope === "PerDay"}
            onChange={(e) => onOptions({ ...options, rounding_scope: e.currentTarget.checked ? "PerDay" : "PerSession" })}
          />
          <Checkbox
            label={t("timesheets.split")}
            checked={options.night_shifts === "SplitAtMidnight"}
            onChange={(e) => onOptions({ ...options, night_shifts: e.currentTarget.checked ? "SplitAtMidnight" : "StartDay" })}
          />
          <MultiSelect
            label={t("timesheets.extraColumns")}
            description={t("timesheets.extraColumnsHelp")}
            data={OPTIONAL_COLUMNS.map((c) => ({ value: c, label: t(`timesheets.optional.${c}`), disabled: !withProtime && PROTIME_ONLY.has(c) }))}
            value={chosenColumns}
            onChange={onColumns}
            clearable
            searchable
            comboboxProps={{ withinPortal: false }}
          />
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
