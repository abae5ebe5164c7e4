"""Carrier facts, extra-parameter rules and tracking-number detection (pure, no I/O at call time)."""
