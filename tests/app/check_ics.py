#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Reads an iCalendar file with Debian's python3-icalendar (a parser we did not write) and prints
# one JSON line per VEVENT, so that tst_cli can check what a calendar program would see.
# Usage: check_ics.py FILE.ics   (exit 1 when the file does not parse or breaks a rule below)
import json
import sys

import icalendar


def main(path):
    with open(path, "rb") as f:
        data = f.read()
    calendar = icalendar.Calendar.from_ical(data)
    problems = []
    uids = set()
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            if required not in event:
                problems.append(f"{uid or '?'}: no {required}")
        if uid in uids:
            problems.append(f"{uid}: UID used twice")
        uids.add(uid)
        sequence = event.get("SEQUENCE")
        # Alarm triggers as whole days relative to the start (-14: two weeks before).
        alarms = [int(a.decoded("TRIGGER").total_seconds() // 86400)
                  for a in event.walk("VALARM")]
        categories = event.get("CATEGORIES")
        if categories is not None:
            categories = [str(c) for c in categories.cats]
        print(json.dumps({
            "uid": uid,
            "sequence": int(sequence) if sequence is not None else None,
            "start": event.decoded("DTSTART").isoformat(),
            "summary": str(event.get("SUMMARY", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "categories": categories or [],
            "alarms": alarms,
        }, ensure_ascii=False))
    for p in problems:
        print("problem: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
