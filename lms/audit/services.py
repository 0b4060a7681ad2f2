"""Writing to the audit log (the service flushes; the request commits)."""

from __future__ import annotations

from typing import Any

from lms.audit.models import AuditEvent
from lms.extensions import db


def record(
    actor: Any,
    action: str,
    target_type: str,
    target_id: int,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one audit event. `actor` is the user who acted (None for the system)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=details or {},
    )
    db.session.add(event)
    db.session.flush()
    return event
