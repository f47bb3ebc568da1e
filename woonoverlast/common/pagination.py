"""Pagination of long lists: the case list and the audit log."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Beyond this many cases the list says "meer dan 5.000" instead of counting them all, and offers
# no pages past the cap: nobody pages through 200 pages. At 1,000,000 cases the exact count of a
# broad text search cost 170 ms, capped 20-30 ms, and a page at OFFSET 10,000 of that search
# 180-300 ms against about 100 ms at 5,000 (docs/performance.md).
COUNT_CAP = 5_000


class LongListPaginator(Paginator):
    """A Paginator for long lists: a capped count, and pages past the middle read from the end.

    The count stops at `count_cap + 1` rows; `capped` tells the template to say "meer dan".

    OFFSET costs every row it skips, so with a million cases the last page of a wijk cost
    several times its first page (docs/performance.md). A page past the middle is read as the
    list in reverse order with the smaller offset from the end, then turned round: the same
    rows in the same order, for at most half the skipping. Needs a total order (the case
    list's sorts end with the reference, the audit log's with the id) and the true count, so
    a capped list is read from the front.
    """

    count_cap = COUNT_CAP

    @cached_property
    def count(self):
        # Without the ordering the database can stop after count_cap + 1 matching rows; the
        # ids only, so that a column the list annotates (whether the user may see a case's
        # address: a subquery per row) is not worked out for rows that are only counted.
        return self.object_list.order_by().values("pk")[: self.count_cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.count_cap

    @property
    def pages_below_cap(self) -> int:
        """How many full pages the cap stands for: "pagina 3 van meer dan 400"."""
        return self.count_cap // self.per_page

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if self.capped or bottom <= self.count // 2 or not getattr(queryset, "ordered", False):
            return super().page(number)
        from_end = self.count - top
        rows = list(queryset.reverse()[from_end : from_end + (top - bottom)])
        rows.reverse()
        return self._get_page(rows, number, self)
