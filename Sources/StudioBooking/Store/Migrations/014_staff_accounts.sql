-- Staff accounts managed by admins (docs/behaviour.md: The staff area, Accounts): failed sign-ins
-- are counted per user name here, shared by every responder, as nginx counts them per address.

-- One row per sign-in attempt whose password was wrong, or is being checked (an attempt is
-- written before the check and removed by a sign-in that succeeds, so attempts running at once
-- count too). Names as typed, known or not: a name that does not exist is slowed the same way,
-- so being slowed tells nothing about which names exist. Rows older than the window are deleted
-- by the next attempt.
CREATE TABLE IF NOT EXISTS staff_signin_failure (
  id        bigserial PRIMARY KEY,
  username  text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS staff_signin_failure_username_idx ON staff_signin_failure (username, failed_at);
CREATE INDEX IF NOT EXISTS staff_signin_failure_at_idx ON staff_signin_failure (failed_at);
