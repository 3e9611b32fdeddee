"""Documents built in forked children, so that a build's working set never becomes the
worker's (issue 17: memory per worker bounded after documents).

A PDF, DOCX or XLSX build makes tens of megabytes of short-lived objects (WeasyPrint boxes,
lxml trees, openpyxl cells, Cairo surfaces). Freed or not, they raise the peak of the process
that made them for the rest of its life. `built_apart` runs a builder in a child forked from
the worker: the child inherits what the worker already holds (modules, the parsed stylesheet
and fonts, the document's data), builds, sends the bytes back through a pipe and exits, so
the worker's peak stays that of a worker serving pages. A builder given to it must take
plain data and return bytes: the child may not use the worker's database connections (they
are refused there), and what it caches is lost with it.

The document is built in this process as before when there is no fork, when
DOCUMENTS_BUILD_APART is off, while another thread of the process renders a document (a
child forked while that thread is inside Pango, fontconfig or HarfBuzz could find their
locks held forever), or when the child fails: then the build runs here again, so the caller
gets its bytes or the builder's own exception.

The plumbing (the count of renders, the guarded fork, the pipe) is shared with
``documents.exports.halves``, whose children lay out half of a long plan.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pickle
import struct
import threading
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any, ParamSpec

logger = logging.getLogger(__name__)

# A child that has not answered by then is stopped and its work is done here: a halves
# child lays out half a plan (seconds), a build child a whole document of any size.
CHILD_TIMEOUT = 60.0
BUILD_TIMEOUT = 600.0

# Documents being rendered in this process, by any thread (gunicorn's gthread workers run
# several requests at once); the rest of the process (database, templates, logging, which
# resets its locks at fork) a child does not use.
_rendering = 0
_rendering_lock = threading.Lock()


@contextlib.contextmanager
def rendering() -> Iterator[None]:
    """Count a document render (or chart drawing) of this thread while it runs."""
    global _rendering
    with _rendering_lock:
        _rendering += 1
    try:
        yield
    finally:
        with _rendering_lock:
            _rendering -= 1


def fork() -> int:
    """os.fork(), or -1 while another thread renders a document. The count is read and
    the process forked under one lock, so no render can start in between. The caller
    unfreezes the collector (gc.unfreeze) once the child is forked."""
    import gc
    import warnings

    with _rendering_lock:
        if _rendering > 1:
            return -1
        # Objects the collector does not visit stay shared with the child instead of being
        # copied page by page when either process's collector writes their headers.
        gc.freeze()
        try:
            with warnings.catch_warnings():
                # Python 3.12 warns of fork() in any process with threads (gthread workers,
                # runserver). The child only builds the document, and no other thread is
                # inside the libraries the build uses (the count above).
                warnings.filterwarnings(
                    "ignore", r".*use of fork\(\) may lead to deadlocks", DeprecationWarning
                )
                pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
    return pid


def send(fd: int, value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("!Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def tell(fd: int, value: Any) -> None:
    with contextlib.suppress(OSError):  # a child that is gone needs no answer
        send(fd, value)


def receive(fd: int, timeout: float = CHILD_TIMEOUT) -> Any:
    """The next value sent on fd; TimeoutError after `timeout` seconds, EOFError if the
    other end closed first."""
    import select
    import time

    deadline = time.monotonic() + timeout
    poller = select.poll()
    poller.register(fd, select.POLLIN)

    def exactly(size: int) -> bytes:
        parts = []
        while size:
            if not poller.poll(max(0.0, deadline - time.monotonic()) * 1000):
                raise TimeoutError
            part = os.read(fd, min(size, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    (size,) = struct.unpack("!Q", exactly(8))
    return pickle.loads(exactly(size))


# What a failed or silent child leaves the parent with.
RECEIVE_ERRORS = (EOFError, OSError, struct.error, pickle.UnpicklingError, ValueError)


def stop(pid: int) -> None:
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


# --- Building a document in a child ----------------------------------------------------------

P = ParamSpec("P")


def enabled() -> bool:
    from django.conf import settings

    return hasattr(os, "fork") and getattr(settings, "DOCUMENTS_BUILD_APART", True)


def built_apart(*modules: str) -> Callable[[Callable[P, bytes]], Callable[P, bytes]]:
    """A builder (plain data in, bytes out) run by `in_child` on every call. `modules` are
    imported here first, once per process: code the worker keeps, instead of every child
    importing it again (python-docx, openpyxl and CairoSVG: about 0.16 s, 13 MiB)."""

    def decorate(build: Callable[P, bytes]) -> Callable[P, bytes]:
        @wraps(build)
        def apart(*args: P.args, **kwargs: P.kwargs) -> bytes:
            if enabled():
                for module in modules:
                    importlib.import_module(module)
            return in_child(build, *args, **kwargs)

        return apart

    return decorate


def in_child(build: Callable[P, bytes], *args: P.args, **kwargs: P.kwargs) -> bytes:
    """build(*args, **kwargs) in a forked child; here where it cannot be (see the module),
    and then the build's garbage is collected and its heap given back (documents.memory):
    a child's goes with it, and the worker has nothing to free (the collection alone
    would cost it about 30 ms)."""
    from documents import memory

    with rendering():
        if enabled():
            content = _from_child(build, args, kwargs)
            if content is not None:
                return content
        try:
            return build(*args, **kwargs)
        finally:
            memory.release()


def _from_child(build: Callable[..., bytes], args: tuple, kwargs: dict) -> bytes | None:
    import gc

    reader, writer = os.pipe()
    try:
        pid = fork()
    except OSError as error:  # no memory or process slot left for a child: build here
        logger.warning("Building %s in the worker: no child (%s).", build.__qualname__, error)
        pid = -1
    if pid < 0:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        status = 1
        try:
            os.close(reader)
            _refuse_database()
            try:
                answer: tuple[str, Any] = ("bytes", build(*args, **kwargs))
            except BaseException as error:  # reported, then built in the parent
                answer = ("error", f"{type(error).__name__}: {error}")
            send(writer, answer)
            status = 0
        finally:
            # os._exit: the child must not run the parent's atexit handlers, flush its
            # buffers or close its database connections.
            os._exit(status)
    gc.unfreeze()
    os.close(writer)
    try:
        kind, value = receive(reader, BUILD_TIMEOUT)
    except RECEIVE_ERRORS as error:  # TimeoutError is an OSError
        kind, value = "error", f"no answer from the child: {type(error).__name__}"
    finally:
        os.close(reader)
        stop(pid)  # a child that answered is exiting; one that did not is stopped
        _, _, usage = os.wait4(pid, 0)
    if kind == "bytes" and isinstance(value, bytes):
        # ru_maxrss: the child's own peak, in KiB on Linux (what the worker did not hold).
        logger.info(
            "Built %s in a child: peak %.1f MiB.", build.__qualname__, usage.ru_maxrss / 1024
        )
        return value
    logger.warning("Building %s in the worker: the child failed (%s).", build.__qualname__, value)
    return None


class DatabaseInChild(RuntimeError):
    """A document builder used the database in a forked child."""


def _refuse(*_args: Any) -> Any:
    raise DatabaseInChild("A document built apart may not use the database.")


def _refuse_database() -> None:  # pragma: no cover - runs in the child
    """Make every query of the child fail: the worker's connections are the worker's (a
    query on one would interleave with the worker's on the same socket)."""
    from django.db import connections

    for connection in connections.all():
        connection.execute_wrappers.append(_refuse)
