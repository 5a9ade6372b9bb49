-- One word per thing in the outbox (network_bot/store/deliveries.py).

-- A coordinator's choice of a channel that may be shared with another organisation is a column
-- of its own, no longer a key hidden in the message body.
ALTER TABLE outbox ADD COLUMN shared_ok INTEGER NOT NULL DEFAULT 0 CHECK (shared_ok IN (0, 1));
UPDATE outbox SET shared_ok = 1 WHERE json_extract(payload, '$.shared_ok') = 1;
UPDATE outbox SET payload = json_remove(payload, '$.shared_ok')
 WHERE json_type(payload, '$.shared_ok') IS NOT NULL;

-- A proposed update's cards, their closing edits and a follower's news of updates all belong
-- to updates: one ref_kind, 'update' (it was also 'update-card' and 'updates').
UPDATE outbox SET ref_kind = 'update' WHERE ref_kind IN ('update-card', 'updates');

-- A recalled alert's copy becomes a recall note: its key says so ('withdraw:' before).
UPDATE outbox SET dedupe_key = 'recall:' || substr(dedupe_key, 10)
 WHERE dedupe_key LIKE 'withdraw:%';
