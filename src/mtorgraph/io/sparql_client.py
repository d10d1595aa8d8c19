"""Talk to a SPARQL store over HTTP: the SPARQL 1.1 Protocol (queries) and the Graph Store HTTP
Protocol (uploading a named graph), with the standard library's ``http.client``.

Operations that a shared store needs:

* **Timeouts** on every request; **retries** with exponential back-off on 5xx answers and on
  connection errors (refused, reset, dropped), never on 4xx.
* **Clear errors**: 401, 403, 404 and 415 (and any other failure) become one line naming the
  URL (without credentials or query string) and what to do; the caller exits 1.
* **Credentials** come from ``MTORGRAPH_SPARQL_USER`` / ``MTORGRAPH_SPARQL_PASSWORD`` or
  ``~/.netrc`` (the entry for the host), never from the URL or the command line; the password is
  removed from every message, whatever the server sends back.
* **HTTPS by default**: ``http://`` is accepted for local hosts (``localhost``, ``127.0.0.0/8``,
  ``::1``) and refused for others unless ``allow_http``.
* **No query text built from data by concatenation**: IRIs and literals enter queries only through
  :func:`iri_term` and :func:`literal_term` (checked and escaped) or as ``VALUES`` rows built from
  them.

>>> literal_term('say "hi"\\n')
'"say \\\\"hi\\\\"\\\\n"'
>>> iri_term("https://w3id.org/mtorgraph/kg/x")
'<https://w3id.org/mtorgraph/kg/x>'
"""

from __future__ import annotations

import base64
import ipaddress
import json
import netrc
import os
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from ..errors import MtorgraphError

__all__ = ["DEFAULT_GRAPH_IRI", "Credentials", "SparqlClient", "SparqlHttpError", "find_credentials",
           "iri_term", "literal_term", "values_block"]

#: The named graph ``push`` writes to and reading commands read from, unless told otherwise.
DEFAULT_GRAPH_IRI = "https://w3id.org/mtorgraph/kg/dataset"

USER_VARIABLE = "MTORGRAPH_SPARQL_USER"
PASSWORD_VARIABLE = "MTORGRAPH_SPARQL_PASSWORD"

#: Characters SPARQL's IRIREF forbids (besides the controls and space, checked by code point).
_IRI_FORBIDDEN = set('<>"{}|^`\\')
#: Escapes for a double-quoted SPARQL string (ECHAR).
_ECHAR = {"\\": "\\\\", '"': '\\"', "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
          "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r"[\\\"'\n\r\t\b\f]")


def iri_term(iri: str) -> str:
    """``iri`` as a SPARQL IRI term ``<…>``.

    :raises MtorgraphError: if it holds a character an IRI term cannot carry (``<>"{}|^`\\``,
        controls, space): such an IRI would end the term early and inject text into the query.
    """
    bad = next((c for c in iri if c in _IRI_FORBIDDEN or ord(c) <= 0x20), None)
    if bad is not None or not iri:
        shown = f"the character {bad!r}" if bad is not None else "nothing"
        raise MtorgraphError(f"cannot put the IRI {iri!r} into a SPARQL query: it holds {shown}")
    return f"<{iri}>"


def literal_term(text: str) -> str:
    """``text`` as a double-quoted SPARQL string literal, every quote, backslash and line end escaped.

    :raises MtorgraphError: if it holds a NUL character (no SPARQL parser accepts one).
    """
    if "\x00" in text:
        raise MtorgraphError("cannot put a text holding a NUL character into a SPARQL query")
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ECHAR[m.group()], text) + '"'


def values_block(variable: str, terms: Iterable[str]) -> str:
    """``VALUES ?variable { … }`` from terms already made by :func:`iri_term` or :func:`literal_term`."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", variable):
        raise ValueError(f"not a SPARQL variable name: {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(terms)} }}"


@dataclass(frozen=True)
class Credentials:
    """A user name and password for HTTP Basic authentication (the password never printed)."""

    user: str
    password: str = ""

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, password=<hidden>)"

    def header(self) -> str:
        """The ``Authorization`` header value."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        return f"Basic {token}"


def find_credentials(host: str, environ: dict[str, str] | None = None) -> Credentials | None:
    """Credentials for ``host``: the environment (``MTORGRAPH_SPARQL_USER`` and
    ``MTORGRAPH_SPARQL_PASSWORD``) first, then the ``~/.netrc`` entry for the host (``$NETRC``
    names another file); ``None`` when neither has any."""
    env = os.environ if environ is None else environ
    user = env.get(USER_VARIABLE)
    if user:
        return Credentials(user, env.get(PASSWORD_VARIABLE, ""))
    path = env.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    try:
        entry = netrc.netrc(path).authenticators(host)
    except (netrc.NetrcParseError, OSError) as exc:
        raise MtorgraphError(f"{path}: cannot read the credentials file ({getattr(exc, 'msg', exc)})") from None
    if entry is None:
        return None
    login, _account, password = entry
    return Credentials(login or "", password or "")


