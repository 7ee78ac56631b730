"""Usage evidence use cases: simulate the pricing models over a usage log file, and keep
the log's evidence with a quote (its bill range is then priced on every edit and printed
in the proposal)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quote_builder.csv_input import undecodable_cell
from quote_builder.errors import Sentence, UserFacingError
from quote_builder.pricing import QuoteDocument
from quote_builder.pricing.document import ALL_METRICS, NO_METRICS, UsageEvidence
from quote_builder.pricing.evidence import metric_sources
from quote_builder.safe_files import note_input
from quote_builder.services.pricing import read_quote_file
from quote_builder.usage import UsageLog, UsageLogError, UsageReport, read_usage_log, simulate
from quote_builder.usage.evidence import build_evidence
from quote_builder.usage.simulate import transaction_fee_rules

if TYPE_CHECKING:  # the store (SQLAlchemy) loads only when a quote is saved
    from quote_builder.services.core import Outcome
    from quote_builder.services.quotes import QuoteRow
    from quote_builder.store.database import Database


class UsageLogFileError(UserFacingError):
    """The usage log cannot be read; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class UsageAnalysis:
    """A log simulated over every model, and the evidence a quote keeps of it."""

    report: UsageReport
    evidence: UsageEvidence


class _Hashing(io.RawIOBase):
    """A binary file that feeds every byte it reads to a SHA-256, so the log is hashed in
    the same pass that parses it."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)
        if count:
            self.digest.update(memoryview(buffer)[:count])
        return count or 0


def _with_undecodable_line(problems: list[str], log_path: Path) -> list[str]:
    """``line N, column 'user': not UTF-8 text (the byte 0xE9); ...`` names the line the
    first bad byte is on (the reader decodes the file in blocks and only knows the block's
    first line) and its column."""
    if not any(getattr(p, "code", "") == "usage_log.not_utf8" for p in problems):
        return problems
    try:
        found = undecodable_cell(log_path)
    except OSError:
        return problems
    if found is None:
        return problems
    line, column, value = found
    byte = f"0x{value:02X}"
    said = (
        Sentence(
            f"line {line}, column '{column}': not UTF-8 text (the byte {byte}); save the "
            "file as CSV UTF-8",
            "usage_log.not_utf8_cell",
            line=line,
            column=column,
            byte=byte,
        )
        if column is not None
        else Sentence(
            f"line {line}: not UTF-8 text (the byte {byte}); save the file as CSV UTF-8",
            "usage_log.not_utf8_line",
            line=line,
            byte=byte,
        )
    )
    return [said if getattr(p, "code", "") == "usage_log.not_utf8" else p for p in problems]


def _version(raw: io.BufferedReader) -> tuple[int, int]:
    """The open file's size and modification time: they change when it is written."""
    status = os.fstat(raw.fileno())
    return status.st_size, status.st_mtime_ns


def _read_log(
    log_path: Path,
    quote: QuoteDocument | None = None,
    metric_map: dict[str, str] | None = None,
    today: dt.date | None = None,
) -> tuple[UsageLog, str]:
    """The aggregated log and the SHA-256 of the file (one streaming read); the rows of a
    quote's transaction-fee metrics get each their own fee (``transaction_fee_rules``)."""
    source = str(log_path)
    if log_path.is_dir():
        raise UsageLogFileError(
            [Sentence(f"{source}: is a folder, not a usage log", "usage_log.folder", source=source)]
        )
    try:
        with open(log_path, "rb") as raw:
            before = _version(raw)
            hashing = _Hashing(raw)
            text = io.TextIOWrapper(
                io.BufferedReader(hashing, 1 << 20), encoding="utf-8-sig", newline=""
            )
            try:
                log = read_usage_log(
                    text,
                    source,
                    transaction_fee_rules(quote, metric_map),
                    today or dt.datetime.now(dt.UTC).date(),
                )
                while hashing.read(1 << 20):  # bytes after the last row (none, normally)
                    pass
            finally:
                if _version(raw) != before:
                    # Still being written (or cut short): the rows read are neither the old
                    # file nor the new one, and a problem found is likely the half-written
                    # last line. Say so rather than simulate or name that line.
                    raise UsageLogFileError(
                        [
                            Sentence(
                                f"{source}: the file changed while it was read (is it still "
                                "being written?); load it again once it is complete",
                                "usage_log.changed",
                                source=source,
                            )
                        ]
                    ) from None
        note_input(log_path, "the usage log")
    except FileNotFoundError:
        raise UsageLogFileError(
            [Sentence(f"{source}: no such file", "usage_log.missing", source=source)]
        ) from None
    except PermissionError:
        raise UsageLogFileError(
            [Sentence(f"{source}: permission denied", "usage_log.permission", source=source)]
        ) from None
    except UsageLogError as exc:
        raise UsageLogFileError(
            [
                Sentence(f"{source}: {p}", "usage_log.problem", source=source, problem=p)
                for p in _with_undecodable_line(exc.problems, log_path)
            ]
        ) from None
    except OSError as exc:
        raise UsageLogFileError(
            [
                Sentence(
                    f"{source}: cannot be read ({exc.strerror or exc})",
                    "usage_log.unreadable",
                    source=source,
                    problem=str(exc.strerror or exc),
                )
            ]
        ) from None
    return log, hashing.digest.hexdigest()


