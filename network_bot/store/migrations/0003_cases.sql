-- Cases: the broadcastable record, the restricted part beside it, and search over the former.

CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
) WITHOUT ROWID;

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    public_id          TEXT NOT NULL UNIQUE,            -- NI-2026-0042
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    reporter_id        TEXT NOT NULL REFERENCES members (user_id),
    reporter_anonymous INTEGER NOT NULL DEFAULT 0 CHECK (reporter_anonymous IN (0, 1)),

    -- The broadcastable part: what members, search, broadcasts and exports may show.
    victim_names       TEXT NOT NULL DEFAULT '',
    victim_withheld    INTEGER NOT NULL DEFAULT 0 CHECK (victim_withheld IN (0, 1)),
    profession         TEXT NOT NULL,
    gender             TEXT NOT NULL DEFAULT 'unknown',
    violation          TEXT NOT NULL,
    incident_date      TEXT NOT NULL,                   -- YYYY-MM-DD
    country            TEXT NOT NULL CHECK (length(country) = 2),
    place              TEXT NOT NULL DEFAULT '',
    perpetrator        TEXT NOT NULL DEFAULT 'unknown',
    urgency            TEXT NOT NULL CHECK (urgency IN ('urgent', 'high', 'routine')),
    summary            TEXT NOT NULL,
    sources            TEXT NOT NULL DEFAULT '[]',      -- JSON list of URLs

    -- The restricted part: coordinators only, every read audited.
    restricted_notes   TEXT NOT NULL DEFAULT '',

    -- Verification.
    status             TEXT NOT NULL DEFAULT 'reported'
                       CHECK (status IN ('reported', 'under_review', 'verified', 'rejected',
                                         'duplicate')),
    status_reason      TEXT NOT NULL DEFAULT '',
    duplicate_of       INTEGER REFERENCES cases (id),
    reviewed_by        TEXT,
    reviewed_at        TEXT,

    -- Justice process (its timeline lives beside it).
    justice_stage      TEXT NOT NULL DEFAULT 'no_investigation',
    justice_stage_date TEXT,

    redacted_at        TEXT
);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_country ON cases (country, status, id);
CREATE INDEX cases_violation ON cases (violation, status, id);
CREATE INDEX cases_reporter ON cases (reporter_id, id);
CREATE INDEX cases_incident ON cases (country, incident_date);

-- Full-text search over the broadcastable text only. Rowid = cases.id. The Porter stemmer
-- lets "journalists" find "journalist" and "detained" find "detention" without prefix queries,
-- which are slow on common words.
CREATE VIRTUAL TABLE cases_fts USING fts5 (
    public_id, victim_names, summary, place, country_name,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Review cards posted for coordinators, so a second click can say who already acted.
CREATE TABLE case_reviews (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id),
    channel_id  TEXT,
    ts          TEXT,
    outbox_id   INTEGER REFERENCES outbox (id)
);
