"""imid-onto's exceptions. Each renders as one line a user can act on; the CLI maps them
to exit codes (bad input or usage: 2, a failed check: 1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["ImidError", "InputError", "ParseError", "CheckFailed", "ReasonerUnavailable"]


class ImidError(Exception):
    """Base class of every error imid-onto reports to a user."""

    exit_code = 2


class InputError(ImidError):
    """A file or argument that cannot be used as given."""

    exit_code = 2


@dataclass
class ParseError(InputError):
    """An RDF file that does not parse: names the file, line and column."""

    path: Path
    line: int | None
    column: int | None
    reason: str

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: syntax error: {self.reason}"


class CheckFailed(ImidError):
    """A check ran and found problems (exit 1)."""

    exit_code = 1


class ReasonerUnavailable(ImidError):
    """The OWL reasoner cannot run here (for HermiT: no Java)."""

    exit_code = 2
