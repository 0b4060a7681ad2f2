"""How gunicorn serves the app: ``gunicorn -c python:lms.serving wsgi:app``.

`make run`, `make serve` and every test, drill and benchmark that starts a
server read these settings, so what is measured is what people run. Command
line options (``--bind``, ``--workers``) still override them.
"""

# One worker process per core; threads let a worker overlap its database waits.
workers = 2
threads = 4

# Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads
# new connections evenly across them. With one shared socket, whichever worker
# woke first took most of a burst's keep-alive connections and kept them for
# every later request: one core did the work while the other idled.
reuse_port = True
