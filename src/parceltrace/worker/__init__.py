"""Background work: the poller (due trackings), the janitor (purges); the dispatcher comes later."""
