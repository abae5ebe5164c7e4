"""For webhook receivers (the SDK side): payloads, signatures, `verify` and `parse`. Imports
nothing of the server; the outbox and delivery are `parceltrace.outbox`."""

from parceltrace.webhooks.receiver import TrackingStopped, TrackingUpdated, parse, verify, verify_standard

__all__ = ["TrackingStopped", "TrackingUpdated", "parse", "verify", "verify_standard"]
