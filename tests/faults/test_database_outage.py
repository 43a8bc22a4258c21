"""The database goes away while the portal runs: a clean Dutch 503 page, and recovery without a restart.

A real gunicorn server reaches PostgreSQL through a small TCP proxy in this test; stopping the proxy cuts
every connection, as a database restart or a network failure would.
"""

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .conftest import child_env, database_url

ROOT = Path(__file__).resolve().parent.parent.parent


class TcpProxy:
    """Forwards 127.0.0.1:<port> to the database; stop() closes the listener and every open connection."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener = None
        self.sockets = []
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(50)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would leave the port listening.
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.close()
                except OSError:
                    pass


def _get(url, cookie=""):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def portal_through_proxy(postgresql):
    proxy = TcpProxy(postgresql.get("HOST") or "127.0.0.1", int(postgresql.get("PORT") or 5432))
    proxy.start()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    env = child_env(DATABASE_URL=database_url(postgresql, proxy.port), DB_CONN_MAX_AGE="60",
                    SECRET_KEY=settings.SECRET_KEY)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ghnt_portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{url}/gezondheid/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        yield url, proxy, server
    finally:
        server.terminate()
        server.wait(timeout=20)
        proxy.stop()


def test_database_away_gives_dutch_503_and_the_same_server_recovers(users, portal_through_proxy):
    url, proxy, server = portal_through_proxy
    client = Client()
    client.force_login(users["helmond"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, page = _get(f"{url}/programma/", cookie)
    assert status == 200 and "Programma" in page

    proxy.stop()
    status, page = _get(f"{url}/programma/", cookie)
    assert status == 503
    assert "Het portaal is tijdelijk niet beschikbaar" in page and "Er is niets gewijzigd" in page
    for secret in ("Traceback", "OperationalError", "psycopg", "postgres", settings.SECRET_KEY, "127.0.0.1"):
        assert secret not in page
    assert _get(f"{url}/gezondheid/")[0] == 503

    proxy.start()
    status, page = _get(f"{url}/programma/", cookie)
    assert status == 200 and "Programma" in page
    assert _get(f"{url}/gezondheid/")[0] == 200
    assert server.poll() is None  # the same process, never restarted
