#!/usr/bin/env python3
"""Checks that the peer's rows are Timebridge's: every day row of the peer's XLSX against the same
employee and day of a `timebridge timesheet export --format csv --delimiter ,` of the same data
(first in, last out, sessions, worked, lunch, net, lunch outside, open session, zone, e-mail).
Rows only Timebridge has must be absence-only days (the peer makes no extended-sessions call).

Usage: compare_with_csv.py PEER.xlsx OURS.csv   (exit 1 on any difference)
"""
import csv
import datetime
import sys

import openpyxl


def hm(value):
    days = value.total_seconds() / 86400 if isinstance(value, datetime.timedelta) else value
    m = round(days * 1440)
    return f"{m // 60}:{m % 60:02}"


def main():
    peer_path, ours_path = sys.argv[1:3]
    ours = {}
    with open(ours_path, encoding="utf-8-sig", newline="") as f:
        for r in csv.DictReader(f):
            if r["date"]:
                ours[(r["employee_number"], r["date"])] = r
    peer = {}
    sheet = openpyxl.load_workbook(peer_path, read_only=True)["Timesheet"]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] != "Total":
            peer[(row[0], row[2])] = row
    differing = []
    for key, p in peer.items():
        o = ours.get(key)
        theirs = (p[4], p[5], str(p[6]), hm(p[7]), hm(p[8]), hm(p[9]), hm(p[10]), p[12], p[13],
                  p[1])
        mine = None if o is None else (
            o["first_in"], o["last_out"], o["sessions"], o["worked"], o["lunch"], o["net"],
            o["lunch_outside_sessions"], o["open_session"], o["time_zone"], o["email"])
        if mine != theirs:
            differing.append((key, mine, theirs))
    only_ours = [k for k in ours if k not in peer]
    not_absence = [k for k in only_ours if not (ours[k]["absences"] and ours[k]["sessions"] == "0")]
    print(f"peer rows equal to Timebridge's: {len(peer) - len(differing)} of {len(peer)}; "
          f"only in Timebridge: {len(only_ours)} absence-only days"
          + (f", {len(not_absence)} other days" if not_absence else ""))
    for key, mine, theirs in differing[:5]:
        print(f"  {key}: timebridge {mine} peer {theirs}")
    sys.exit(1 if differing or not_absence else 0)


if __name__ == "__main__":
    main()
