"""A receiving HTTP server for the events tests: the subscriber's callback URL, on 127.0.0.1."""

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records every request; answers 500 to the first `fail_next` of them."""

    def __init__(self):
        self.requests = []
        self.fail_next = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    failing = receiver.fail_next > 0
                    receiver.fail_next -= failing
                    receiver.requests.append(
                        {"headers": dict(self.headers), "body": body, "failed": failing}
                    )
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/notificaties"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def received(self) -> list[dict]:
        """The messages it accepted, in the order they came."""
        return [json.loads(item["body"]) for item in self.requests if not item["failed"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@contextlib.contextmanager
def receiver():
    server = Receiver()
    try:
        yield server
    finally:
        server.stop()


def dead_url() -> str:
    """A callback URL on which nothing listens (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/notificaties"
