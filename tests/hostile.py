"""What the robustness tests and bench/robustness.py share: the audited child process that logs
and blocks every outbound network attempt, a local listener that counts connections (hostile
URLs point at it), and the pieces of hostile RDF/XML. Not a test module; bench/robustness.py imports it from this folder."""

from __future__ import annotations

import socket
import threading

# Hostile RDF/XML: a document is XML_HEAD + an optional DOCTYPE + RDF.format(content); LOL declares
# the entities lol1 … lol9 of the billion-laughs bomb (lol9 expands to 10⁹ "lol").
XML_HEAD = '<?xml version="1.0"?>\n'
RDF = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex.org/">'
    '<rdf:Description rdf:about="http://ex.org/a"><ex:p>{}</ex:p></rdf:Description></rdf:RDF>\n'
)
LOL = "".join(
    f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
)

# The child runs the CLI behind an audit hook that logs and blocks every outbound attempt.
AUDITED = """
import os, sys
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
                 "socket.gethostbyaddr", "urllib.Request", "http.client.connect"):
        with open(os.environ["FAZHI_NET_LOG"], "a", encoding="utf-8") as fh:
            fh.write(event + " " + repr(args)[:200] + "\\n")
        raise PermissionError("outbound " + event + " blocked")
sys.addaudithook(hook)
from fazhi_kg.cli import main
sys.argv = ["fazhi", *sys.argv[1:]]
main()
"""


class Honeypot:
    """A local TCP listener that counts connections: hostile URLs point here."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join()
        self.sock.close()
