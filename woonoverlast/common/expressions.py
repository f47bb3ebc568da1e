"""SQL expressions the ORM lacks, each written for PostgreSQL and for SQLite."""

from django.db import models


class EqualsAny(models.Func):
    """PostgreSQL: `expression = ANY(array)`, which an index (scan) can answer."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


class InSubquery(models.Func):
    """`expression` is one of the values of a one-column `subquery`: `IN (SELECT ...)`, and on
    PostgreSQL `= ANY(ARRAY(SELECT ...))`.

    The difference is in an OR. PostgreSQL runs an `IN` or `EXISTS` there as a subplan for
    every row the other branches leave, which no index answers; `ARRAY(SELECT ...)` is read
    once before the query (an InitPlan), and `id = ANY($1)` is then one more index scan in
    the OR's BitmapOr. For a subquery of a few rows (a user's access grants), not thousands.
    """

    output_field = models.BooleanField()

    def __init__(self, expression, subquery):
        super().__init__(expression, models.Subquery(subquery))

    def as_sql(self, compiler, connection, **extra_context):
        (lhs, lhs_params), (rhs, rhs_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        (lhs, lhs_params), (rhs, rhs_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
