-- Alerts that rally the network, the answers to them, who follows what, and how each member
-- wants to receive alerts.

CREATE TABLE alerts (
    id               INTEGER PRIMARY KEY,
    public_id        TEXT NOT NULL UNIQUE,                 -- AL-2026-0007
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES members (user_id),
    state            TEXT NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'sent', 'recalled')),
    case_id          INTEGER REFERENCES cases (id),
    headline         TEXT NOT NULL,
    body             TEXT NOT NULL,
    action_kind      TEXT NOT NULL,
    action_text      TEXT NOT NULL DEFAULT '',
    link             TEXT NOT NULL DEFAULT '',
    deadline         TEXT,                                 -- YYYY-MM-DD
    urgency          TEXT NOT NULL CHECK (urgency IN ('urgent', 'high', 'routine')),
    audience         TEXT NOT NULL,                        -- JSON, see services/alerts.py
    recipient_count  INTEGER NOT NULL DEFAULT 0,
    digest_count     INTEGER NOT NULL DEFAULT 0,
    channel_count    INTEGER NOT NULL DEFAULT 0,
    sent_at          TEXT,
    recalled_at      TEXT,
    recalled_by      TEXT,
    status_outbox_id INTEGER REFERENCES outbox (id)        -- the sender's live status message
);
CREATE INDEX alerts_created ON alerts (created_at);

CREATE TABLE alert_responses (
    alert_id     INTEGER NOT NULL REFERENCES alerts (id),
    user_id      TEXT NOT NULL REFERENCES members (user_id),
    response     TEXT NOT NULL CHECK (response IN ('in', 'done', 'cant')),
    organisation TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    PRIMARY KEY (alert_id, user_id)
) WITHOUT ROWID;

CREATE TABLE follows (
    id         INTEGER PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES members (user_id),
    case_id    INTEGER REFERENCES cases (id),
    country    TEXT,
    created_at TEXT NOT NULL,
    CHECK ((case_id IS NULL) != (country IS NULL))
);
CREATE UNIQUE INDEX follows_case ON follows (case_id, user_id) WHERE case_id IS NOT NULL;
CREATE UNIQUE INDEX follows_country ON follows (country, user_id) WHERE country IS NOT NULL;
CREATE INDEX follows_user ON follows (user_id);

ALTER TABLE members ADD COLUMN alert_pref TEXT NOT NULL DEFAULT 'all'
    CHECK (alert_pref IN ('all', 'digest', 'mute'));

-- Alerts waiting for a member's daily digest (non-urgent alerts for members who asked for one).
CREATE TABLE digest_items (
    user_id   TEXT NOT NULL REFERENCES members (user_id),
    alert_id  INTEGER NOT NULL REFERENCES alerts (id),
    queued_at TEXT NOT NULL,
    sent_on   TEXT,                                        -- the member's local date it went out
    PRIMARY KEY (user_id, alert_id)
) WITHOUT ROWID;
CREATE INDEX digest_items_unsent ON digest_items (user_id) WHERE sent_on IS NULL;
