"""Errors that name the file, the line and what was expected."""

from __future__ import annotations

# Rejection kinds of files recognised as no department's document (BlankTemplate): listed in
# raw.rejected_documents like a rejection, never a failure of the run or the build.
SET_ASIDE_KINDS = frozenset({"blank_template"})


class IngestError(Exception):
    """Input the ingest cannot read or place. Always names where and what was expected."""

    def __init__(self, file_name: str, line: int | None, expected: str, found: str | None = None):
        self.file_name = file_name
        self.line = line
        self.expected = expected
        self.found = found
        where = f"{file_name}:{line}" if line else file_name
        message = f"{where}: expected {expected}"
        if found is not None:
            message += f"; found {found!r}"
        super().__init__(message)

    def __reduce__(self):
        # Parsing runs in worker processes; the error must cross back with its fields.
        return (type(self), (self.file_name, self.line, self.expected, self.found))


class AmbiguousPlacement(IngestError):
    """More than one placement of a row's figures satisfies every constraint."""


class UnknownTemplate(IngestError):
    """No family recognises the document (or more than one does): it cannot be identified, so
    it is rejected whole (unknown_template)."""


class BlankTemplate(IngestError):
    """A family's blank template (a placeholder department such as 上海市XX局, every table empty):
    recognised, so it is set aside rather than rejected. It is no department's document, so
    nothing of it is loaded, and it is no failure either: the finance bureau publishes the
    template beside the accounts, and a folder of downloads holds it."""
