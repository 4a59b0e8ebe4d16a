#!/usr/bin/python3
"""The booking's calendar file (/booking/{ref}.ics) read by a real iCalendar parser: Debian's
python3-icalendar. Also checks the raw form RFC 5545 asks for: CRLF lines of at most 75 octets.

Run by `make test` (.ci/test) against the running stack; reads TEST_BASE_URL, TEST_APP_DATABASE_URL
and TEST_RUN_DIR. Prints `N passed, N failed` and exits non-zero on any failure.
"""
import datetime
import os
import secrets
import subprocess
import sys
import traceback
import urllib.error
import urllib.request
import zoneinfo

import icalendar

BASE = os.environ["TEST_BASE_URL"]
DB = os.environ["TEST_APP_DATABASE_URL"]
RUN_DIR = os.environ.get("TEST_RUN_DIR", "/tmp")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")


def sql(query, *args):
    """One value from the app's database, through psql with bound variables."""
    cmd = ["psql", DB, "-qtA", "-v", "ON_ERROR_STOP=1"]
    for i, a in enumerate(args):
        cmd += ["-v", f"p{i}={a}"]
    return subprocess.run(cmd, input=query, capture_output=True, text=True, check=True).stdout.strip()


def fetch(path):
    with urllib.request.urlopen(BASE + path, timeout=10) as reply:
        return reply.status, reply.headers.get("Content-Type"), reply.read()


def a_booking(name, day, jam, hours):
    """A booking of a studio of its own, written as the app writes one; answers its ref."""
    ref = secrets.token_hex(16)
    studio = sql("INSERT INTO studio (nama_studio) VALUES (:'p0') RETURNING id_studio", name)
    sql("INSERT INTO booking_online (ref, nama_customer, telp_customer, studio_id, tanggal_booking, jam_booking, "
        "durasi_jam, kode_cs) VALUES (:'p0', 'Kalender', '081200000000', :p1, :'p2', :'p3', :p4, 'CS-000000')",
        ref, studio, day.isoformat(), jam, hours)
    return ref


def parse(body):
    """The one event of the file, after checking its raw lines."""
    assert body.endswith(b"\r\n"), body[-20:]
    lines = body.split(b"\r\n")[:-1]
    for line in lines:
        assert b"\n" not in line and b"\r" not in line, line
        assert len(line) <= 75, (len(line), line)
        line.decode("utf-8")  # a fold never cuts a character in two
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.get("VERSION") == "2.0", calendar.get("VERSION")
    events = calendar.walk("VEVENT")
    assert len(events) == 1, events
    return events[0]


def test_the_calendar_file_of_a_booking():
    # A long name with characters of several octets: its SUMMARY line must be folded.
    name = "Studio Ñusantara — Ruang Rekaman 🎙 Jalan Kenanga Nomor 7, Bandung; lantai 2"
    day = datetime.date.today() + datetime.timedelta(days=40)
    ref = a_booking(name, day, "22:00", 3)
    status, content_type, body = fetch(f"/booking/{ref}.ics")
    assert status == 200 and content_type == "text/calendar; charset=utf-8", (status, content_type)
    with open(os.path.join(RUN_DIR, "calendar-booking.ics"), "wb") as saved:
        saved.write(body)
    assert any(line.startswith(b" ") for line in body.split(b"\r\n")), "the long SUMMARY is folded"
    event = parse(body)
    assert str(event["UID"]) == f"{ref}@studio-booking", event["UID"]
    start = datetime.datetime.combine(day, datetime.time(22), JAKARTA)
    assert event["DTSTART"].dt == start, (event["DTSTART"].dt, start)
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(0), "in UTC"
    assert event["DTEND"].dt == start + datetime.timedelta(hours=3), event["DTEND"].dt
    assert name in str(event["SUMMARY"]), event["SUMMARY"]
    assert str(event["STATUS"]) == "CONFIRMED", event["STATUS"]
    assert int(event["SEQUENCE"]) == 0
    assert "Lama sesi: 3 jam" in str(event["DESCRIPTION"]), event["DESCRIPTION"]
    assert isinstance(event["DTSTAMP"].dt, datetime.datetime)

    # Cancelled: the same event (UID), a higher SEQUENCE, STATUS:CANCELLED.
    now = datetime.datetime.now(JAKARTA).strftime("%Y-%m-%d %H:%M:%S")
    assert sql("SELECT r_outcome FROM sb_cancel_booking(:'p0', :'p1', 24)", ref, now) == "cancelled"
    cancelled = parse(fetch(f"/booking/{ref}.ics")[2])
    assert str(cancelled["UID"]) == f"{ref}@studio-booking"
    assert str(cancelled["STATUS"]) == "CANCELLED", cancelled["STATUS"]
    assert int(cancelled["SEQUENCE"]) == 1, cancelled["SEQUENCE"]
    assert cancelled["DTSTART"].dt == start


def test_an_unknown_booking_has_no_calendar_file():
    for path in [f"/booking/{secrets.token_hex(16)}.ics", "/booking/nope.ics"]:
        try:
            fetch(path)
            raise AssertionError(f"{path} answered")
        except urllib.error.HTTPError as error:
            assert error.code == 404, (path, error.code)


def main():
    tests = [test_the_calendar_file_of_a_booking, test_an_unknown_booking_has_no_calendar_file]
    passed = failed = 0
    for test in tests:
        try:
            test()
            passed += 1
            print(f"ok   {test.__name__}")
        except Exception:
            failed += 1
            print(f"FAIL {test.__name__}")
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
