"""Start-up and the two composition roots: the server (API, dashboard and, embedded, the
worker) and the worker process; joining a cluster; logs, HTTP limits, the heap, the console."""
