-- Every member in their own language, and alerts that carry the coordinator's translations.

-- members.language holds the language the bot speaks to the member (en, fr, es, ar): taken
-- from their Slack locale (users.info with include_locale) until they choose one themselves
-- with /network language; once chosen, Slack's locale no longer changes it.
ALTER TABLE members ADD COLUMN language_chosen INTEGER NOT NULL DEFAULT 0
    CHECK (language_chosen IN (0, 1));

-- The coordinator's own translations of an alert, one row per language; a member whose
-- language has a row reads it, everyone else reads the alert as written.
CREATE TABLE alert_translations (
    alert_id    INTEGER NOT NULL REFERENCES alerts (id),
    language    TEXT NOT NULL,
    headline    TEXT NOT NULL,
    body        TEXT NOT NULL,
    action_text TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (alert_id, language)
) WITHOUT ROWID;
