"""Helpers shared by the tests, the benchmarks and docs/make_preview.py (plain modules:
no pytest in them, so a script can import them with the tests folder on its path)."""
