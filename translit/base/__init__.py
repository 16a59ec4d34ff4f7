"""What every layer shares: the options, the record classes, the caps on what one input may
cost, and lazily compiled patterns. It imports nothing else of translit."""
