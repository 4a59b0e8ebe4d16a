-- Bookings by staff (docs/behaviour.md: Bookings by staff): attendance, and cancel and move by the
-- desk, legacy bookings included.

-- Whether the customer came: true, false (a no-show), NULL (not recorded, or not begun yet). Staff
-- record it once the session has begun; the customer's page counts the no-shows.
ALTER TABLE booking_online ADD COLUMN IF NOT EXISTS hadir boolean NULL;

-- sb_cancel_booking and sb_reschedule_booking take a booking by id as well as by ref (a legacy row
-- has no ref), and a cutoff that staff pass as NULL, none (Functions/). With the old signatures
-- still there, every call would be ambiguous: they go, and the function scripts make the new ones.
DROP FUNCTION IF EXISTS sb_cancel_booking(text, timestamp, integer);
DROP FUNCTION IF EXISTS sb_reschedule_booking(text, integer, date, time, smallint, timestamp, integer);
