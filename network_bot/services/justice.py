"""The justice process as a graph: which step may follow which.

A coordinator may record a step the graph does not allow next (news often arrives late: a
conviction reported before the charges were), but only by confirming the skip with a reason.
"""

from __future__ import annotations

from network_bot.i18n import Text, say
from network_bot.vocabulary import Stage

NEXT: dict[Stage, frozenset[Stage]] = {
    Stage.NO_INVESTIGATION: frozenset(
        {Stage.INVESTIGATION_OPENED, Stage.CLOSED, Stage.TIME_BARRED}
    ),
    Stage.INVESTIGATION_OPENED: frozenset(
        {Stage.SUSPECT_IDENTIFIED, Stage.CHARGED, Stage.CLOSED, Stage.TIME_BARRED}
    ),
    Stage.SUSPECT_IDENTIFIED: frozenset({Stage.CHARGED, Stage.CLOSED, Stage.TIME_BARRED}),
    Stage.CHARGED: frozenset({Stage.ON_TRIAL, Stage.CLOSED, Stage.TIME_BARRED}),
    Stage.ON_TRIAL: frozenset({Stage.CONVICTED_PARTIAL, Stage.CONVICTED_FULL, Stage.ACQUITTED}),
    Stage.CONVICTED_PARTIAL: frozenset(
        {Stage.CONVICTED_FULL, Stage.INVESTIGATION_OPENED, Stage.CHARGED, Stage.ON_TRIAL}
    ),
    Stage.ACQUITTED: frozenset({Stage.ON_TRIAL, Stage.INVESTIGATION_OPENED, Stage.CLOSED}),
    Stage.CLOSED: frozenset({Stage.INVESTIGATION_OPENED}),
    Stage.TIME_BARRED: frozenset(),
    Stage.CONVICTED_FULL: frozenset(),
}


class TransitionError(ValueError):
    """The step cannot be recorded as asked; ``text`` says what would make it valid."""

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


class SkipNeedsReason(TransitionError):
    """The step skips the usual order and no reason was given: the reason is what is missing."""


def check(current: Stage, wanted: Stage, *, skip_reason: str) -> bool:
    """True if ``wanted`` is a skip (allowed because a reason was given); raise if invalid."""
    if wanted is current:
        raise TransitionError(say("The case is already at “{stage}”.", stage=current))
    if wanted in NEXT[current]:
        return False
    if len(skip_reason.strip()) < 5:
        allowed = tuple(sorted(NEXT[current], key=lambda s: s.label))
        if not allowed:
            raise SkipNeedsReason(
                say(
                    "From “{current}” the process has ended (an appeal or a reopening is the "
                    "exception). To record “{wanted}” anyway, give the reason for the skip.",
                    current=current,
                    wanted=wanted,
                )
            )
        raise SkipNeedsReason(
            say(
                "From “{current}” the next step is normally one of: {allowed}. To record "
                "“{wanted}” anyway, give the reason for the skip.",
                current=current,
                allowed=allowed,
                wanted=wanted,
            )
        )
    return True
