"""Running the app under gunicorn (production mode of ``osce-kg serve``)."""
from __future__ import annotations

from gunicorn.app.base import BaseApplication

from server import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, settings: dict, options: dict):
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self):
        for k, v in self.options.items():
            self.cfg.set(k, v)

    def load(self):
        return create_app(self.settings)


def run_server(settings: dict, *, host: str, port: int, workers: int) -> None:
    """Serve ``create_app(settings)`` with gunicorn in the foreground until SIGTERM/SIGINT.

    Each worker opens the store itself after the fork (RocksDB must not cross a fork).
    """
    _Gunicorn(settings, {"bind": f"{host}:{port}", "workers": max(1, workers), "threads": 4,
                         "worker_class": "gthread", "accesslog": "-", "timeout": 120,
                         "limit_request_line": 0,  # the app answers over-long URLs itself (414)
                         "graceful_timeout": 10}).run()
