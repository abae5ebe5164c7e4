"""Background work: the poller (due trackings), the dispatcher (webhook deliveries), the
mailer (status mails), the janitor (purging trackings stopped 90 days ago), the upstream
release (through service.upstream), the sandbox clock advance, and the cluster plumbing that
runs them in one process or many (`cluster`, `process`). None of it does SQL: its queries are
in store/."""
