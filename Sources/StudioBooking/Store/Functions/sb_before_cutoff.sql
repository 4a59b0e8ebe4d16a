-- Whether a customer may still cancel or move a booking starting at p_start (docs/behaviour.md:
-- Your booking): while the start is more than p_hours (BOOKING_CANCEL_HOURS) after p_now, the
-- studios' local time now. The one home of the cutoff: the booking page asks it whether to offer
-- the actions, sb_cancel_booking and sb_reschedule_booking whether to do them.
CREATE OR REPLACE FUNCTION sb_before_cutoff(p_start timestamp, p_now timestamp, p_hours integer) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT p_start > p_now + make_interval(hours => p_hours)
$$;
