"""Where the playground's lines come from: the terminal (Ctrl-C leaves at once) or a script (its
end ends the session); and, inside a form, ``!close`` closing it as Slack's close button does."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TextIO

Read = Callable[[str], Awaitable[str]]
CLOSE = "!close"  # at any prompt of a form: what Slack's close button does


class FormClosed(Exception):
    """The person closed the form (``!close``) instead of answering."""


def closable(read: Read) -> Read:
    """``read``, except that ``!close`` closes the form, as Slack's close button would."""

    async def read_or_close(prompt: str) -> str:
        typed = await read(prompt)
        if typed.strip().casefold() == CLOSE:
            raise FormClosed
        return typed

    return read_or_close


def terminal_reader() -> Read:
    """``input()`` in a daemon thread: Ctrl-C ends the playground at once (an executor thread
    blocked in ``input()`` would hold the exit until another Enter)."""

    async def read(prompt: str) -> str:
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[str] = loop.create_future()

        def settle(line: str | None, error: BaseException | None) -> None:
            if answer.done():
                return
            if error is not None:
                answer.set_exception(error)
            else:
                answer.set_result(line or "")

        def wait_for_line() -> None:
            try:
                line = input(prompt)
            except BaseException as error:  # EOFError above all: handed to the loop
                loop.call_soon_threadsafe(settle, None, error)
                return
            loop.call_soon_threadsafe(settle, line, None)

        threading.Thread(target=wait_for_line, name="playground-input", daemon=True).start()
        return await answer

    return read


def script_reader(lines: list[str], out: TextIO) -> Read:
    """Answers from a file, echoed as if typed; the end of the file ends the session."""
    feed = iter(lines)

    async def read(prompt: str) -> str:
        line = next(feed, None)
        if line is None:
            print(prompt, file=out, flush=True)
            raise EOFError
        print(prompt + line, file=out, flush=True)
        return line

    return read
