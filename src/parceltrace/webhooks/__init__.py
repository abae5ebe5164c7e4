"""Webhook payloads and signatures (pure); delivery lives in worker/dispatcher."""
