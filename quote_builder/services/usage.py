"""Usage evidence use cases: simulate the pricing models over a usage log file."""

from __future__ import annotations

from pathlib import Path

from quote_builder.errors import UserFacingError
from quote_builder.services.pricing import read_quote_file
from quote_builder.usage import UsageLogError, UsageReport, open_usage_log, simulate


class UsageLogFileError(UserFacingError):
    """The usage log cannot be read; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def simulate_usage_file(log_path: Path, quote_path: Path | None = None) -> UsageReport:
    """Read the log at ``log_path`` (streaming) and simulate every model over it, with the
    quote file's components for its model when ``quote_path`` is given."""
    quote = read_quote_file(quote_path) if quote_path is not None else None
    source = str(log_path)
    if log_path.is_dir():
        raise UsageLogFileError([f"{source}: is a folder, not a usage log"])
    try:
        log = open_usage_log(str(log_path), source)
    except FileNotFoundError:
        raise UsageLogFileError([f"{source}: no such file"]) from None
    except PermissionError:
        raise UsageLogFileError([f"{source}: permission denied"]) from None
    except UsageLogError as exc:
        raise UsageLogFileError([f"{source}: {p}" for p in exc.problems]) from None
    except OSError as exc:
        raise UsageLogFileError([f"{source}: cannot be read ({exc.strerror or exc})"]) from None
    return simulate(log, quote, source)
