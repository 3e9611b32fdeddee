"""Giving a worker's memory back after a document is built (issue 17: memory per worker
bounded after documents).

A PDF or DOCX render builds tens of megabytes of short-lived objects (WeasyPrint boxes,
lxml trees, openpyxl cells). CPython frees them, but glibc keeps the freed arenas mapped,
so a gunicorn worker's RSS stays at its highest point for the rest of its life. Documents
are built in forked children (documents.exports.children); after a build in the worker
itself (no fork, another thread rendering, a failed child) we collect cycles (the layout
trees are full of them) and ask glibc to return free heap pages to the system. Elsewhere
(musl, macOS) the trim is skipped.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache
from typing import Any

from django.conf import settings


@cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None where the C library has none."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release() -> bool:
    """Collect garbage and return freed heap to the system; True when glibc trimmed.

    Off with DOCUMENTS_RELEASE_MEMORY=0 (the memory benchmark's reference run)."""
    if not getattr(settings, "DOCUMENTS_RELEASE_MEMORY", True):
        return False
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
