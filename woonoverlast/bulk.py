"""Writing many new rows of one model at once: PostgreSQL's COPY, elsewhere bulk_create.

The bulk import writes a case, its categories, its status rows and its audit events for every
row of a file. `bulk_create` spends most of its time in Python (a model instance per row, a
field's `get_db_prep_save` per value, and psycopg adapting the parameter arrays of its
`UNNEST` INSERT); COPY streams plain values to PostgreSQL in one command per table
(docs/performance.md has the numbers).

The primary keys are taken from the table's own sequence first (one query), so the rows have
their ids, as bulk_create leaves them on PostgreSQL, and foreign keys to them can be written
in the same transaction. No signals are sent and `save()` is not called, as with bulk_create;
fields with auto_now or auto_now_add get the same moment for every row.
"""

import contextlib
import functools
import gc
import inspect
import json
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connections, models, router
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init
from django.utils import timezone
from psycopg import sql


@contextlib.contextmanager
def collector_paused():
    """Inside, Python's cyclic garbage collector does not run. A bulk write builds hundreds of
    thousands of objects (rows, model instances) that live until it ends; each collection
    walks all of them again, for nothing, as they are still in use (measured: a sixth of an
    import of 100,000 rows). Objects without reference cycles are still freed at once."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def new_instance(model: type[models.Model], **values) -> models.Model:
    """`model(**values)`, built without `Model.__init__`: the instance's attributes set
    at once, in field order, as `Model.__init__` sets them for the instances Django reads.
    That skips the keyword handling, a descriptor per field and the init signals: for a
    Case about a quarter of the time of `model(...)`, half of that of `Model.__init__` with
    the values in field order (measured side by side); the bulk import makes one per row
    for the services' validation. As with `model(...)`, a foreign key may be given as
    its object (by the field's name) or as its id (by its attname), and the fields not given
    take their defaults. A model with receivers of pre_init or post_init, or with a field
    whose attribute is a descriptor that does more than hold the value (a file), is made
    by `model(...)` after all.
    """
    plan = _instance_plan(model, tuple(values))
    if not plan.direct or (
        # Receivers for any model are rare (none here): checked for this one only then.
        (pre_init.receivers or post_init.receivers)
        and (pre_init.has_listeners(model) or post_init.has_listeners(model))
    ):
        return model(**values)
    instance = model.__new__(model)
    attributes = instance.__dict__
    attributes["_state"] = ModelState()
    # Every field in order (its constant default where it has one), then the others' values.
    attributes.update(plan.constants)
    for attname, field in plan.called:
        attributes[attname] = field.get_default()
    for attname in plan.values:
        attributes[attname] = values[attname]
    for field, name, attname in plan.objects:
        target = values[name]
        attributes[attname] = None if target is None else target.pk
        field.set_cached_value(instance, target)  # None too, as model(...) caches it
    return instance


@dataclass(frozen=True)
class _Plan:
    direct: bool  # False: made by model(...)
    constants: dict  # attname: constant default, for every concrete field in order
    called: tuple  # (attname, field) of fields not given whose default is called per instance
    values: tuple  # attnames given as values
    objects: tuple  # (field, name, attname) of foreign keys given as their object


@functools.cache
def _instance_plan(model, names: tuple[str, ...]) -> _Plan:
    """Where new_instance takes each field's value from, worked out once per model and set
    of given names."""
    fields = model._meta.concrete_fields
    known = {field.attname for field in fields} | {f.name for f in fields if f.is_relation}
    unknown = set(names) - known
    if unknown:
        raise TypeError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    constants, called, given, objects = {}, [], [], []
    direct = True
    for field in fields:
        descriptor = inspect.getattr_static(model, field.attname, None)
        # Setting the attribute of a foreign key's id drops a cached object that no longer
        # matches (none on a new instance); any other data descriptor does more.
        if hasattr(descriptor, "__set__") and not isinstance(
            descriptor, ForeignKeyDeferredAttribute
        ):
            direct = False
        constants[field.attname] = None
        if field.is_relation and field.name in names:
            objects.append((field, field.name, field.attname))
        elif field.attname in names:
            given.append(field.attname)
        elif (field.has_default() and callable(field.default)) or field.has_db_default():
            called.append((field.attname, field))
        else:
            constants[field.attname] = field.get_default()
    return _Plan(direct, constants, tuple(called), tuple(given), tuple(objects))


def insert_many(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT `objects`, new unsaved instances of `model`, and set their primary keys."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.using(connection.alias).bulk_create(objects)
        return
    missing = sum(obj.pk is None for obj in objects)
    _insert(connection, model, objects, _reserve_ids(connection, model._meta, missing))


def insert_streamed(model: type[models.Model], objects: Iterable[models.Model], *, count: int):
    """PostgreSQL: INSERT `objects` as they come, at most `count` of them, and set their
    primary keys.

    `objects` may be a generator that works between the rows it yields (the import checks
    the next case): PostgreSQL takes the rows sent so far meanwhile, where with insert_many
    the two take turns. The generator must not query the database, whose connection is busy
    with the COPY until the last row: a query raises. `count` ids are reserved first; those
    not used are left out of the sequence, as a rolled-back INSERT leaves them.
    """
    connection = connections[router.db_for_write(model)]
    ids = _reserve_ids(connection, model._meta, count)
    with connection.execute_wrapper(_no_query_while_copying):
        _insert(connection, model, objects, ids)


def _no_query_while_copying(execute, sql, params, many, context):
    raise RuntimeError(
        "A query while rows were being copied (bulk.insert_streamed, or insert_rows with "
        "count): the rows' generator "
        f"must not use the database. The query: {sql[:200]}"
    )


def _insert(connection, model, objects: Iterable[models.Model], ids: Iterable[int]) -> None:
    """COPY `objects`, stamping them (auto_now fields, saved state) and giving those without
    a primary key the next of `ids`, as each is sent."""
    meta = model._meta
    now = timezone.now()
    stamped = [field.attname for field in _stamped(meta)]
    row_of = _getter(operator.attrgetter, _attnames(meta))
    ids = iter(ids)

    def values():
        for obj in objects:
            for name in stamped:
                setattr(obj, name, now)
            obj._state.adding = False
            obj._state.db = connection.alias
            if obj.pk is None:
                obj.pk = next(ids)
            yield row_of(obj)

    _copy(connection, meta, values())


def insert_rows(
    model: type[models.Model], rows: Iterable[dict], *, count: int | None = None
) -> None:
    """INSERT `rows`, dicts of attribute names (`case_id`, not `case`) to values, without
    making a model instance per row; a missing field takes its default. Each dict gets its
    primary key under the model's pk attribute name (an automatic one; any other the rows
    must carry).

    With `count` (at least the number of rows), `rows` may be a generator that makes each
    row when it is asked for: on PostgreSQL the rows are then sent as they come, so that
    PostgreSQL takes them while the next are made (as with insert_streamed, the generator
    must not query the database; ids not used are left out of the sequence).
    """
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    if count is None or connection.vendor != "postgresql":
        rows = rows if isinstance(rows, Sequence) else list(rows)
        count = len(rows)
    if not count:
        return
    if connection.vendor != "postgresql":
        objects = [model(**row) for row in rows]
        model.objects.using(connection.alias).bulk_create(objects)
        for row, obj in zip(rows, objects, strict=True):
            row[meta.pk.attname] = obj.pk
        return
    now = timezone.now()
    defaults = {
        field.attname: now if field in _stamped(meta) else field.get_default()
        for field in meta.concrete_fields
        if not field.primary_key
    }
    # Each row over the defaults, its values taken in column order (both in C: a third of
    # the time of a lookup per name and row in Python).
    names = _attnames(meta)
    row_defaults = {name: defaults.get(name) for name in names}
    row_of = _getter(operator.itemgetter, names)
    # A primary key that is another row's (a one-to-one's `case_id`) comes with the rows.
    if isinstance(meta.pk, models.fields.AutoFieldMixin):
        pk_name, ids = meta.pk.attname, iter(_reserve_ids(connection, meta, count))

        def values():
            for row in rows:
                pk = next(ids, None)
                if pk is None:
                    raise ValueError(f"insert_rows: more rows than count ({count})")
                row[pk_name] = pk
                yield row_of({**row_defaults, **row})

    else:

        def values():
            for row in rows:
                yield row_of({**row_defaults, **row})

    with connection.execute_wrapper(_no_query_while_copying):
        _copy(connection, meta, values())


def _stamped(meta) -> list:
    return [
        field
        for field in meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


def _attnames(meta) -> list[str]:
    return [field.attname for field in meta.concrete_fields]


def _getter(kind, names: list[str]):
    """attrgetter or itemgetter of `names` that always returns a tuple (with one name they
    return the value alone)."""
    get = kind(*names)
    return get if len(names) > 1 else lambda source: (get(source),)


def _reserve_ids(connection, meta, count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        # The sequence is looked up first and passed as a constant: nextval() of the name
        # inside the series looks the sequence up anew for every row (10 times slower).
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy(connection, meta, value_lists) -> None:
    fields = meta.concrete_fields
    types = _binary_types(connection, meta)
    json_fields = [
        (i, field.encoder) for i, field in enumerate(fields) if isinstance(field, models.JSONField)
    ]
    # Values that binary COPY takes only as Django would send them: an IP address as an
    # ipaddress object (GenericIPAddressField holds a str).
    converted = [
        (i, connection.ops.adapt_ipaddressfield_value)
        for i, field in enumerate(fields)
        if types is not None and field.get_internal_type() == "GenericIPAddressField"
    ]
    statement = sql.SQL("COPY {} ({}) FROM STDIN{}").format(
        sql.Identifier(meta.db_table),
        sql.SQL(", ").join(sql.Identifier(field.column) for field in fields),
        sql.SQL(" (FORMAT BINARY)" if types is not None else ""),
    )
    # A JSON value given to many rows as one object (the bulk import's audit content of a
    # closing or of archive data, the same for every case closed on a day) is encoded once:
    # by the object's id, the object kept here so that its id is not reused meanwhile. The
    # rows must not change such an object while they are copied. In binary, jsonb is sent as
    # its version byte (1) and the text, as bytes (`types` declares the column bytea, whose
    # dumper sends bytes as they are).
    encoded: dict[int, tuple[object, str | bytes]] = {}
    binary = types is not None
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        if binary:
            copy.set_types(types)
        changed = bool(json_fields or converted)
        for values in value_lists:
            if changed:
                values = list(values)
            for i, encoder in json_fields:
                value = values[i]
                if value is not None:
                    known = encoded.get(id(value))
                    if known is None:
                        text = json.dumps(value, cls=encoder)
                        known = encoded[id(value)] = (
                            value,
                            b"\x01" + text.encode() if binary else text,
                        )
                    values[i] = known[1]
            for i, convert in converted:
                if values[i] is not None:
                    values[i] = convert(values[i])
            copy.write_row(values)


# The PostgreSQL column types whose values binary COPY sends from what a model instance
# holds, by Django's db_type (without its length), with psycopg's name of the type whose
# binary dumper takes them. Binary COPY writes each value by its column's type, not by the
# Python value's: no text to format per value (psycopg's text formatting was a fifth of an
# import's Python time) and none to parse for PostgreSQL. A value of another Python type
# than its column's (a str for a date) fails the COPY loudly, never silently.
_BINARY_TYPE = {
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "boolean": "bool",
    "date": "date",
    "timestamp with time zone": "timestamptz",
    "varchar": "varchar",
    "text": "text",
    "jsonb": "bytea",
    "inet": "inet",
}
# Fields whose instance attribute is not the value stored (a FieldFile for a FileField).
_NOT_BINARY = frozenset({"FileField", "ImageField"})


def _binary_types(connection, meta) -> list[str] | None:
    """psycopg's type name per column for a binary COPY of `meta`'s table, or None when a
    column's type is not one binary COPY is used for here (the COPY is then in text)."""
    types = []
    for field in meta.concrete_fields:
        db_type = (field.db_type(connection) or "").split("(", 1)[0]
        name = _BINARY_TYPE.get(db_type)
        if name is None or field.get_internal_type() in _NOT_BINARY:
            return None
        types.append(name)
    return types
