-- What happens after a report: dated updates and justice-process steps (the timeline),
-- notifications to followers (batched), and the campaign calendar's posts.

CREATE TABLE case_updates (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    created_at   TEXT NOT NULL,
    author_id    TEXT NOT NULL REFERENCES members (user_id),
    state        TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected')),
    happened_on  TEXT NOT NULL,                 -- YYYY-MM-DD the update refers to
    body         TEXT NOT NULL,
    source_url   TEXT NOT NULL DEFAULT '',
    stage_from   TEXT,                          -- a justice-process step, if the update is one
    stage_to     TEXT,
    skip_reason  TEXT NOT NULL DEFAULT '',
    reviewed_by  TEXT,
    reviewed_at  TEXT,
    edited_at    TEXT
);
CREATE INDEX case_updates_case ON case_updates (case_id, state, happened_on);
CREATE INDEX case_updates_proposed ON case_updates (state) WHERE state = 'proposed';

-- One row per follower and approved update until it goes out; rows that arrive within the
-- batching window of a follower's first waiting row go out together in one DM.
CREATE TABLE update_notifications (
    user_id   TEXT NOT NULL REFERENCES members (user_id),
    update_id INTEGER NOT NULL REFERENCES case_updates (id),
    queued_at TEXT NOT NULL,
    sent_at   TEXT,
    PRIMARY KEY (user_id, update_id)
) WITHOUT ROWID;
CREATE INDEX update_notifications_waiting ON update_notifications (queued_at)
    WHERE sent_at IS NULL;
