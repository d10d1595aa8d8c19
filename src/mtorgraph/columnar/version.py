"""The version and table names of the column layout, without importing pyarrow: enough to name
and check a compiled cache entry (its key, its files) in a process that never opens it."""

__all__ = ["SCHEMA_VERSION", "TABLE_NAMES"]

#: Bump when a table's layout changes: compiled caches of an older layout are rebuilt.
SCHEMA_VERSION = 1
#: The tables of a graph held as columns, in the order of :data:`~.schema.SCHEMAS`.
TABLE_NAMES = ("entities", "references", "edges", "links", "evidence")
