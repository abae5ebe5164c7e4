"""Background work: the poller (due trackings), the dispatcher (webhook deliveries), the
mailer (status mails), the janitor (expiries and purges), the sandbox clock advance, and the
cluster plumbing that runs them in one or many processes."""
