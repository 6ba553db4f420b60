"""`python -m fazhi_kg` runs the `fazhi` command."""

from fazhi_kg.cli import main

main()
