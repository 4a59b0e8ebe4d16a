-- The senders' question, per channel: what is due now on mine (MessageStore.claim, .nextDue). A
-- sender claims only the channels its responder has (SMTP_URL, NOTIFY_WEBHOOK_URL); in the one
-- index over every channel it walked past the due messages of the others, in time order, before it
-- found its own: a channel that no running responder sends (its server's settings missing for a
-- while) piled up in front of the others, and every claim walked the pile (bench/README.md,
-- session 12). Sent and failed rows are not in it, as before.
CREATE INDEX IF NOT EXISTS pesan_due_saluran_idx ON pesan (saluran, berikutnya) WHERE status IN ('waiting', 'sending');
DROP INDEX IF EXISTS pesan_due_idx;
