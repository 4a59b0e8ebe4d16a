-- Customers manage their own booking (docs/behaviour.md: Your booking): cancel it, move it, and
-- keep it in their calendar.

-- How many times the booking's time or status has changed: the calendar file's SEQUENCE (RFC 5545),
-- so that a calendar that imported it takes the newer one. Cancelling and moving add one.
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS jadwal_versi integer NOT NULL DEFAULT 0;

-- sb_busy_hours takes an optional booking to leave out (Functions/sb_busy_hours.sql), so that a
-- booking being moved does not overlap itself. With the old two-argument function still there,
-- every two-argument call would be ambiguous: it goes, and the function script makes the new one.
DROP FUNCTION IF EXISTS sb_busy_hours(integer, date);
