"""Deal-desk approvals: the discount policy (pure) and signed decisions (Ed25519).

Imports only the pricing layer, the standard library and ``cryptography``: no store,
services, UI or Qt."""

from .policy import ROLES, ApprovalPolicy, Evaluation, evaluate
from .signing import (
    ApprovalSigningError,
    canonical_payload,
    fingerprint,
    generate_keypair,
    public_key_from_text,
    sign,
    verify,
)

__all__ = [
    "ROLES",
    "ApprovalPolicy",
    "ApprovalSigningError",
    "Evaluation",
    "canonical_payload",
    "evaluate",
    "fingerprint",
    "generate_keypair",
    "public_key_from_text",
    "sign",
    "verify",
]
