-- The roster of people who use the bot, the audit trail, and the events already handled.

CREATE TABLE members (
    user_id            TEXT PRIMARY KEY,
    team_id            TEXT,
    display_name       TEXT NOT NULL DEFAULT '',
    real_name          TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL DEFAULT 'member'
                       CHECK (role IN ('member', 'coordinator', 'admin')),
    organisation       TEXT,
    country            TEXT CHECK (country IS NULL OR length(country) = 2),
    language           TEXT,
    tz                 TEXT,
    tz_offset          INTEGER,
    is_active          INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    profile_checked_at TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX members_role ON members (role) WHERE is_active = 1;
CREATE INDEX members_country ON members (country) WHERE is_active = 1;

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT NOT NULL DEFAULT '',
    outcome   TEXT NOT NULL CHECK (outcome IN ('allowed', 'refused', 'changed', 'read', 'failed')),
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);
CREATE INDEX audit_log_target ON audit_log (target, at);

CREATE TABLE processed_events (
    event_id    TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
);
CREATE INDEX processed_events_received ON processed_events (received_at);
