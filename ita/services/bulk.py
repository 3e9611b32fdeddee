"""New rows and their audit history written at once: `create_with_history`.

On PostgreSQL the rows and their historical rows go in with COPY (ids reserved from the
table's sequence first, so the rows and their history carry them), the history built as
plain values: quoting a national file's 18,800 rows and 18,800 history rows for
`bulk_create`, and building a model instance per history row, took most of an import's
writes. The historical rows hold what simple-history's `bulk_create_with_history` writes
(type "+", the request's user, the row's change reason, its own `timezone.now()`, every
tracked field); elsewhere (SQLite) that function itself is called.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connections, models, router
from django.db.models import NOT_PROVIDED, Model
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)

BATCH = 500
MEMO_FIELDS = (
    models.CharField,
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)  # bulk_create's rows per INSERT where COPY is not used

# The historical model's own columns besides the tracked fields, filled per row below.
_HISTORY_FIELDS = frozenset(
    {"history_id", "history_date", "history_change_reason", "history_type", "history_user"}
)


def create_with_history(objs: Sequence[Model], model: type[Model]) -> None:
    """Insert `objs` (unsaved) and one "+" historical row each; sets their primary keys."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    history = get_history_manager_for_model(model).model
    if connection.vendor != "postgresql" or not _copyable(model, history):
        bulk_create_with_history(list(objs), model, batch_size=BATCH)
        return
    fields = model._meta.concrete_fields
    pk = model._meta.pk
    with connection.cursor() as cursor:
        # Like bulk_create: related objects saved since these rows were built give their ids.
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
        rows = []
        for obj, new_id in zip(objs, _reserve(cursor, model, len(objs)), strict=True):
            setattr(obj, pk.attname, new_id)
            rows.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
            obj._state.adding = False
            obj._state.db = connection.alias
        _copy(cursor, model, history, rows, objs)


def create_values_with_history(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """`create_with_history` of `model(**values)` for each of `rows` (field names to
    values, a saved object for a foreign key), without building the instances on
    PostgreSQL: a national file's 18,800 `Model.__init__` calls were a fifth of its writes.
    Missing fields take their (constant) defaults, as `Model.__init__` would give them."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    history = get_history_manager_for_model(model).model
    if connection.vendor != "postgresql" or not _copyable(model, history):
        create_with_history([model(**values) for values in rows], model)
        return
    fields = model._meta.concrete_fields
    names = set(rows[0])
    assert names <= {f.name for f in fields}, names
    defaults = {}
    for f in fields:
        if f.name not in names and not f.primary_key:
            assert not (f.has_default() and callable(f.default)), f  # per-row: an instance
            defaults[f.name] = f.get_db_prep_save(f.get_default(), connection)
    # A field's database value depends on its value alone: prepared once per distinct
    # value (18,800 rows hold a few thousand scores and a few hundred framework ids).
    prepared: dict[str, dict[Any, Any]] = {
        f.name: {} for f in fields if isinstance(f, MEMO_FIELDS) and f.name in names
    }
    with connection.cursor() as cursor:
        values_rows = []
        for values, new_id in zip(rows, _reserve(cursor, model, len(rows)), strict=True):
            assert values.keys() == names
            row = []
            for f in fields:
                if f.primary_key:
                    row.append(new_id)
                elif f.name in defaults:
                    row.append(defaults[f.name])
                else:
                    value = values[f.name]
                    if f.is_relation and value is not None:
                        if value.pk is None:
                            raise ValueError(f"{model.__name__}.{f.name}: an unsaved object")
                        value = value.pk
                    memo = prepared.get(f.name)
                    if memo is None:
                        row.append(f.get_db_prep_save(value, connection))
                        continue
                    # By type and text: Decimal("1.0") and Decimal("1.00") stay apart.
                    key = (type(value), value if isinstance(value, str | int) else str(value))
                    if key not in memo:
                        memo[key] = f.get_db_prep_save(value, connection)
                    row.append(memo[key])
            values_rows.append(row)
        _copy(cursor, model, history, values_rows, None)


def _reserve(cursor: Any, model: type[Model], count: int) -> list[int]:
    """`count` new ids from the table's own sequence, in order (as bulk_create's RETURNING
    gives them), so the rows and their history rows can be written with COPY."""
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return sorted(row[0] for row in cursor.fetchall())


def _copy(
    cursor: Any,
    model: type[Model],
    history: type[Model],
    rows: list[list[Any]],
    objs: Sequence[Model] | None,
) -> None:
    """COPY the rows, then their "+" historical rows as `bulk_history_create` builds them."""
    fields = model._meta.concrete_fields
    copy_rows(cursor, model._meta.db_table, [f.column for f in fields], rows)
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    # A row's own `_history_user` / `_history_date` / `_change_reason` if it has one (no
    # instance: none), else the request's user (the same for the whole list) and now.
    default_user = history.get_default_history_user(model())
    position = {f.attname: n for n, f in enumerate(fields)}
    tracked = [position[f.attname] for f in history.tracked_fields]
    columns = [history._meta.get_field(f.name).column for f in history.tracked_fields]
    columns += ["history_date", "history_user_id", "history_change_reason", "history_type"]
    if objs is None:
        user_id = _pk(default_user)
        history_rows: Any = (
            [*(row[n] for n in tracked), timezone.now(), user_id, None, "+"] for row in rows
        )
    else:
        history_rows = (
            [
                *(row[n] for n in tracked),
                getattr(obj, "_history_date", None) or timezone.now(),
                _pk(getattr(obj, "_history_user", default_user)),
                get_change_reason_from_object(obj) or None,
                "+",
            ]
            for obj, row in zip(objs, rows, strict=True)
        )
    copy_rows(cursor, history._meta.db_table, columns, history_rows)


def _pk(user: Any) -> Any:
    return user.pk if user is not None else None


def _copyable(model: type[Model], history: type[Model]) -> bool:
    """Whether COPY writes what bulk_create_with_history would: a plain table (no parent
    model, no database default) whose historical model has only the standard columns."""
    if model._meta.parents or any(
        f.db_default is not NOT_PROVIDED
        or getattr(f, "auto_now", False)
        or getattr(f, "auto_now_add", False)
        for f in model._meta.fields
    ):
        return False
    if hasattr(history, "history_relation") or any(
        f.db_default is not NOT_PROVIDED for f in history._meta.fields
    ):
        return False
    tracked = {f.name for f in history.tracked_fields}
    return {f.name for f in history._meta.concrete_fields} == tracked | _HISTORY_FIELDS


def copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Any) -> None:
    """COPY `rows` (values in `columns` order) into `table` through Django's cursor."""
    quote = cursor.db.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
