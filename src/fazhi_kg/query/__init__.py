"""The query path: the stored-query catalogue (`catalogue`), opening a store (`store`), running a
query (`engine`, `pages` for per-report pages, `child` for time limits), rendering answers
(`render`, `labels`) and remote endpoints (`remote`). Free of rdflib, pyshacl, networkx and
matplotlib, so `fazhi query` starts fast.

`open_store` and `run`, the calls a notebook needs, are loaded on first use.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fazhi_kg.query.engine import run
    from fazhi_kg.query.store import open_store

__all__ = ["open_store", "run"]


def __getattr__(name: str) -> Any:
    """`open_store` and `run` without importing pyoxigraph with the package (PEP 562)."""
    if name == "open_store":
        from fazhi_kg.query.store import open_store

        return open_store
    if name == "run":
        from fazhi_kg.query.engine import run

        return run
    raise AttributeError(f"module 'fazhi_kg.query' has no attribute {name!r}")
