"""The quote editor's status banner: where the saved quote stands with the deal desk.

- draft: whether it needs approval, by whom and why, under which policy;
- pending: who must approve, who asked and when;
- approved: by whom (name and role), until when, the conditions;
- rejected: by whom and the reason;
- sent / accepted: the approval it was sent with.

The text comes from ``services.approvals.approval_state`` (``banner_text`` is pure, so it
is tested without a window). While the quote has unsaved changes, the banner judges the
quote as edited (``EditJudgement``: the policy's evaluation of what the editor priced), not
only the saved version: a discount typed from 25 % to 30 % is judged at 30 % at once, with
the margin below the floor it causes. The sentences and the reasons are in the
interface's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QWidget

from quote_builder.approvals.policy import Evaluation
from quote_builder.approvals.signing import last_day
from quote_builder.services.approvals import ApprovalState

from . import service_words
from .engine_words import reason_texts
from .i18n import N_, _, joined
from .labels import approval_of, awaited, customer_gaps_text, label, policy_words, role_title
from .locale_format import day

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


_LIFECYCLE = {
    "sent": N_(
        "<b>{status}</b> — Version {number} was finalised, signed and sent. When the customer "
        "signs, use Record acceptance…; Finalise sends the same file again."
    ),
    "accepted": N_(
        "<b>{status}</b> — Version {number} was signed by the customer: it is a contract. "
        "Renew / Expand / Amend… makes a new quote that changes it."
    ),
    "lost": N_(
        "<b>{status}</b> — Version {number} was lost. Re-issue… makes a new version to offer again."
    ),
    "expired": N_(
        "<b>{status}</b> — Version {number} is past its valid-until date: it cannot be "
        "accepted. Re-issue… makes a new version with a new date."
    ),
}
"""What the banner says of a quote past the deal desk (issue 15)."""


@dataclass(frozen=True)
class EditJudgement:
    """The quote as edited in the window (changed, not saved yet) under the policy:
    ``evaluation`` None while the edit cannot be priced (fields marked invalid)."""

    evaluation: Evaluation | None


def _policy(state: ApprovalState) -> str:
    """The policy that judged, escaped; this machine's own settings in our words."""
    return escape(policy_words(state.policy_label))


def _status(state: ApprovalState) -> str:
    return escape(label(state.status))


def _reasons(reasons: list[str]) -> str:
    return "".join(f"<br>• {escape(r)}" for r in reasons)


def evaluation_reasons(evaluation: Evaluation) -> str:
    """An evaluation's reasons in the interface's language, a line each (HTML, escaped)."""
    return _reasons(reason_texts(evaluation.reasons, evaluation.details))


def banner_text(
    state: ApprovalState, edit: EditJudgement | None = None, tax_stale: str = ""
) -> tuple[str, str]:
    """(kind, HTML) for the banner, in the interface's language. Every user text is
    escaped. ``edit``: the window's unsaved changes judged under the policy (a draft is
    then described as edited; a pending, approved or rejected version gets a line about
    the changes). A quote not sent yet whose customer lacks what the order form needs says
    so on its own line, before Finalise; so does ``tax_stale``, a tax decided on other
    customer details (``labels.tax_changed_text``)."""
    if edit is not None and not state.problem and state.status == "draft":
        kind, html = "draft", _edited_draft_text(state, edit)
    else:
        kind, html = _state_text(state)
        if edit is not None and not state.problem and state.status not in _LIFECYCLE:
            html += "<br>" + _edit_line(edit)
    problem = before_finalise(state)
    if problem:
        html += "<br>" + _("<b>Before Finalise:</b> {problem}.").format(problem=escape(problem))
    if tax_stale and state.status not in _LIFECYCLE:
        # The quote's tax was decided on other customer details (a tax ID added since).
        html += "<br>" + _("<b>Before Finalise:</b> {problem}.").format(problem=escape(tax_stale))
    if state.unprintable and state.status not in _LIFECYCLE:
        from .service_words import text as sentence_text

        html += "<br>" + _("<b>The PDF cannot be made:</b> {problem}.").format(
            problem=escape(sentence_text(state.unprintable[0]))
        )
    return kind, html


def before_finalise(state: ApprovalState) -> str:
    """What the customer lacks for the order form, in the interface's language (the
    banner's "Before Finalise:" line and Finalise's tooltip); empty when nothing."""
    if not state.not_ready or state.status in _LIFECYCLE:
        return ""
    # The sentence starts with the customer's name, as written (never re-capitalised).
    return (
        customer_gaps_text(state.not_ready_customer, state.not_ready_gaps)
        if state.not_ready_gaps
        else state.not_ready
    )


