"""Usage evidence: import a usage log (streaming CSV), simulate the five pricing models over
its months, and recommend credit allocations, included units and seat pricing from it.

Pure: the standard library and ``quote_builder.pricing`` only (no Qt, SQL or templating).
"""

from .log import UsageLog, UsageLogError, open_usage_log, read_usage_log
from .simulate import ModelResult, UsageReport, report_to_dict, simulate

__all__ = [
    "ModelResult",
    "UsageLog",
    "UsageLogError",
    "UsageReport",
    "open_usage_log",
    "read_usage_log",
    "report_to_dict",
    "simulate",
]
