"""Writes run at the same moment, each in a thread with its own database connection (tests
marked django_db(transaction=True), on PostgreSQL)."""

import threading
from collections.abc import Callable


def at_once(*writes: Callable[[], object]) -> list[Exception]:
    """Run `writes` in threads that start together; the exceptions they raised."""
    from django.db import connections

    barrier = threading.Barrier(len(writes))
    errors = []

    def run(write):
        try:
            barrier.wait(timeout=10)
            write()
        except Exception as error:  # pragma: no cover - reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
