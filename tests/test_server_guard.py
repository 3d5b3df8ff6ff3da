"""The served app survives Voila's websocket bug (issue 15): a client that connects to a
kernel without the v1 subprotocol and asks for the widgets' state used to send Voila's
``read_header_from_binary_message`` into an endless loop that froze the whole server."""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest

from simulation.ui import drive
from simulation.ui.voila_main import read_header_bounded

pytestmark = pytest.mark.browser  # a real Voila server


def _message(kind: str, content: dict, session: str) -> str:
    return json.dumps(
        {
            "header": {"msg_id": uuid.uuid4().hex, "username": "", "session": session,
                       "msg_type": kind, "version": "5.3", "date": "2026-01-01T00:00:00Z"},
            "parent_header": {}, "metadata": {"version": "1.0.0"}, "content": content,
            "channel": "shell", "buffers": [],
        }
    )  # fmt: skip


async def _request_states(port: int, kernel: str) -> list:
    """As a legacy client would: no subprotocol, open the widget control comm, ask for every
    widget's state (the reply carries binary buffers: bqplot's arrays)."""
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id={session}"
    ws = await websocket_connect(url)
    comm = uuid.uuid4().hex
    ws.write_message(_message("comm_open", {"comm_id": comm, "target_name":
                                            "jupyter.widget.control", "data": {}}, session))  # fmt: skip
    ws.write_message(_message("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}},
                              session))  # fmt: skip
    got, t0 = [], time.monotonic()
    while time.monotonic() - t0 < 15 and not any(isinstance(m, bytes) for m in got):
        try:
            m = await asyncio.wait_for(ws.read_message(), 1)
        except TimeoutError:
            continue
        if m is None:
            break
        got.append(m)
    ws.close()
    return got


def test_a_legacy_websocket_client_cannot_freeze_the_server(root, tmp_path):
    import shutil

    params = tmp_path / "params"
    shutil.copytree(root / "params", params)
    with drive.serve(params, preheat=False, log=tmp_path / "v.log") as url:
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        page = urllib.request.urlopen(url, timeout=120).read().decode()
        kernel = re.search(r'kernel[_-]?[iI]d["\']?\s*[:=]\s*["\']([0-9a-f-]{36})', page).group(1)
        got = asyncio.run(_request_states(port, kernel))
        assert any(isinstance(m, bytes) for m in got)  # the binary reply went out
        try:  # the server still answers (a refusal is an answer; a frozen loop is not)
            urllib.request.urlopen(url.rstrip("/") + "/api", timeout=30)
        except urllib.error.HTTPError:
            pass


def test_the_bounded_header_reader_never_trusts_a_count_it_cannot_hold():
    legacy = b"\x00\x00\x00)\x00\x00\x00\xa8" + b"\x00" * 64  # 4-byte big-endian framing
    assert read_header_bounded(legacy) is None
    header = json.dumps({"msg_type": "comm_msg"}).encode()
    body = [b"{}", header, b"{}"]
    starts, pos = [], 8 * 4
    for part in body:
        starts.append(pos)
        pos += len(part)
    v1 = (
        (3).to_bytes(8, "little")
        + b"".join(p.to_bytes(8, "little") for p in starts)
        + b"".join(body)
    )
    assert read_header_bounded(v1) == {"msg_type": "comm_msg"}
    assert read_header_bounded(b"") is None
