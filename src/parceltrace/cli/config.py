"""Settings shared by the CLI commands: flags first, then PARCELTRACE_* environment variables."""

from __future__ import annotations

DEFAULT_DB = "sqlite:///./parceltrace.db"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8017
DB_ENV = "PARCELTRACE_DB"
REDIS_ENV = "PARCELTRACE_REDIS"