def _edited_draft_text(state: ApprovalState, edit: EditJudgement) -> str:
    """A draft with unsaved changes: what the changes need, under which policy."""
    evaluation = edit.evaluation
    if evaluation is None:
        return _(
            "<b>{status}</b> — Your changes are not saved yet and cannot be priced: whether "
            "they need approval shows once the marked fields are fixed."
        ).format(status=_status(state))
    if evaluation.needed:
        text = _(
            "<b>{status}</b> — With your changes (not saved yet) the quote needs {role_s} "
            "approval before it is final, under {policy}."
        ).format(
            status=_status(state),
            role_s=approval_of(evaluation.required_role),
            policy=_policy(state),
        )
        return text + evaluation_reasons(evaluation)
    return _(
        "<b>{status}</b> — With your changes (not saved yet) the quote needs no approval under "
        "{policy}."
    ).format(status=_status(state), policy=_policy(state))


def _edit_line(edit: EditJudgement) -> str:
    """Under a pending, approved or rejected version: what the unsaved changes need."""
    evaluation = edit.evaluation
    if evaluation is None:
        return _(
            "<b>With your changes (not saved yet):</b> whether the quote needs approval shows "
            "once the marked fields are fixed."
        )
    if evaluation.needed:
        text = _(
            "<b>With your changes (not saved yet):</b> the quote needs {role_s} approval "
            "before it is final."
        ).format(role_s=approval_of(evaluation.required_role))
        return text + evaluation_reasons(evaluation)
    return _("<b>With your changes (not saved yet):</b> the quote needs no approval.")


def _changes(state: ApprovalState) -> str:
    from .error_words import terms_changes_text

    return escape(terms_changes_text(state.terms_changes or ("terms",)))


def stale_text(state: ApprovalState) -> str:
    """Why the approval of the latest version no longer applies (plain text; '' when it
    does or there is none)."""
    approval = state.stale_approval
    if approval is None:
        return ""
    from .error_words import terms_changes_text

    return _(
        "The approval of version {number} by {approver} no longer applies: the customer's "
        "terms changed since it was asked for ({changes}). Request approval again."
    ).format(
        number=state.latest_version,
        approver=approval.approver_name,
        changes=terms_changes_text(state.terms_changes or ("terms",)),
    )


def _state_text(state: ApprovalState) -> tuple[str, str]:
    number = state.latest_version
    if state.problem:
        return "problem", _("<b>Approvals are stopped here.</b> {problem}").format(
            problem=escape(service_words.text(state.problem))
        )
    lifecycle = _LIFECYCLE.get(state.status)
    if lifecycle is not None:
        if state.status == "lost" and state.lost_reason:
            text = _(
                "<b>{status}</b> — Version {number} was lost ({reason}). Re-issue… makes a new "
                "version to offer again."
            ).format(status=_status(state), number=number, reason=escape(state.lost_reason))
        else:
            text = _(lifecycle).format(status=_status(state), number=number)
        note = f"<br>{escape(service_words.text(state.deal_note))}" if state.deal_note else ""
        return state.status, text + note
    if state.approval is not None and state.pending is None:
        # A pending request of the version replaces its earlier approval (`approval
        # status`: "replaced by the pending request"): the banner says what it waits for.
        approval = state.approval
        who = escape(approval.approver_name)
        if approval.approver_role:
            who = _("{name} ({role})").format(
                name=who, role=escape(role_title(approval.approver_role))
            )
        status = _status(state) if state.status != "approved" else escape(label("approved"))
        decided = escape(day(approval.decided_at[:10]))
        if approval.expires_at:
            text = _(
                "<b>{status}</b> — Version {number} approved by {approver} on {day}, valid "
                "until {last_day}."
            ).format(
                status=status,
                number=number,
                approver=who,
                day=decided,
                last_day=escape(day(last_day(approval.expires_at))),
            )
        else:
            text = _(
                "<b>{status}</b> — Version {number} approved by {approver} on {day}, no expiry."
            ).format(status=status, number=number, approver=who, day=decided)
        if not approval.verified and approval.trusted_by_requester:
            # No policy: the person who asked vouched for the key that approved them.
            text += " " + _(
                "<i>(unverified: the approver's key was trusted in this database by "
                "{requester}, who asked for this approval)</i>"
            ).format(requester=escape(approval.key_trusted_by))
        elif not approval.verified:
            text += " " + _("<i>(key trusted by hand: unverified)</i>")
        if approval.conditions:
            text += "<br>" + _("Conditions: {conditions}").format(
                conditions=joined(escape(c) for c in approval.conditions)
            )
        text += "<br>" + _("Editing makes a new version: this approval will no longer count.")
        return "approved", text
    if state.rejection is not None and state.status == "rejected":
        rejection = state.rejection
        who = escape(rejection.approver_name)
        if rejection.approver_role:
            who = _("{name} ({role})").format(
                name=who, role=escape(role_title(rejection.approver_role))
            )
        return "rejected", _(
            "<b>{status}</b> — Version {number} rejected by {approver}: {comment}"
        ).format(
            status=escape(label("rejected")),
            number=number,
            approver=who,
            comment=escape(rejection.comment or _("no reason given")),
        )
    if state.pending is not None:
        pending = state.pending
        text = _(
            "<b>{status}</b> — Version {number} waits for {role} (asked by {who} on {day})."
        ).format(
            status=escape(label("pending_approval")),
            number=number,
            role=awaited(pending.required_role),
            who=escape(pending.requested_by),
            day=escape(day(pending.requested_at)),
        )
        if state.pending_stale:
            text += "<br>" + _(
                "The customer's terms changed since this request ({changes}): the deal desk "
                "cannot decide it. Request approval again."
            ).format(changes=_changes(state))
        elif state.stale_approval is not None:
            text += "<br>" + _(
                "History: an earlier approval by {approver} no longer applies (the customer's "
                "terms changed since)."
            ).format(approver=escape(state.stale_approval.approver_name))
        return "pending", text + _reasons(reason_texts(pending.reasons, pending.reason_details))
    if state.stale_approval is not None:
        return "draft", _("<b>Approval no longer applies</b> — {why}").format(
            why=escape(stale_text(state))
        )
    if state.needed and state.status == "approved":
        # Marked approved, yet no signed approval of this version holds: it expired, or the
        # status was set outside Quote Builder (sqlite3). Never "Approved" above a "needs".
        text = _(
            "<b>No approval in force</b> — Version {number} is marked approved, but no signed "
            "approval of it holds here (it expired, or it was changed outside Quote Builder): "
            "it needs {role_s} approval before it is final, under {policy}. Request approval "
            "again."
        ).format(number=number, role_s=approval_of(state.required_role), policy=_policy(state))
        return "problem", text + _reasons(reason_texts(state.reasons, state.reason_details))
    if state.status == "approved":
        # Marked approved, no approval holds, and none is needed: still not "Approved" (the
        # quote list says "No approval in force" for it too).
        return "problem", _(
            "<b>No approval in force</b> — Version {number} is marked approved, but no signed "
            "approval of it holds here (it expired, or it was changed outside Quote Builder); "
            "under {policy} it needs none."
        ).format(number=number, policy=_policy(state))
    if state.needed:
        text = _(
            "<b>{status}</b> — Version {number} needs {role_s} approval before it is final, "
            "under {policy}."
        ).format(
            status=_status(state),
            number=number,
            role_s=approval_of(state.required_role),
            policy=_policy(state),
        )
        return "draft", text + _reasons(reason_texts(state.reasons, state.reason_details))
    return "draft", _(
        "<b>{status}</b> — Version {number} needs no approval under {policy}."
    ).format(status=_status(state), number=number, policy=_policy(state))


