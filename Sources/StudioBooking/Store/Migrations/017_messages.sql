-- Messages to customers (docs/behaviour.md: Messages): an outbox written in the same transaction
-- as the booking, cancellation or change it reports, and delivered afterwards by each responder's
-- sender (Background/MessageSender.swift).

-- What the SQL that writes messages must know of the responders' settings, one row, written by
-- every `serve` at its start from its environment (MessageSettings.swift). Rows are written per
-- channel at write time, so each row has one state, one attempt count and one error of its own,
-- and the staff page shows exactly what went where; the functions that write them (sb_pesan_tulis)
-- keep their signatures, so every code path that books, cancels or moves writes the same rows.
CREATE TABLE IF NOT EXISTS pesan_setelan (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  email         boolean NOT NULL DEFAULT false,   -- SMTP_URL set
  webhook       boolean NOT NULL DEFAULT false,   -- NOTIFY_WEBHOOK_URL set
  pengingat_jam integer NOT NULL DEFAULT 24,      -- BOOKING_REMINDER_HOURS
  zona          text    NOT NULL DEFAULT 'Asia/Jakarta', -- BOOKING_TIMEZONE: bookings' times are local
  diubah_pada   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO pesan_setelan DEFAULT VALUES ON CONFLICT DO NOTHING;

-- One message on one channel. status: waiting (due at berikutnya), sending (claimed by a sender
-- until berikutnya, its lease: a sender that died mid-send leaves it due again then), sent, failed
-- (retried for 24 hours without success; staff may send it again). mulai, durasi_jam, studio_id
-- and jadwal_versi are the booking's as the event left it: a change message names the new time, an earlier
-- confirmation still the old one. kunci is the Idempotency-Key and the e-mail's Message-ID, the
-- same on every try.
CREATE TABLE IF NOT EXISTS pesan (
  id_pesan      bigserial PRIMARY KEY,
  id_booking    integer NOT NULL REFERENCES booking_online (id_booking) ON DELETE CASCADE, -- no booking, no message
  kejadian      text NOT NULL
                CHECK (kejadian IN ('booking_created', 'booking_cancelled', 'booking_rescheduled', 'reminder')),
  saluran       text NOT NULL CHECK (saluran IN ('email', 'webhook')),
  status        text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'sending', 'sent', 'failed')),
  percobaan     integer NOT NULL DEFAULT 0,
  berikutnya    timestamptz NOT NULL DEFAULT now(),
  galat         text NULL,
  kunci         text NOT NULL DEFAULT gen_random_uuid()::text,
  studio_id     integer NOT NULL,
  mulai         timestamp NOT NULL,
  durasi_jam    smallint NOT NULL,
  jadwal_versi  integer NOT NULL DEFAULT 0,  -- the booking's calendar version then: the .ics SEQUENCE
  dibuat_pada   timestamptz NOT NULL DEFAULT now(),
  terkirim_pada timestamptz NULL,
  gagal_sejak   timestamptz NULL,          -- the first failed try: retries end 24 hours after it
  CONSTRAINT pesan_kunci_key UNIQUE (kunci)
);
-- The senders' question: what is due now. Sent and failed rows are not in it.
CREATE INDEX IF NOT EXISTS pesan_due_idx ON pesan (berikutnya) WHERE status IN ('waiting', 'sending');
-- A booking's messages: its staff page, and the reminders a cancel or move drops.
CREATE INDEX IF NOT EXISTS pesan_booking_idx ON pesan (id_booking);
