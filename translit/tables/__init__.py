"""The data layer: the rule table, the word exceptions, the look-alikes and the word lists
of every direction, loaded from ``data/`` and checked."""
