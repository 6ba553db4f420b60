"""fazhi-kg: knowledge graphs of Chinese governments' annual rule-of-law reports.

Importing the package defines things and loads nothing heavy; see the submodules for the steps
(read → structure → extract → rdf → validate → query → export).
"""

from fazhi_kg.errors import FazhiError

__all__ = ["FazhiError", "__version__"]
__version__ = "0.1.0"
