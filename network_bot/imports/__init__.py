"""Bringing history in: CPJ's database of journalists killed, and the bot's own exports.

Typical use (the command line's ``network-bot import``)::

    request = ImportRequest(path=Path("cpj.csv"), format=ImportFormat.CPJ, prefix="NI")
    summary = await run_import(db, request, now=now, progress_out=sys.stderr)
    print("\\n".join(summary.lines()))

One module per job: ``csvfile`` reads and checks the file, ``cpj`` and ``cpj_vocabulary`` map
CPJ's rows and words, ``exported`` reads the bot's exports back, ``dates`` and ``places`` read
messy dates and country names, ``keys`` gives rows their stable keys, ``writer`` stores a
batch, ``runner`` drives a whole import and ``summary`` says what it did.
"""

from network_bot.imports.model import ImportRefused, ImportStopped
from network_bot.imports.places import CountryProblem, parse_choices
from network_bot.imports.runner import ImportFormat, ImportRequest, run_import
from network_bot.imports.summary import ImportSummary

__all__ = [
    "CountryProblem",
    "ImportFormat",
    "ImportRefused",
    "ImportRequest",
    "ImportStopped",
    "ImportSummary",
    "parse_choices",
    "run_import",
]
