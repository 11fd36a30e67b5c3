#!/usr/bin/env python3
"""The peer of Timebridge's report benchmark: the same job done the way an integrator would without us.

Fetches TimeClock 365 `timesheet` for a date range with requests (one JSON-RPC call), computes worked,
lunch and net minutes per employee and day with zoneinfo, and writes an XLSX with openpyxl.

Usage: timesheet_peer.py ENDPOINT API_KEY FROM TO OUT.xlsx   (prints "rows=<n> seconds=<s>")
"""
import sys
import time
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import requests


def instant(text, zone):
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=ZoneInfo(zone))


def main():
    endpoint, key, start, end, out = sys.argv[1:6]
    began = time.perf_counter()
    body = {"jsonrpc": "2.0", "method": "timesheet", "params": {"startDate": start, "endDate": end}, "id": 1}
    answer = requests.post(endpoint, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=600)
    answer.raise_for_status()
    employees = answer.json()["result"]
    days = defaultdict(lambda: [0, 0, 0])  # worked seconds, lunch seconds, sessions
    for emp in employees:
        number = str(emp.get("employeeNumber"))
        for s in emp.get("sessions", []):
            zone = (s.get("timezone") or "UTC").replace("\\/", "/")
            if not s.get("endDate"):
                continue
            a, b = instant(s["startDate"], zone), instant(s["endDate"], zone)
            key_ = (number, s["startDate"][:10])
            days[key_][0] += (b - a).total_seconds()
            days[key_][2] += 1
            for lunch in s.get("lunches", []):
                if lunch.get("endDate"):
                    days[key_][1] += (instant(lunch["endDate"], zone) - instant(lunch["startDate"], zone)).total_seconds()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Timesheet"
    ws.append(["Employee", "Date", "Sessions", "Worked", "Lunch", "Net"])
    for (number, date), (worked, lunch, sessions) in sorted(days.items()):
        ws.append([number, date, sessions, worked / 86400, lunch / 86400, (worked - lunch) / 86400])
        for col in (4, 5, 6):
            ws.cell(row=ws.max_row, column=col).number_format = "[h]:mm"
    ws.freeze_panes = "A2"
    wb.save(out)
    print(f"rows={len(days)} seconds={time.perf_counter() - began:.3f}")


if __name__ == "__main__":
    main()
