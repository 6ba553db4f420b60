"""SHACL Core (https://www.w3.org/TR/shacl/#core-components) compiled to SPARQL and run on Oxigraph.

Each shape becomes SELECT queries that return its violations (`compiler`), one module per section
of the specification writing its components: `value_type` (§4.1), `cardinality` (§4.2),
`value_range` (§4.3), `string_based` (§4.4), `property_pair` (§4.5), `logical` (§4.6),
`shape_based` (§4.7), `other` (§4.8). Value-level components are FILTER expressions on a value
node, cardinality and pair components aggregates or EXISTS patterns, nested shapes conformance
expressions inlined into their parent. The verdicts follow pySHACL (the reference, held to it by a
differential test), down to how rdflib reads literals (`literals`). A shapes graph that uses
anything this compiler does not know raises `Unsupported`, so the caller falls back to pySHACL
instead of passing silently. `workspace` runs the checks.
"""

from fazhi_kg.validate.compiled.check import Check, Unsupported
from fazhi_kg.validate.compiled.compiler import compile_shapes
from fazhi_kg.validate.compiled.literals import encode_ntriples
from fazhi_kg.validate.compiled.workspace import Workspace, run_checks

__all__ = ["Check", "Unsupported", "Workspace", "compile_shapes", "encode_ntriples", "run_checks"]
