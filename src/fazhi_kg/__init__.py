"""fazhi-kg: knowledge graphs of Chinese governments' annual rule-of-law reports.

Importing the package defines things and loads nothing heavy; see the submodules for the steps
(read → structure → extract → rdf → validate → query → export). `to_networkx` is loaded on first
use, so `import fazhi_kg` imports neither networkx nor rdflib.
"""

from typing import TYPE_CHECKING, Any

from fazhi_kg.errors import FazhiError

if TYPE_CHECKING:
    from fazhi_kg.export.network import to_networkx

__all__ = ["FazhiError", "__version__", "to_networkx"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Load the public API that needs heavy libraries only when it is first used (PEP 562)."""
    if name == "to_networkx":
        from fazhi_kg.export.network import to_networkx

        return to_networkx
    raise AttributeError(f"module 'fazhi_kg' has no attribute {name!r}")
