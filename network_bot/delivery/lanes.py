"""One lane per workspace: each sends under its own limits, so workspaces never wait on each other.

Slack's limits are per app per workspace (docs.slack.dev/apis/web-api/rate-limits): a workspace
budget, about one message a second per channel, and ``Retry-After`` on a 429 for that workspace.
A lane holds its workspace's pacers (one per method), its channels' pacers, its pauses and its
share of the sender's concurrency, so five workspaces deliver five times as fast as one, and a
throttled or uninstalled workspace holds up only its own messages. Which lanes may have due
deliveries is tracked here too: a lane whose last claim came back short waits for the next wake
before asking again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from network_bot.delivery.ratelimit import Pacer, Pauses, PerKeyPacers
from network_bot.store import outbox
from network_bot.store.db import Conn
from network_bot.store.outbox import Delivery


class Lanes:
    """``headroom``: the share of each limit the pacers book calls at (Slack's own limit,
    the configured rate, also caps any one window)."""

    def __init__(
        self, *, workspace_rate: float, channel_rate: float, concurrency: int, headroom: float
    ) -> None:
        self._workspace_rate = workspace_rate
        self._headroom = headroom
        self._concurrency = concurrency
        self._pacers: dict[str, Pacer] = {}
        self._channels = PerKeyPacers(rate=channel_rate * headroom, limit=channel_rate)
        self.pauses = Pauses()
        self._busy: Counter[str] = Counter()
        self._drained: set[str] = set()
        self.auth_failed: set[str] = set()

    def pacer(self, workspace: str, method: str) -> Pacer:
        """Slack's limits are per method per workspace: a status edit (``chat.update``) does
        not spend the budget the posts need."""
        key = self.method(workspace, method)
        found = self._pacers.get(key)
        if found is None:
            found = self._pacers[key] = Pacer(
                rate=self._workspace_rate * self._headroom, limit=self._workspace_rate
            )
        return found

    def channel(self, workspace: str, channel: str) -> Pacer:
        return self._channels.pacer(f"{workspace}\x00{channel}")

    @staticmethod
    def method(workspace: str, method: str) -> str:
        """The key a 429 pauses: one method, in one workspace."""
        return f"{workspace}\x00{method}"

    # ------------------------------------------------------------------ concurrency

    def free(self, workspace: str) -> int:
        return self._concurrency - self._busy[workspace]

    def take(self, workspace: str) -> None:
        self._busy[workspace] += 1

    def give(self, workspace: str) -> None:
        self._busy[workspace] -= 1
        if self._busy[workspace] <= 0:
            del self._busy[workspace]
        self._drained.discard(workspace)  # it may have more to send now

    # ------------------------------------------------------------------ which lanes to ask

    def candidates(self, known: Iterable[str]) -> list[str]:
        """Lanes that may have due deliveries and have room, busiest-free first."""
        wanted = {*known, *self._busy}
        found = [w for w in wanted if w not in self._drained and self.free(w) > 0]
        return sorted(found, key=lambda w: (-self.free(w), w))

    async def claim(self, tx: Conn, lanes: list[str], *, now: datetime) -> list[Delivery]:
        """Each lane's due deliveries, up to its free share, most urgent first (by the
        ``outbox_due_workspace`` index); a lane that came back short is drained."""
        claimed: list[Delivery] = []
        for workspace in lanes:
            free = self.free(workspace)
            deliveries = await outbox.claim_due(tx, now=now, limit=free, workspace_id=workspace)
            if len(deliveries) < free:
                self.drained(workspace)
            claimed += deliveries
        return claimed

    def drained(self, workspace: str) -> None:
        """Its last claim came back short: ask again after the next wake."""
        self._drained.add(workspace)

    def wake(self) -> None:
        self._drained.clear()