def simulate_usage_file(
    log_path: Path,
    quote_path: Path | None = None,
    metric_map: dict[str, str] | None = None,
    *,
    quote: QuoteDocument | None = None,
    quote_label: str = "quote",
) -> UsageReport:
    """Read the log at ``log_path`` (streaming) and simulate every model over it, with the
    quote file's components for its model when ``quote_path`` is given (or ``quote``: a
    catalog plan's document, ``services.plans.plan_document``)."""
    if quote_path is not None:
        quote = read_quote_file(quote_path)
    log, digest = _read_log(log_path, quote, metric_map)
    check_metric_map(metric_map or {}, log.metrics, quote)
    report = simulate(
        log, quote, str(log_path), metric_map, quote.currency if quote else "USD", quote_label
    )
    # What attach would keep, made and dropped: a log is refused by simulate exactly when
    # attach (and the app's Load usage log) refuses it.
    _evidence(log, report, log_path, digest, dt.date.today(), metric_map)
    return report


def check_metric_map(
    metric_map: dict[str, str], log_metrics: tuple[str, ...], quote: QuoteDocument | None
) -> None:
    """Every choice names a metric of the quote and one of the log (or ``*``)."""
    problems: list[str] = []
    quote_metrics = set(metric_sources(quote, True)) if quote is not None else None
    for metric, choice in metric_map.items():
        if quote_metrics is not None and metric not in quote_metrics:
            problems.append(
                Sentence(
                    f"metric map {metric}: the quote has no metric {metric!r} "
                    f"(it has {', '.join(sorted(quote_metrics)) or 'none'})",
                    "metric_map.not_in_quote" if quote_metrics else "metric_map.quote_has_none",
                    metric=metric,
                    metrics=sorted(quote_metrics),
                )
            )
        if choice not in (ALL_METRICS, NO_METRICS) and choice not in log_metrics:
            problems.append(
                Sentence(
                    f"metric map {metric}={choice}: the log has no metric {choice!r} "
                    f"(it has {', '.join(log_metrics)}; * reads them all, - none)",
                    "metric_map.not_in_log",
                    metric=metric,
                    choice=choice,
                    metrics=list(log_metrics),
                )
            )
    if problems:
        raise UsageLogFileError(problems)


def analyse_usage_log(
    log_path: Path,
    quote: QuoteDocument | None = None,
    metric_map: dict[str, str] | None = None,
    today: dt.date | None = None,
    currency: str = "USD",
    quote_label: str = "quote",
) -> UsageAnalysis:
    """Simulate every model over the log (the quote's own model with its parameters) and
    reduce the log to the evidence a quote keeps."""
    kept = quote.usage_evidence.metric_map if quote and quote.usage_evidence else {}
    log, digest = _read_log(log_path, quote, metric_map if metric_map is not None else kept, today)
    if metric_map is None and quote is not None and quote.usage_evidence is not None:
        # The choices kept from an earlier log, where they still name a metric of the quote
        # and one of this log: not the rep's new input, so nothing to refuse.
        quote_metrics = set(metric_sources(quote, True))
        metric_map = {
            m: choice
            for m, choice in quote.usage_evidence.metric_map.items()
            if m in quote_metrics and (choice in (ALL_METRICS, NO_METRICS) or choice in log.metrics)
        }
    check_metric_map(metric_map or {}, log.metrics, quote)
    report = simulate(log, quote, str(log_path), metric_map, currency, quote_label)
    evidence = _evidence(log, report, log_path, digest, today or dt.date.today(), metric_map)
    return UsageAnalysis(report, evidence)


def _evidence(
    log: UsageLog,
    report: UsageReport,
    log_path: Path,
    digest: str,
    today: dt.date,
    metric_map: dict[str, str] | None,
) -> UsageEvidence:
    """The evidence a quote keeps of the log (``build_evidence``), its problems named with
    the file."""
    try:
        return build_evidence(log, report, log_path.name, digest, today, metric_map)
    except UsageLogError as exc:
        raise UsageLogFileError(
            [
                Sentence(f"{log_path}: {p}", "usage_log.problem", source=str(log_path), problem=p)
                for p in exc.problems
            ]
        ) from None


def attach_usage_log(
    db: Database,
    number: str,
    log_path: Path,
    *,
    actor: str,
    metric_map: dict[str, str] | None = None,
) -> Outcome[QuoteRow]:
    """Keep the log's evidence with a saved quote: a new version (audited as
    ``usage_evidence_attached``), back to draft if it was in another status. Nothing is
    saved when the log cannot be read."""
    return _save_evidence(
        db,
        number,
        lambda doc: analyse_usage_log(log_path, doc, metric_map).evidence,
        actor,
        "usage_evidence_attached",
    )


def detach_usage_log(db: Database, number: str, *, actor: str) -> Outcome[QuoteRow]:
    """Remove a quote's usage evidence (a new version, audited)."""
    from quote_builder.services.core import RefusedError

    def none(doc: QuoteDocument) -> None:
        if doc.usage_evidence is None:
            raise RefusedError(
                Sentence(
                    f"{number} keeps no usage evidence: nothing to remove",
                    "usage_log.none_kept",
                    number=number,
                )
            )

    return _save_evidence(db, number, none, actor, "usage_evidence_removed")


def _save_evidence(
    db: Database,
    number: str,
    evidence: Callable[[QuoteDocument], UsageEvidence | None],
    actor: str,
    action: str,
) -> Outcome[QuoteRow]:
    from quote_builder.services.quotes import find_quote, open_version, save_quote

    row = find_quote(db, number)
    opened = open_version(db, row.id)
    document = opened.document.model_copy(update={"usage_evidence": evidence(opened.document)})
    return save_quote(
        db, row.id, document, expected_version=row.version_id, actor=actor, action=action
    )
