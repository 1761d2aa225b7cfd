# Why: the callback's signature — HMAC-SHA256 over `timestamp + "." + body` with BATCH_CALLBACK_SECRET — and its headers, exactly as the TypeScript runtime makes them.
from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "batch-manager-signature"
"""`sha256=<hex HMAC-SHA256 of timestamp + "." + body>`; only when a callback secret is set"""
TIMESTAMP_HEADER = "batch-manager-timestamp"
"""Unix time in seconds at which this attempt was signed"""
DELIVERY_HEADER = "batch-manager-delivery"
"""the same for every attempt of one delivery (and every retry of the FinalizeTask): deduplicate on it"""
SIGNATURE_PREFIX = "sha256="


def sign_callback(secret: str, timestamp: int | str, body: bytes | str) -> str:
    payload = body.encode("utf-8") if isinstance(body, str) else body
    return SIGNATURE_PREFIX + hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def is_valid_callback_signature(secret: str, timestamp: str, body: bytes | str, signature: str) -> bool:
    """Constant-time check of a signature header against the body and timestamp it came with."""
    return hmac.compare_digest(sign_callback(secret, timestamp, body).encode(), signature.encode())


def job_delivery_id(job_id: str, job_created_at: str | None) -> str:
    """A delivery id derived from the job (its id and creation time), so a retried FinalizeTask sends the same one."""
    digest = hashlib.sha256(f"{job_id}\n{job_created_at or ''}".encode()).hexdigest()
    return f"{digest[0:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"
