"""Extension singletons; create_app() binds them with init_app()."""

import threading
import time

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints keep Alembic (and SQLite batch migrations) deterministic.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()


class InlineExpiryMemoryStorage(MemoryStorage):
    """memory:// without a thread per counted request.

    The library's in-memory storage starts a timer thread 10 ms after any
    counted request whose previous timer has ended (nearly every API call)
    to sweep expired counts. Here an expired count is dropped when it is read
    (as the library already does), and the sweep runs in the counting
    request itself, at most once per SWEEP_SECONDS. Registered for the
    memory:// scheme, so RATELIMIT_STORAGE_URI keeps its meaning.
    """

    STORAGE_SCHEME = ["memory"]
    SWEEP_SECONDS = 1.0

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        timer = getattr(self, "timer", None)
        if timer is not None:
            timer.cancel()  # the library's constructor started one
        self._swept_at = time.monotonic()
        self._sweeping = threading.Lock()

    def _MemoryStorage__schedule_expiry(self) -> None:
        """Called by the library before each count instead of starting a timer."""
        if time.monotonic() - self._swept_at < self.SWEEP_SECONDS:
            return
        sweep = getattr(self, "_MemoryStorage__expire_events", None)
        if sweep is None or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._swept_at = time.monotonic()
            sweep()
        finally:
            self._sweeping.release()


# Limits are counted in RATELIMIT_STORAGE_URI: memory:// is one worker's own count;
# redis:// shares it between workers and hosts. Should Redis be unreachable, each
# worker counts in memory until it is back rather than failing requests.
limiter = Limiter(
    key_func=get_remote_address, default_limits=[], in_memory_fallback_enabled=True
)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to open that page."
login_manager.login_message_category = "info"
