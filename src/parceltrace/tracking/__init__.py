"""The tracking domain, pure: events -> track_info, lifecycle rules, polling cadence."""
