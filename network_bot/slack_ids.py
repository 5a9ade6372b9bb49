"""What Slack's IDs look like: the one place the bot spells their patterns.

User IDs start with U (or W on Enterprise Grid), channels with C, G (private, older) or D (a
DM), workspaces with T and Grid organisations with E. The body is upper-case letters and digits.
"""

from __future__ import annotations

import re

_BODY = r"[A-Z0-9]{2,}"
USER_ID = re.compile(rf"^[UW]{_BODY}$")
CHANNEL_ID = re.compile(rf"^[CGD]{_BODY}$")
TEAM_ID = re.compile(rf"^[TE]{_BODY}$")
CLIENT_ID = re.compile(r"^[0-9]{3,20}\.[0-9]{3,20}$")  # an app's Client ID (Basic Information)
MENTIONABLE_ID = re.compile(rf"^[UWCGD]{_BODY}$")  # what kit.mention may wrap in <@…>/<#…>
# Slack's escaped forms in command text (``should_escape``), and the bare IDs people type.
USER_MENTION = re.compile(rf"^<@([UW]{_BODY})(?:\|[^>]*)?>$|^@?([UW][A-Z0-9]{{8,}})$")
CHANNEL_MENTION = re.compile(rf"^<#([CG]{_BODY})(?:\|[^>]*)?>$|^#?([CG][A-Z0-9]{{8,}})$")
USER_MARKUP = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL_MARKUP = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>")
