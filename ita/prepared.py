"""Reads whose SQL is compiled once per process and database, then run with new values.

Django compiles a queryset to SQL on every evaluation. For the small fixed-shape reads a
cached page makes on every request (its cache key's version tokens), compiling cost about
0.4 ms each on this project's pages, several times what SQLite or PostgreSQL took to run
them (bench/README.md, "prepared reads"). `PreparedValues` keeps the queryset as the one
definition of the read: it builds it once with marker values, compiles it, and later runs
the same SQL with the caller's values, converting the columns as Django's own
`values_list()` would.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import QuerySet

# Markers stand in for the caller's values while the SQL is compiled; each must come out
# exactly once among the compiled parameters, or the read is refused at first use. Integer
# markers stay within every integer field's range: Django turns an out-of-range lookup
# into an empty result instead of SQL.
_INT_MARKER = 32_000
_STR_MARKER = "\x00prepared-value-{index}\x00"


class PreparedValues:
    """A `values_list()` queryset of plain fields, built by `build(**values)`, whose SQL is
    compiled once per database alias.

    `build`'s keyword parameters must be annotated `int` or `str`; calling the read with
    the same keywords returns the rows as tuples, equal to `list(build(**values))`.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self._build = build
        self._kinds = {
            name: parameter.annotation
            for name, parameter in inspect.signature(build).parameters.items()
        }
        for name, kind in self._kinds.items():
            if kind not in ("int", "str", int, str):
                raise TypeError(f"{build.__qualname__}: parameter {name} must be int or str")
        self._compiled: dict[str, tuple[str, list[Any], dict[str, int], dict[int, Any]]] = {}
        self._lock = threading.Lock()
        self._model_class: Any = None

    def _markers(self) -> dict[str, Any]:
        return {
            name: _INT_MARKER + index if kind in ("int", int) else _STR_MARKER.format(index=index)
            for index, (name, kind) in enumerate(self._kinds.items())
        }

    def _compile(self, alias: str) -> tuple[str, list[Any], dict[str, int], dict[int, Any]]:
        markers = self._markers()
        queryset = self._build(**markers)
        query = queryset.query
        if query.annotation_select or query.extra_select or not query.values_select:
            raise TypeError("a prepared read is a values_list() of plain fields")
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise TypeError("a prepared read cannot select composite fields")
        params = list(params)
        slots: dict[str, int] = {}
        for name, marker in markers.items():
            found = [i for i, value in enumerate(params) if value == marker]
            if len(found) != 1:
                raise TypeError(f"parameter {name} must appear once in the query")
            slots[name] = found[0]
        return sql, params, slots, compiler.get_converters(fields)

    def __call__(self, **values: Any) -> list[tuple[Any, ...]]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"expected the values {sorted(self._kinds)}")
        alias = router.db_for_read(self._model())
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = compiled
        sql, template, slots, converters = compiled
        params = list(template)
        for name, slot in slots.items():
            params[slot] = values[name]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return [tuple(row) for row in rows]
        converted = []
        for row in rows:
            values_of_row = list(row)
            for position, (functions, expression) in converters.items():
                value = values_of_row[position]
                for function in functions:
                    value = function(value, expression, connection)
                values_of_row[position] = value
            converted.append(tuple(values_of_row))
        return converted

    def _model(self) -> Any:
        if self._model_class is None:
            self._model_class = self._build(**self._markers()).model
        return self._model_class