class ApprovalBanner(QFrame):
    """The editor's status banner. Its height is its text's at its width (never a minimum
    from the text wrapped narrow), at least ``floor`` (the window holds it while the rep
    types, so the form does not jump), and at most ``room()`` (what the window can give
    without growing past its size: the text scrolls beyond that)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approval_banner")
        self._layout = layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel()
        self.label.setObjectName("approval_banner_text")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.text_area = QScrollArea()
        self.text_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop nobody sees
        self.text_area.setFrameShape(QFrame.Shape.NoFrame)
        self.text_area.setWidgetResizable(True)
        self.text_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text_area.setWidget(self.label)
        self.text_area.viewport().setAutoFillBackground(False)
        self.label.setAutoFillBackground(False)
        layout.addWidget(self.text_area, 1)
        self.kind = "draft"
        self.floor = 0
        """The least height while the rep types (0: just the text's)."""
        self.room: Callable[[], int] | None = None
        """The most height the window can give (None: no limit)."""
        self.fit()

    def needed(self) -> int:
        """The height the text takes at the banner's width."""
        margins = self._layout.contentsMargins()
        width = max(1, self.width() - margins.left() - margins.right())
        return self.label.heightForWidth(width) + margins.top() + margins.bottom() + 2

    def fit(self) -> None:
        """Take the text's height (at least ``floor``, at most ``room()``)."""
        margins = self._layout.contentsMargins()
        least = self.fontMetrics().lineSpacing() * 2 + margins.top() + margins.bottom()
        want = max(self.needed(), self.floor)
        if self.room is not None:
            want = min(want, max(least, self.room()))
        self.setFixedHeight(want)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit()

    def show_state(
        self, state: ApprovalState, edit: EditJudgement | None = None, tax_stale: str = ""
    ) -> None:
        self.kind, html = banner_text(state, edit, tax_stale)
        background, foreground = COLOURS[self.kind]
        self.setStyleSheet(
            f"#approval_banner {{ background: {background}; border-radius: 4px; }}"
            f"#approval_banner QLabel {{ color: {foreground}; background: transparent; }}"
        )
        self.label.setText(html)
        self.fit()

    def text(self) -> str:
        return self.label.text()
