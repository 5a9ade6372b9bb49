-- The durable outbox: one row per message the bot will send, edit or delete on its own.
-- Rows are written in the same transaction as the change that causes them, and a worker
-- delivers them within Slack's rate limits; nothing is sent from a request handler directly.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    created_at      TEXT NOT NULL,
    purpose         TEXT NOT NULL,               -- alert, review, urgent, notification, calendar...
    operation       TEXT NOT NULL DEFAULT 'post' CHECK (operation IN ('post', 'update', 'delete')),
    target_kind     TEXT NOT NULL CHECK (target_kind IN ('user', 'channel')),
    target_id       TEXT NOT NULL,               -- a user (their DM) or a channel
    payload         TEXT NOT NULL,               -- JSON: text, blocks
    priority        INTEGER NOT NULL DEFAULT 0,  -- higher first: urgent before routine
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sending_at      TEXT,
    last_error      TEXT,
    channel_id      TEXT,                        -- where it landed (a DM's D... id)
    ts              TEXT,                        -- Slack's message ts once sent
    sent_at         TEXT,
    edits_id        INTEGER REFERENCES outbox (id), -- update/delete: the delivered row to change
    ref_kind        TEXT,                        -- what it belongs to: alert, case, digest...
    ref_id          INTEGER,
    dedupe_key      TEXT UNIQUE                  -- the same message is never queued twice
);
CREATE INDEX outbox_due ON outbox (priority DESC, next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX outbox_sending ON outbox (id) WHERE state = 'sending';
CREATE INDEX outbox_ref ON outbox (ref_kind, ref_id, state);
CREATE INDEX outbox_target ON outbox (target_id, created_at);
