"""Voila with the app's guard against a Voila bug: ``python -m simulation.ui.voila_main``.

Voila 0.5.13 (the newest release) reads the header of every binary message it sends to a
browser as if the connection spoke the v1 kernel websocket protocol. For a client that did
not ask for v1, the first 8 bytes of a message are not a count of offsets, and
``read_header_from_binary_message`` builds a list of billions of offsets: the server's
event loop blocks and its memory grows by tens of MB a second. Any client that reaches the
port could freeze the office's server. Here the header reader is replaced, before Voila
starts, by one that trusts the count only when the message is long enough to hold it.
"""

from __future__ import annotations

import json
from typing import Any


def read_header_bounded(ws_msg: bytes) -> dict[str, Any] | None:
    """The header of a v1 binary message, or None for anything else (never loops).

    A v1 message starts with the number of offsets ``n`` (8 bytes, little-endian) and ``n``
    offsets of 8 bytes each; the header lies between the second and the third.
    """
    if len(ws_msg) < 8:
        return None
    n = int.from_bytes(ws_msg[:8], "little")
    if n < 3 or 8 * (n + 1) > len(ws_msg):
        return None  # not a v1 message (or a truncated one): no header to read
    offsets = [int.from_bytes(ws_msg[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(3)]
    try:
        return json.loads(ws_msg[offsets[1] : offsets[2]].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def main() -> None:
    from voila.tornado import kernel_websocket_handler

    kernel_websocket_handler.read_header_from_binary_message = read_header_bounded
    from voila.app import main as voila_main

    voila_main()


if __name__ == "__main__":
    main()
