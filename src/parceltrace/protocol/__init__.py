"""The wire contract of the 17TRACK Tracking API, pure data and functions (no I/O)."""
