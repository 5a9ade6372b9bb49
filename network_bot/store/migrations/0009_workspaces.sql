-- One network across many Slack workspaces: bolt's installations (tokens encrypted), the OAuth
-- states of installs in progress, which workspaces the network approved, and which workspace
-- each member, each queued message and each audit entry belongs to.

-- bolt's installation store, shaped like slack_sdk's own SQL stores. Every credential column
-- (tokens, refresh tokens, the incoming webhook URL) holds Fernet ciphertext, never the token.
-- An org-wide (Enterprise Grid) install has team_id '' and is_enterprise_install 1.
CREATE TABLE slack_installations (
    id                                 INTEGER PRIMARY KEY,
    client_id                          TEXT NOT NULL,
    app_id                             TEXT,
    enterprise_id                      TEXT NOT NULL DEFAULT '',
    enterprise_name                    TEXT,
    enterprise_url                     TEXT,
    team_id                            TEXT NOT NULL DEFAULT '',
    team_name                          TEXT,
    bot_token                          TEXT,
    bot_id                             TEXT,
    bot_user_id                        TEXT,
    bot_scopes                         TEXT,
    bot_refresh_token                  TEXT,
    bot_token_expires_at               INTEGER,
    user_id                            TEXT NOT NULL DEFAULT '',
    user_token                         TEXT,
    user_scopes                        TEXT,
    user_refresh_token                 TEXT,
    user_token_expires_at              INTEGER,
    incoming_webhook_url               TEXT,
    incoming_webhook_channel           TEXT,
    incoming_webhook_channel_id        TEXT,
    incoming_webhook_configuration_url TEXT,
    is_enterprise_install              INTEGER NOT NULL DEFAULT 0,
    token_type                         TEXT,
    installed_at                       REAL NOT NULL
);
CREATE INDEX slack_installations_find
    ON slack_installations (client_id, enterprise_id, team_id, user_id, installed_at);

CREATE TABLE slack_bots (
    id                    INTEGER PRIMARY KEY,
    client_id             TEXT NOT NULL,
    app_id                TEXT,
    enterprise_id         TEXT NOT NULL DEFAULT '',
    enterprise_name       TEXT,
    team_id               TEXT NOT NULL DEFAULT '',
    team_name             TEXT,
    bot_token             TEXT NOT NULL,
    bot_id                TEXT NOT NULL,
    bot_user_id           TEXT NOT NULL,
    bot_scopes            TEXT,
    bot_refresh_token     TEXT,
    bot_token_expires_at  INTEGER,
    is_enterprise_install INTEGER NOT NULL DEFAULT 0,
    installed_at          REAL NOT NULL
);
CREATE INDEX slack_bots_find ON slack_bots (client_id, enterprise_id, team_id, installed_at);

-- bolt's OAuth state store: one row per install started, consumed once.
CREATE TABLE oauth_states (
    state     TEXT PRIMARY KEY,
    expire_at REAL NOT NULL
) WITHOUT ROWID;

-- The workspaces that installed the bot and what the network's admins decided about each.
-- workspace_id is the team (T...) of a workspace install, or the organisation (E...) of an
-- org-wide install, which covers every workspace of that organisation.
CREATE TABLE workspaces (
    workspace_id          TEXT PRIMARY KEY,
    enterprise_id         TEXT,
    is_enterprise_install INTEGER NOT NULL DEFAULT 0 CHECK (is_enterprise_install IN (0, 1)),
    name                  TEXT NOT NULL DEFAULT '',
    state                 TEXT NOT NULL DEFAULT 'pending'
                          CHECK (state IN ('pending', 'approved', 'removed')),
    installed             INTEGER NOT NULL DEFAULT 0 CHECK (installed IN (0, 1)),
    installed_by          TEXT,
    installed_at          TEXT,
    decided_by            TEXT,
    decided_at            TEXT,
    detail                TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
) WITHOUT ROWID;

-- Which workspace a member uses the bot from (its approval unit as above), the organisation
-- (Grid) they belong to, and, while their workspace is removed, which removal took their access.
ALTER TABLE members ADD COLUMN workspace_id TEXT;
ALTER TABLE members ADD COLUMN enterprise_id TEXT;
ALTER TABLE members ADD COLUMN suspended_with TEXT;
CREATE INDEX members_workspace ON members (workspace_id, user_id);

-- Each message goes out with its own workspace's token ('' is the home workspace).
ALTER TABLE outbox ADD COLUMN workspace_id TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_due_workspace ON outbox (workspace_id, priority DESC, next_attempt_at, id)
    WHERE state = 'pending';

-- The workspace the actor used, so the trail says which organisation's workspace acted.
ALTER TABLE audit_log ADD COLUMN actor_workspace TEXT;

-- A confirmed alert is committed at once and its audience is queued afterwards, in chunks:
-- expanded_through is the last member queued, so a restart resumes where it stopped.
ALTER TABLE alerts ADD COLUMN expansion TEXT NOT NULL DEFAULT 'done'
    CHECK (expansion IN ('pending', 'done'));
ALTER TABLE alerts ADD COLUMN expanded_through TEXT;
CREATE INDEX alerts_expanding ON alerts (id) WHERE expansion = 'pending';
