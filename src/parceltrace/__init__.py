"""parceltrace: a self-hostable tracking service that speaks the 17TRACK Tracking API v2.2."""

__version__ = "0.1.0"
