// Report periods: presets resolve to inclusive YYYY-MM-DD ranges in the user's local calendar.
export type Preset = "thisWeek" | "lastWeek" | "thisMonth" | "lastMonth" | "custom";

const pad = (n: number) => String(n).padStart(2, "0");
export const iso = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

function addDays(d: Date, days: number): Date {
  const x = new Date(d);
  x.setDate(x.getDate() + days);
  return x;
}

/** ISO weeks start on Monday. */
function monday(d: Date): Date {
  return addDays(d, -((d.getDay() + 6) % 7));
}

export function presetRange(preset: Exclude<Preset, "custom">, today: Date): { from: string; to: string } {
  switch (preset) {
    case "thisWeek": {
      const m = monday(today);
      return { from: iso(m), to: iso(addDays(m, 6)) };
    }
    case "lastWeek": {
      const m = addDays(monday(today), -7);
      return { from: iso(m), to: iso(addDays(m, 6)) };
    }
    case "thisMonth":
      return {
        from: iso(new Date(today.getFullYear(), today.getMonth(), 1)),
        to: iso(new Date(today.getFullYear(), today.getMonth() + 1, 0)),
      };
    case "lastMonth":
      return {
        from: iso(new Date(today.getFullYear(), today.getMonth() - 1, 1)),
        to: iso(new Date(today.getFullYear(), today.getMonth(), 0)),
      };
  }
}

export type HoursDisplay = "hmm" | "decimal";

/** Minutes as `8:45` or `8.75` — decimal rounds to hundredths exactly as the CSV export does. */
export function formatMinutes(minutes: number, display: HoursDisplay, decimalSeparator = "."): string {
  const sign = minutes < 0 ? "-" : "";
  const a = Math.abs(minutes);
  if (display === "hmm") return `${sign}${Math.floor(a / 60)}:${pad(a % 60)}`;
  const centi = Math.floor((a * 100 + 30) / 60);
  return `${sign}${Math.floor(centi / 100)}${decimalSeparator}${pad(centi % 100)}`;
}
