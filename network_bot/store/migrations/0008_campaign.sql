-- The campaign desk: cases the campaign carries all year (emblematic), UNESCO's requests about
-- each killing and the state's answer, and the charts the campaign digests carry.

-- One row per case a coordinator has marked (or unmarked) emblematic; who did it last, when.
CREATE TABLE case_campaign (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id),
    emblematic  INTEGER NOT NULL DEFAULT 0 CHECK (emblematic IN (0, 1)),
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL
);
CREATE INDEX case_campaign_emblematic ON case_campaign (case_id) WHERE emblematic = 1;

-- UNESCO's request to the state about one killing, for one report cycle (the year of the
-- Director-General's report), and what the state answered: the judicial status it gave.
CREATE TABLE unesco_requests (
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    cycle        INTEGER NOT NULL CHECK (cycle BETWEEN 2000 AND 2100),
    requested_on TEXT NOT NULL,                      -- YYYY-MM-DD
    answer       TEXT NOT NULL DEFAULT 'none' CHECK (answer IN ('none', 'resolved', 'ongoing')),
    answered_on  TEXT,                               -- YYYY-MM-DD, only with an answer
    source_url   TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    CHECK ((answer = 'none') = (answered_on IS NULL)),
    PRIMARY KEY (case_id, cycle)
) WITHOUT ROWID;
CREATE INDEX unesco_requests_answered ON unesco_requests (case_id, answer);

-- A chart a campaign digest promised: drawn and uploaded after the digest is queued, once.
CREATE TABLE campaign_charts (
    id          INTEGER PRIMARY KEY,
    created_at  TEXT NOT NULL,
    dedupe_key  TEXT NOT NULL UNIQUE,
    target_id   TEXT NOT NULL,                       -- a channel, or a user (their DM)
    spec        TEXT NOT NULL,                       -- JSON: what to draw, in which language
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    file_id     TEXT,
    last_error  TEXT,
    sent_at     TEXT
);
CREATE INDEX campaign_charts_due ON campaign_charts (next_attempt_at, id) WHERE state = 'pending';
