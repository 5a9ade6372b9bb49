-- Request signatures seen within their five-minute window, so that a signed request replayed
-- is refused even after the bot restarts. A row goes once its request's timestamp is too old
-- for the signature check to accept it anyway.
CREATE TABLE seen_signatures (
    signature  TEXT PRIMARY KEY,             -- X-Slack-Signature as sent (v0=<hex>)
    expires_at INTEGER NOT NULL              -- unix seconds: request timestamp + the window
) WITHOUT ROWID;
CREATE INDEX seen_signatures_expiry ON seen_signatures (expires_at);
