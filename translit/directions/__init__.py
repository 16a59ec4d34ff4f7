"""The directions beyond Cyrillic → Latin: Latin → Cyrillic (what stays Latin, the lexicon,
plain words at once) and Latin ↔ Latin (1995 ↔ 2026)."""
