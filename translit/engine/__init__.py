"""The engine's machinery, ``str -> str``: words, kept spans, the repairs before the rules,
the rule table prepared for one set of options, and the engines that run it (the
reference, the fast path and its C accelerator)."""
