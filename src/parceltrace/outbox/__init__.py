"""Sending what the outbox holds: the webhook address policy, the HTTP transport, and the
status mail's content. What goes into the outbox is decided by `service.pushes`; the SDK side
(payloads, signatures, verification) is `parceltrace.webhooks`, which imports nothing of the
server."""
