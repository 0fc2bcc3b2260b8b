"""HTTP/1.1 request framing for the emulator: where a body ends, how big and how slow it may be.

The standard library's ``http.server`` parses the request line and headers but leaves the
body to the handler; this module reads it by ``Content-Length`` or ``Transfer-Encoding:
chunked`` (what stripe-go sends), so that the next request on a keep-alive connection starts
at the right byte. A framing error is answered and the connection closed, since where the
next request starts is then unknown. Limits (the emulator's, not Stripe's, which are not
published): a body of at most ``MAX_BODY`` bytes; a whole request (first byte to last body
byte) within the server's ``request_timeout``; an idle keep-alive connection is closed after
its ``idle_timeout``. Not emulated: transfer codings other than ``chunked``; HTTP/2.
"""

from __future__ import annotations

import io
import re
import socket
import time
from email.message import Message
from typing import BinaryIO

from .errors import StripeError

MAX_BODY = 1 << 20  # 1 MiB: a configuration with every field set is a few KiB
MAX_CHUNK_LINE = 1024  # chunk size plus extensions
MAX_TRAILERS = 64
FORM = "application/x-www-form-urlencoded"
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_DIGITS = re.compile(r"[0-9]{1,19}")


class FramingError(StripeError):
    """The request cannot be framed: answer with this error, then close the connection."""


class ClientGone(Exception):
    """The client closed the connection in the middle of a request: nobody to answer."""


def _invalid(status: int, message: str) -> FramingError:
    return FramingError(status, "invalid_request_error", message)


def too_large(limit: int) -> FramingError:
    return _invalid(
        413, f"Request body too large: this emulator accepts at most {limit} bytes per request."
    )


class DeadlineSocketReader(io.RawIOBase):
    """Reads the socket with a timeout: ``idle_timeout`` between requests, then whatever is
    left of the request's deadline, so a client trickling bytes cannot hold a thread."""

    def __init__(self, sock: socket.socket, write_timeout: float) -> None:
        super().__init__()
        self.sock = sock
        self.write_timeout = write_timeout
        self.idle_timeout: float | None = None
        self.deadline: float | None = None  # time.monotonic() by which the request is in
        self.expired = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.deadline is None:
            timeout = self.idle_timeout
        else:
            timeout = self.deadline - time.monotonic()
            if timeout <= 0:
                self.expired = True
                raise TimeoutError("request not received in time")
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv_into(buffer)
        except TimeoutError:
            self.expired = self.deadline is not None
            raise
        finally:
            self.sock.settimeout(self.write_timeout)  # answers are written with this one


def _content_length(headers: Message) -> int:
    values = {v.strip() for v in headers.get_all("Content-Length") or []}
    if len(values) > 1 or not all(_DIGITS.fullmatch(v) for v in values):
        raise _invalid(400, "Invalid request: malformed Content-Length header.")
    return int(values.pop()) if values else 0


def _read_exact(rfile: BinaryIO, n: int) -> bytes:
    data = rfile.read(n)
    if len(data) < n:
        raise ClientGone
    return data


def _read_line(rfile: BinaryIO, what: str) -> bytes:
    line = rfile.readline(MAX_CHUNK_LINE + 1)
    if not line:
        raise ClientGone
    if len(line) > MAX_CHUNK_LINE or not line.endswith(b"\n"):
        raise _invalid(400, f"Invalid request: malformed chunked body ({what}).")
    return line.rstrip(b"\r\n")


def _read_chunked(rfile: BinaryIO, limit: int) -> bytes:
    """RFC 9112 section 7.1: size line, data, CRLF ... last chunk, trailers, empty line."""
    body = bytearray()
    while True:
        size_text = _read_line(rfile, "chunk size").split(b";", 1)[0].strip()
        if not _HEX.fullmatch(size_text):
            raise _invalid(400, "Invalid request: malformed chunked body (chunk size).")
        size = int(size_text, 16)
        if size == 0:
            break
        if len(body) + size > limit:
            raise too_large(limit)
        body += _read_exact(rfile, size)
        if _read_line(rfile, "chunk end"):
            raise _invalid(400, "Invalid request: malformed chunked body (chunk end).")
    for _ in range(MAX_TRAILERS):
        if not _read_line(rfile, "trailer"):
            return bytes(body)
    raise _invalid(400, "Invalid request: malformed chunked body (too many trailers).")


def read_body(rfile: BinaryIO, headers: Message, limit: int = MAX_BODY) -> tuple[bytes, bool]:
    """The body and whether the connection must close after the answer.

    Raises FramingError (answer it, then close), ClientGone or TimeoutError.
    """
    listed = ",".join(headers.get_all("Transfer-Encoding") or []).split(",")
    codings = [c.strip().lower() for c in listed if c.strip()]
    if codings:
        if codings[-1] != "chunked":  # RFC 9112 section 6.3: length unknown, 400 and close
            raise _invalid(400, "Invalid request: the last Transfer-Encoding must be chunked.")
        if len(codings) > 1:
            raise _invalid(
                501, f"Invalid request: unsupported Transfer-Encoding {', '.join(codings)}."
            )
        # a Content-Length beside it is ignored, and the connection closed (RFC 9112 6.3)
        return _read_chunked(rfile, limit), "Content-Length" in headers
    length = _content_length(headers)
    if length > limit:
        raise too_large(limit)
    return (_read_exact(rfile, length) if length else b""), False


def form_text(headers: Message, data: bytes) -> str:
    """A POST body as text: only form encoding in UTF-8, with the errors Stripe gives."""
    if not data:
        return ""
    ctype = headers.get("Content-Type", "")
    if ctype.split(";", 1)[0].strip().lower() != FORM:
        raise StripeError(
            400,
            "invalid_request_error",
            f"Invalid request: unsupported Content-Type {ctype}. If error persists and you "
            "need assistance, please contact support@stripe.com.",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise StripeError(
            400, "invalid_request_error", "Invalid UTF-8 characters found in POST body."
        ) from None
