"""Carrier connectors: each carrier's own tracking API through karrio (optional extra
`parceltrace[carriers]`). Pure parts (catalog, status tables, times, mapping) import nothing of
karrio; `calls` and `source` do the I/O."""
