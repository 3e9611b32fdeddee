"""Signals of the plans app, for the floors above it.

``plan_approved`` is sent once the approval has been committed (never for a rolled-back
one), with ``plan`` and ``user``: the documents app stores the approved plan's PDF on it,
so plans need not know that documents exist.
"""

from __future__ import annotations

from django.dispatch import Signal

plan_approved = Signal()
