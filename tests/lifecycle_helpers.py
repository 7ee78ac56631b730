"""Finalising in tests: a trial seller certificate made once per session (RSA key
generation takes tens of milliseconds) and passed to ``finalise_quote``, so no test writes
to the user's certificate folder."""

from __future__ import annotations

import functools
from typing import Any

from quote_builder.documents import pdfsign
from quote_builder.services import lifecycle
from quote_builder.services import quotes as quote_svc
from quote_builder.store.database import Database

SELLER_PASS = "seller passphrase"
CUSTOMER_PASS = "customer passphrase"


@functools.cache
def seller_p12() -> bytes:
    return pdfsign.trial_certificate("Acme AI", SELLER_PASS, email="deals@acme-ai.example")


@functools.cache
def customer_p12() -> bytes:
    return pdfsign.trial_certificate("Jane Buyer", CUSTOMER_PASS, email="jane@buyer.example")


def name_seller(db: Database) -> None:
    """A final order form names its seller and who signs for it: "Acme AI" and Sam Seller
    unless the settings name them."""
    from quote_builder.services.settings import get_settings, update_settings

    settings = get_settings(db)
    missing: dict[str, str] = {}
    if not settings.seller_name:
        missing["seller_name"] = "Acme AI"
    if not settings.seller_signatory:
        missing |= {"seller_signatory": "Sam Seller", "seller_signatory_title": "CEO"}
    if missing:
        update_settings(db, expected_version=settings.version_id, actor="admin", **missing)


def complete_customer(db: Database, quote_id: int) -> None:
    """A final order form names the customer's billing address and who signs for it (the
    customer's first contact): give the quote's customer whichever it lacks. Tests of the
    refusal (tests/store/test_customer_readiness.py) do not call this."""
    from quote_builder.services import customers as customer_svc

    gaps = lifecycle.customer_gaps(db, quote_id)
    if gaps is None or gaps.customer_id is None:
        return
    if "billing_address" in gaps.gaps:
        current = customer_svc.get_customer(db, gaps.customer_id)
        customer_svc.update_customer(
            db,
            gaps.customer_id,
            {"billing_address": "1 Buyer Street, Springfield"},
            expected_version=current.version_id,
            actor="alice",
        )
    if "signatory" in gaps.gaps:
        customer_svc.add_contact(
            db, gaps.customer_id, {"name": "Jane Buyer", "title": "COO"}, actor="alice"
        )


def finalise(db: Database, row: Any, actor: str = "rick") -> lifecycle.SentInfo:
    """Finalise a saved quote (its QuoteRow) with the session's trial certificate; a final
    order form names its seller and its signatory (``name_seller``), and its
    customer's billing address and signatory (``complete_customer``)."""
    name_seller(db)
    complete_customer(db, row.id)
    row = quote_svc.get_quote(db, row.id)
    return lifecycle.finalise_quote(
        db,
        row.id,
        expected_version=row.version_id,
        actor=actor,
        passphrase=SELLER_PASS,
        pkcs12=seller_p12(),
    ).value


def sign_as_customer(
    pdf: bytes, *, p12: bytes | None = None, passphrase: str = CUSTOMER_PASS
) -> bytes:
    """What the customer's PDF reader does: sign the order form's customer field, as an
    incremental update (pyHanko, as Acrobat or Okular would)."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12_data(
        p12 or customer_p12(), [], passphrase=passphrase.encode()
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = io.BytesIO()
    signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=pdfsign.CUSTOMER_FIELD, subfilter=fields.SigSeedSubFilter.PADES
        ),
        signer,
    ).sign_pdf(writer, output=out)
    return out.getvalue()
