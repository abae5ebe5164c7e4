"""The HTTP surface: /track/v2.2/*, auth, rate limits and the 17TRACK error envelope."""
