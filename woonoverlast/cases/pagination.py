"""Pagination of long case lists."""

from django.core.paginator import Paginator


class FromEitherEndPaginator(Paginator):
    """A Paginator that reads a page in the back half of the list from its end.

    OFFSET costs every row it skips, so with a million cases the last page of a wijk cost
    several times its first page (docs/performance.md). A page past the middle is read as the
    list in reverse order with the smaller offset from the end, then turned round: the same
    rows in the same order, for at most half the skipping. Needs a total order (the case
    list's sorts end with the reference, which is unique).
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        queryset = self.object_list
        if bottom <= self.count // 2 or not getattr(queryset, "ordered", False):
            return super().page(number)
        from_end = self.count - top
        rows = list(queryset.reverse()[from_end : from_end + (top - bottom)])
        rows.reverse()
        return self._get_page(rows, number, self)
