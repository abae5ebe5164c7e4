"""Webhooks: payloads, signatures, the outbox; and helpers for receivers (`verify`, `parse`)."""

from parceltrace.webhooks.receiver import TrackingStopped, TrackingUpdated, parse, verify, verify_standard

__all__ = ["TrackingStopped", "TrackingUpdated", "parse", "verify", "verify_standard"]
