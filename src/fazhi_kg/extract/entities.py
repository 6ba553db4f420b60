"""Named things, one module per family: institutions, mechanisms, documents and cases.

This module gathers their finders for callers that read all of them.
"""

from __future__ import annotations

from fazhi_kg.extract.cases import FoundCase, find_cases
from fazhi_kg.extract.documents import find_documents, open_titles
from fazhi_kg.extract.found import Found, first_mentions
from fazhi_kg.extract.institutions import find_institutions
from fazhi_kg.extract.mechanisms import find_mechanisms

__all__ = [
    "Found",
    "FoundCase",
    "find_cases",
    "find_documents",
    "find_institutions",
    "find_mechanisms",
    "first_mentions",
    "open_titles",
]
