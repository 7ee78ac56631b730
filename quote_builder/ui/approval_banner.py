"""The quote editor's status banner: where the saved quote stands with the deal desk.

- draft: whether it needs approval, by whom and why, under which policy;
- pending: who must approve, who asked and when;
- approved: by whom (name and role), until when, the conditions;
- rejected: by whom and the reason;
- sent / accepted: the approval it was sent with.

The text comes from ``services.approvals.approval_state`` (``banner_text`` is pure, so it
is tested without a window)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from quote_builder.approvals.policy import ROLE_NAMES
from quote_builder.approvals.signing import last_day
from quote_builder.services.approvals import ApprovalState, role_title

COLOURS = {
    "draft": ("#f1f5f9", "#334155"),
    "pending": ("#fef3c7", "#92400e"),
    "approved": ("#dcfce7", "#166534"),
    "rejected": ("#fee2e2", "#991b1b"),
    "problem": ("#fee2e2", "#991b1b"),
    "sent": ("#dbeafe", "#1e40af"),
    "accepted": ("#ccfbf1", "#115e59"),
    "lost": ("#f5f5f4", "#44403c"),
    "expired": ("#f5f5f4", "#44403c"),
}


def _role(role: str | None) -> str:
    """ "the deal desk", "a manager"."""
    return ROLE_NAMES.get(role or "deal_desk", "the deal desk")


_LIFECYCLE = {
    "sent": "was finalised, signed and sent. When the customer signs, use Record "
    "acceptance…; Finalise sends the same file again.",
    "accepted": "was signed by the customer: it is a contract. Renew / Expand / Amend… makes "
    "a new quote that changes it.",
    "lost": "was lost. Re-issue… makes a new version to offer again.",
    "expired": "is past its valid-until date: it cannot be accepted. Re-issue… makes a new "
    "version with a new date.",
}
"""What the banner says of a quote past the deal desk (issue 15)."""


def banner_text(state: ApprovalState) -> tuple[str, str]:
    """(kind, HTML) for the banner. Every user text is escaped. A quote not sent yet whose
    customer lacks what the order form needs says so on its own line, before Finalise."""
    kind, html = _state_text(state)
    if state.not_ready and state.status not in _LIFECYCLE:
        # The sentence starts with the customer's name, as written (never re-capitalised).
        html += f"<br><b>Before Finalise:</b> {escape(state.not_ready)}."
    return kind, html


def _state_text(state: ApprovalState) -> tuple[str, str]:
    version = f"Version {state.latest_version}"
    if state.problem:
        return "problem", f"<b>Approvals are stopped here.</b> {escape(state.problem)}"
    lifecycle = _LIFECYCLE.get(state.status)
    if lifecycle is not None:
        if state.status == "lost" and state.lost_reason:
            lifecycle = f"was lost ({escape(state.lost_reason)}). " + lifecycle.split(". ", 1)[1]
        note = f"<br>{escape(state.deal_note)}" if state.deal_note else ""
        return (
            state.status,
            f"<b>{escape(state.status.capitalize())}</b> — {version} {lifecycle}{note}",
        )
    if state.approval is not None:
        approval = state.approval
        who = escape(approval.approver_name)
        role = f" ({escape(role_title(approval.approver_role))})" if approval.approver_role else ""
        until = (
            f", valid until {escape(last_day(approval.expires_at))}"
            if approval.expires_at
            else ", no expiry"
        )
        conditions = (
            "<br>Conditions: " + "; ".join(escape(c) for c in approval.conditions)
            if approval.conditions
            else ""
        )
        unverified = "" if approval.verified else " <i>(key trusted by hand: unverified)</i>"
        status = "Approved" if state.status == "approved" else state.status.capitalize()
        return (
            "approved",
            f"<b>{status}</b> — {version} approved by {who}{role} on "
            f"{escape(approval.decided_at[:10])}{until}.{unverified}{conditions}"
            "<br>Editing makes a new version: this approval will no longer count.",
        )
    if state.rejection is not None and state.status == "rejected":
        rejection = state.rejection
        role = (
            f" ({escape(role_title(rejection.approver_role))})" if rejection.approver_role else ""
        )
        return (
            "rejected",
            f"<b>Rejected</b> — {version} rejected by {escape(rejection.approver_name)}{role}: "
            f"{escape(rejection.comment or 'no reason given')}",
        )
    if state.pending is not None:
        pending = state.pending
        reasons = "".join(f"<br>• {escape(r)}" for r in pending.reasons)
        return (
            "pending",
            f"<b>Pending approval</b> — {version} waits for {_role(pending.required_role)} "
            f"(asked by {escape(pending.requested_by)} on {pending.requested_at:%Y-%m-%d}).{reasons}",
        )
    policy = escape(state.policy_label)
    if state.needed:
        reasons = "".join(f"<br>• {escape(r)}" for r in state.reasons)
        return (
            "draft",
            f"<b>{escape(state.status.replace('_', ' ').capitalize())}</b> — {version} needs "
            f"{_role(state.required_role)}'s approval before it is final (under {policy}).{reasons}",
        )
    return (
        "draft",
        f"<b>{escape(state.status.replace('_', ' ').capitalize())}</b> — {version} needs no "
        f"approval under {policy}.",
    )


class ApprovalBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approval_banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setObjectName("approval_banner_text")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.kind = "draft"

    def show_state(self, state: ApprovalState) -> None:
        self.kind, html = banner_text(state)
        background, foreground = COLOURS[self.kind]
        self.setStyleSheet(
            f"#approval_banner {{ background: {background}; border-radius: 4px; }}"
            f"#approval_banner QLabel {{ color: {foreground}; }}"
        )
        self.label.setText(html)

    def text(self) -> str:
        return self.label.text()
