"""Many workspaces: bolt's OAuth flow and token lookups on the bot's own SQLite file."""
