#!/usr/bin/env python3
"""The peer of Timebridge's scale benchmark: the month report as an integrator would write it in
Python without us, reasonably fast.

One JSON-RPC `timesheet` call (urllib, standard library), the JSON parsed once, one row per employee
and local start day with the same rules as Timebridge's report (whole minutes per session, half a
minute up; lunch inside the session windows, lunch outside them apart; first in, last out; sessions
without an end counted and flagged, not added; elapsed time across DST changes from UTC instants),
ZoneInfo objects cached per zone, and an XLSX written with openpyxl's write-only workbook: a Summary
sheet (per employee, per ISO week, overall) and the Timesheet sheet with a total row after each
employee.

Differences from Timebridge's report, on purpose (it is one call, not two): no `extended-sessions`,
so no absences and no absence-only days (Timebridge has a row for those), no groups, punch details
or expected time; sessions without a usable time zone are read in UTC.

Usage: timesheet_peer.py ENDPOINT API_KEY FROM TO OUT.xlsx   (prints "rows=<n> seconds=<s>")
"""
import json
import sys
import time
import urllib.request
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import openpyxl
from openpyxl.cell import WriteOnlyCell

_ZONES = {}


def zone(name):
    z = _ZONES.get(name)
    if z is None:
        try:
            z = ZoneInfo(name)
        except Exception:  # unknown or empty zone name
            z = timezone.utc
        _ZONES[name] = z
    return z


def instant(text, tz):
    """Seconds since the epoch of a local `YYYY-MM-DD HH:MM:SS` in `tz`."""
    return datetime.fromisoformat(text).replace(tzinfo=tz).timestamp()


def minutes(seconds):
    return int(seconds + 30) // 60


def employee_order(number):
    return (int(number), number) if number.isdigit() else (float("inf"), number)


def fetch(endpoint, key, start, end):
    body = json.dumps({"jsonrpc": "2.0", "method": "timesheet",
                       "params": {"startDate": start, "endDate": end}, "id": 1}).encode()
    request = urllib.request.Request(endpoint, data=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as answer:
        return json.loads(answer.read())["result"]


def day_rows(employees, start, end):
    """(number, date) -> day figures, for the local start dates within start..end."""
    days = {}
    for emp in employees:
        number = emp.get("employeeNumber")
        number = "(no number)" if number is None else str(number)
        email = emp.get("email")
        for s in emp.get("sessions") or []:
            local_day = s["startDate"][:10]
            if not start <= local_day <= end:
                continue
            zone_name = (s.get("timezone") or "UTC").replace("\\/", "/")
            tz = zone(zone_name)
            d = days.get((number, local_day))
            if d is None:
                d = days[(number, local_day)] = {
                    "email": email, "first": None, "last": None, "sessions": 0, "worked": 0,
                    "lunch": 0, "outside": 0, "open": False, "zone": zone_name}
            d["email"], d["zone"] = email, zone_name
            d["sessions"] += 1
            began = instant(s["startDate"], tz)
            if d["first"] is None or began < d["first"][0]:
                d["first"] = (began, s["startDate"][11:16])
            if not s.get("endDate"):
                d["open"] = True
                continue
            ended = instant(s["endDate"], tz)
            if d["last"] is None or ended > d["last"][0]:
                d["last"] = (ended, s["endDate"][11:16])
            d["worked"] += minutes(max(ended - began, 0))
            for lunch in s.get("lunches") or []:
                if not lunch.get("endDate"):
                    continue
                a, b = instant(lunch["startDate"], tz), instant(lunch["endDate"], tz)
                inside = max(min(b, ended) - max(a, began), 0)
                d["lunch"] += inside
                d["outside"] += max(b - a, 0) - inside
    return days


def duration_cells(sheet):
    """Cells of a duration as a fraction of a day, shown `[h]:mm` (what payroll's spreadsheet reads
    as time, as in Timebridge's XLSX)."""
    def cells(*minute_values):
        out = []
        for m in minute_values:
            c = WriteOnlyCell(sheet, value=m / 1440)
            c.number_format = "[h]:mm"
            out.append(c)
        return out
    return cells


def write(days, start, end, out):
    keys = sorted(days, key=lambda k: (employee_order(k[0]), k[1]))
    per_employee, per_week, overall = {}, {}, [0, 0, 0, 0, 0]
    rows = []
    for number, day in keys:
        d = days[(number, day)]
        lunch, outside = minutes(d["lunch"]), minutes(d["outside"])
        iso = date.fromisoformat(day).isocalendar()
        week = f"{iso[0]}-W{iso[1]:02}"
        rows.append((number, d, day, week, lunch, outside))
        for totals in (per_employee.setdefault(number, [0, 0, 0, 0, 0]),
                       per_week.setdefault(week, [0, 0, 0, 0, 0]), overall):
            totals[0] += 1
            totals[1] += d["sessions"]
            totals[2] += d["worked"]
            totals[3] += lunch
            totals[4] += d["open"]

    wb = openpyxl.Workbook(write_only=True)
    summary = wb.create_sheet("Summary")
    times = duration_cells(summary)
    summary.append(["Timesheet report"])
    summary.append([f"Period {start} to {end}"])
    for title, table in (("Per employee", per_employee), ("Per ISO week", per_week),
                         ("Overall", {"All": overall})):
        summary.append([title])
        summary.append(["", "Days", "Sessions", "Worked", "Lunch", "Net", "Open sessions"])
        for key, (n_days, sessions, worked, lunch, n_open) in table.items():
            summary.append([key, n_days, sessions] + times(worked, lunch, worked - lunch)
                           + [n_open])

    sheet = wb.create_sheet("Timesheet")
    sheet.freeze_panes = "A2"
    times = duration_cells(sheet)
    sheet.append(["Employee", "Email", "Date", "ISO week", "First in", "Last out", "Sessions",
                  "Worked", "Lunch", "Net", "Lunch outside sessions", "Absences",
                  "Open session", "Time zone"])
    total = [0, 0, 0, 0]
    for i, (number, d, day, week, lunch, outside) in enumerate(rows):
        sheet.append([number, d["email"] or "", day, week, d["first"][1] if d["first"] else "",
                      d["last"][1] if d["last"] else "", d["sessions"]]
                     + times(d["worked"], lunch, d["worked"] - lunch, outside)
                     + ["", "yes" if d["open"] else "no", d["zone"]])
        total = [total[0] + d["sessions"], total[1] + d["worked"], total[2] + lunch,
                 total[3] + outside]
        if i + 1 == len(rows) or rows[i + 1][0] != number:
            sheet.append(["Total", number, "", "", "", "", total[0]]
                         + times(total[1], total[2], total[1] - total[2], total[3]))
            total = [0, 0, 0, 0]
    wb.save(out)
    return len(rows)


def main():
    endpoint, key, start, end, out = sys.argv[1:6]
    began = time.perf_counter()
    employees = fetch(endpoint, key, start, end)
    n = write(day_rows(employees, start, end), start, end, out)
    print(f"rows={n} seconds={time.perf_counter() - began:.3f}")


if __name__ == "__main__":
    main()