class SparqlHttpError(MtorgraphError):
    """A request to the store failed; the message is one line, free of credentials."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def is_local_host(host: str) -> bool:
    """Whether ``host`` is this machine (``localhost``, a loopback address)."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_HINTS = {
    401: "the store refused the credentials (401 Unauthorized); set MTORGRAPH_SPARQL_USER and "
         "MTORGRAPH_SPARQL_PASSWORD, or a ~/.netrc entry for the host",
    403: "the store forbids this (403 Forbidden); the account may lack read or write rights on this "
         "dataset or graph",
    404: "nothing there (404 Not Found); check the endpoint path (each store names its query and graph "
         "store endpoints differently, see the README)",
    405: "the store does not allow this method here (405 Method Not Allowed); check the endpoint path "
         "(query, update and graph store endpoints differ)",
    413: "the store refused the upload as too large (413); raise its upload limit or push in parts",
    415: "the store does not accept this content type (415 Unsupported Media Type); this URL may not be "
         "a Graph Store endpoint",
}
#: Answers worth another try: the server or a proxy in front of it was briefly unable.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class SparqlClient:
    """One store: its query endpoint, optionally its Graph Store endpoint, the graph to read.

    :param endpoint: the SPARQL 1.1 Protocol query URL (e.g. Oxigraph's ``http://host:7878/query``).
    :param store: the Graph Store HTTP Protocol URL (e.g. ``http://host:7878/store``), for uploads.
    :param graph_iri: the named graph queries read (sent as ``default-graph-uri``); ``None``: the
        store's default graph.
    :param timeout: seconds for connecting and for each read.
    :param retries: further tries after a 5xx answer or a connection error.
    :param backoff: seconds before the first retry; doubled each time.
    :param allow_http: accept ``http://`` to a host that is not this machine.
    :param credentials: HTTP Basic credentials; default: :func:`find_credentials` for the host.
    :raises MtorgraphError: if a URL is not http(s), carries credentials, or is plain HTTP to a
        remote host without ``allow_http``.
    """

    def __init__(self, endpoint: str, *, store: str | None = None, graph_iri: str | None = DEFAULT_GRAPH_IRI,
                 timeout: float = 60.0, retries: int = 3, backoff: float = 0.5, allow_http: bool = False,
                 credentials: Credentials | None = None, sleep: Callable[[float], None] = time.sleep):
        self.endpoint = self._check_url(endpoint, allow_http)
        self.store = self._check_url(store, allow_http) if store else None
        if graph_iri is not None:
            iri_term(graph_iri)
        self.graph_iri = graph_iri
        self.timeout, self.retries, self.backoff, self._sleep = timeout, retries, backoff, sleep
        host = urlsplit(self.endpoint).hostname or ""
        self.credentials = credentials if credentials is not None else find_credentials(host)

    @staticmethod
    def _check_url(url: str, allow_http: bool) -> str:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise MtorgraphError(f"not an http(s) URL: {_one_line(url, 80)!r}; give the store's endpoint, "
                                 "e.g. https://example.org/sparql")
        if parts.username is not None or parts.password is not None:
            raise MtorgraphError("the endpoint URL carries credentials; remove them and set MTORGRAPH_SPARQL_USER "
                                 "and MTORGRAPH_SPARQL_PASSWORD (or a ~/.netrc entry) instead")
        if parts.scheme == "http" and not allow_http and not is_local_host(parts.hostname):
            raise MtorgraphError(f"refusing plain http:// to {parts.hostname} (credentials and data would cross "
                                 "the network unencrypted); use https://, or --allow-http if you must")
        return url

    # ---- messages -------------------------------------------------------------------------------

    def display_url(self, url: str) -> str:
        """``url`` as shown in messages: scheme, host, port and path (no credentials, no query)."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        netloc = host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def _clean(self, text: str) -> str:
        """``text`` without the password or the Authorization token, whatever put them there."""
        if self.credentials is not None:
            for secret in (self.credentials.password, self.credentials.header().split(" ", 1)[1]):
                if secret:
                    text = text.replace(secret, "***")
        return text

    def _error(self, url: str, status: int | None, detail: str) -> SparqlHttpError:
        return SparqlHttpError(self._clean(_one_line(f"{self.display_url(url)}: {detail}", 400)), status)

    # ---- requests -------------------------------------------------------------------------------

    def request(self, method: str, url: str, *, body: Callable[[], Any] | None = None,
                headers: dict[str, str] | None = None) -> bytes:
        """Send one request (retrying as the class says) and return the answer's body.

        :param body: called for each try, returns bytes or an iterable of bytes (so a streamed
            upload restarts from its beginning on a retry).
        :raises SparqlHttpError: on a 4xx answer, or a 5xx / connection error after the last retry.
        """
        import http.client  # here: commands that import this module but never talk to a store skip it (and ssl)

        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": "mtorgraph", **(headers or {})}
        if self.credentials is not None:
            sent["Authorization"] = self.credentials.header()
        delay = self.backoff
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            conn = connection_class(parts.hostname, parts.port, timeout=self.timeout)
            try:
                conn.request(method, path, body=body() if body else None, headers=sent)
                response = conn.getresponse()
                data = response.read()
                status = response.status
            except (TimeoutError, socket.timeout):
                raise self._error(url, None, f"no answer within {self.timeout:g} s (timeout); the store may be "
                                             "overloaded, or raise --request-timeout") from None
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                if last:
                    raise self._error(url, None, f"cannot reach the store after {attempt + 1} tries "
                                                 f"({type(exc).__name__}: {exc})") from None
                self._sleep(delay)
                delay *= 2
                continue
            finally:
                conn.close()
            if 200 <= status < 300:
                return data
            if status in RETRY_STATUSES and not last:
                self._sleep(delay)
                delay *= 2
                continue
            reason = _HINTS.get(status)
            if reason is None:
                said = _one_line(data.decode("utf-8", "replace"), 200)
                reason = f"the store answered {status} {http.client.responses.get(status, '')}".rstrip()
                if status in RETRY_STATUSES:
                    reason += f" after {attempt + 1} tries"
                if said:
                    reason += f": {said}"
            raise self._error(url, status, reason)
        raise AssertionError("unreachable")  # pragma: no cover

    def _form(self, query: str) -> bytes:
        fields = [("query", query)]
        if self.graph_iri is not None:
            fields.append(("default-graph-uri", self.graph_iri))
        return urlencode(fields).encode("utf-8")

    def query(self, query: str, accept: str) -> bytes:
        """POST ``query`` (SPARQL 1.1 Protocol, form-encoded) and return the raw answer."""
        body = self._form(query)
        return self.request("POST", self.endpoint, body=lambda: body,
                            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})

    def select(self, query: str) -> dict[str, Any]:
        """A SELECT or ASK query's answer as SPARQL JSON results.

        :raises SparqlHttpError: if the answer is not SPARQL JSON results.
        """
        data = self.query(query, "application/sparql-results+json")
        try:
            parsed = json.loads(data)
        except ValueError:
            raise self._error(self.endpoint, None, "the answer is not SPARQL JSON results") from None
        if not isinstance(parsed, dict) or not ("boolean" in parsed or "results" in parsed):
            raise self._error(self.endpoint, None, "the answer is not SPARQL JSON results")
        return parsed

    def construct(self, query: str) -> Any:
        """A CONSTRUCT or DESCRIBE query's triples, as an rdflib ``Graph`` (read from N-Triples)."""
        from rdflib import Graph

        data = self.query(query, "application/n-triples")
        graph = Graph()
        try:
            graph.parse(data=data.decode("utf-8"), format="nt")
        except Exception as exc:  # rdflib raises several types for bad input
            raise self._error(self.endpoint, None, f"the answer is not N-Triples ({_one_line(str(exc), 120)})") from None
        return graph

    def count(self, graph_iri: str) -> int:
        """How many triples the store holds in the named graph ``graph_iri`` (asked with that graph as
        the query's default graph: with ``default-graph-uri`` set, ``GRAPH`` sees no named graphs)."""
        iri_term(graph_iri)
        body = urlencode([("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
                          ("default-graph-uri", graph_iri)]).encode("utf-8")
        data = self.request("POST", self.endpoint, body=lambda: body,
                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                     "Accept": "application/sparql-results+json"})
        try:
            return int(json.loads(data)["results"]["bindings"][0]["n"]["value"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise self._error(self.endpoint, None, "the store's answer to a triple count holds no number") from None

    def put_graph(self, graph_iri: str, chunks: Callable[[], Iterator[bytes]],
                  content_type: str = "application/n-triples") -> None:
        """Replace the named graph ``graph_iri`` with the triples streamed by ``chunks()`` (Graph Store
        HTTP Protocol PUT, chunked transfer encoding): a second upload of the same data leaves the
        store as it was.

        :raises MtorgraphError: if no Graph Store endpoint was given.
        """
        if self.store is None:
            raise MtorgraphError("no Graph Store endpoint; give --store URL")
        iri_term(graph_iri)
        separator = "&" if urlsplit(self.store).query else "?"
        url = f"{self.store}{separator}{urlencode({'graph': graph_iri})}"
        self.request("PUT", url, body=chunks, headers={"Content-Type": content_type})
