"""How gunicorn serves the app: ``gunicorn -c python:lms.serving wsgi:app``.

`make run`, `make serve` and every test, drill and benchmark that starts a
server read these settings, so what is measured is what people run. Command
line options (``--bind``, ``--workers``) still override them.
"""

# One worker process per core; threads let a worker overlap its database waits.
workers = 2
threads = 4

# One listening socket shared by the workers (gunicorn's default): a worker
# takes a new connection when it is free to, so the less busy worker gets it.
# A socket per worker (reuse_port) spreads connections evenly by count instead,
# whatever each worker is doing; measured here it gave the same deadline burst
# and a worse p95 under steady load, where connections come and go.
reuse_port = False
