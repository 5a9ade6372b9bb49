-- The network's history: cases brought in from elsewhere (CPJ's database of journalists killed,
-- another installation's export), how precise each case's date is, where each case came from,
-- and which anniversaries the campaign calendar posts.

-- A date known only to the month, the year, or as a range is stored as its first possible day
-- (incident_date) and its last (date_end); nothing shows the invented day: the card says
-- "June 1993" or "June 1993, approximate". Cases reported in the bot are precise to the day.
ALTER TABLE cases ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'day'
    CHECK (date_precision IN ('day', 'month', 'year', 'range'));
ALTER TABLE cases ADD COLUMN date_end TEXT;
ALTER TABLE cases ADD COLUMN date_approximate INTEGER NOT NULL DEFAULT 0
    CHECK (date_approximate IN (0, 1));

-- Where the record comes from, in words the network may read ('' = reported in the bot), and
-- what the import had to decide (a historical country recorded under its successor, say).
ALTER TABLE cases ADD COLUMN provenance TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN provenance_note TEXT NOT NULL DEFAULT '';

-- A coordinator's choice for this case's anniversary post: 'on', 'off', or NULL for the default
-- (cases reported in the bot: on; imported cases: on only if their country is switched on).
ALTER TABLE cases ADD COLUMN anniversary TEXT CHECK (anniversary IN ('on', 'off'));

-- Countries whose imported cases' anniversaries the campaign calendar posts.
CREATE TABLE anniversary_countries (
    country TEXT PRIMARY KEY CHECK (length(country) = 2),
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per run of `network-bot import`, so a run that stopped can be recognised and continued.
CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY,
    format      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    last_line   INTEGER NOT NULL DEFAULT 0,             -- the last line of the last committed batch
    imported    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_runs_file ON import_runs (file_sha256, id);

-- Each imported case's stable key in its source, so importing a file again adds nothing and a
-- corrected file updates the rows it changes. `fields` holds the values the last import set, so
-- a correction never overwrites what a coordinator has changed since. Keys are hashes: the file
-- is public, but the database should not spell out a redacted name in a key.
CREATE TABLE case_imports (
    case_id     INTEGER PRIMARY KEY REFERENCES cases (id),
    source      TEXT NOT NULL CHECK (source IN ('cpj', 'export')),
    source_key  TEXT NOT NULL,
    row_hash    TEXT NOT NULL,
    fields      TEXT NOT NULL,
    run_id      INTEGER REFERENCES import_runs (id),
    line        INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (source, source_key)
);
