"""What the API and the dashboard share at the HTTP edge: rate limits per key and per sign-in
(in memory or in Redis). Use cases live in service/; nothing here decides what a request does."""
