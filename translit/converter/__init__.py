"""The public converter: a `Transliterator` built once from `Options`, the shortcuts, and
the batch API for data frameworks."""
