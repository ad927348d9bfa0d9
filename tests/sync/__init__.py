"""Sheets sync tests. A package, so that its conftest and helpers never shadow the top-level
tests' `conftest` module (pytest's default import mode puts rootless test folders on sys.path)."""
