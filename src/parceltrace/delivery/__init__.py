"""The server side of webhooks and status mails: the outbox, the address policy, the HTTP
transport and the mail content. The SDK side (payloads, signatures, verification) is
`parceltrace.webhooks`, which imports nothing of the server."""
