"""The served app's guards (``simulation/frontends/ui/voila_main.py``) against a real Voila server.

* Voila's websocket bug (issue 15): a client that connects to a kernel without the v1
  subprotocol and asks for the widgets' state used to send Voila's
  ``read_header_from_binary_message`` into an endless loop that froze the whole server.
* Kernels of an office server (issue 13): closing a tab shuts its kernel at once (the
  page's shutdown beacon used to be refused: 403, '_xsrf' argument missing), a visitor
  beyond the kernel limit gets the bilingual busy page (HTTP 503), and idle kernels are
  culled by Voila's kernel manager (a page never connected after ``cull_idle_timeout``, a
  page still open after ``cull_connected_timeout``), the preheated one spared.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import drive
import psutil
import pytest

from simulation.frontends.ui.voila_main import read_header_bounded

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


async def _request_states(port: int, kernel: str, cookie: str) -> list:
    """As a legacy client would: no subprotocol, open the widget control comm, ask for every
    widget's state (the reply carries binary buffers: bqplot's arrays). ``cookie``: the
    page's owner cookie (a kernel answers its own page only)."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?session_id={session}"
    ws = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie}))
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
        response = urllib.request.urlopen(url, timeout=120)
        page = response.read().decode()
        kernel = re.search(r'kernel[_-]?[iI]d["\']?\s*[:=]\s*["\']([0-9a-f-]{36})', page).group(1)
        cookie = "; ".join(c.split(";")[0] for c in response.headers.get_all("Set-Cookie"))
        got = asyncio.run(_request_states(port, kernel, cookie))
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


# --- kernels of an office server (issue 13) -----------------------------------------------

#: The GDP headline shows a number: the page rendered and its kernel answered.
HEADLINE_NUMBER_JS = (
    "() => { const e = document.querySelector('.sim-headline-gdp .v');"
    " return !!e && /\\d/.test(e.innerText); }"
)
PAGE_TIMEOUT_MS = 240_000  # a page view on a busy 2-core machine can take a minute or more


def _port(url: str) -> int:
    return int(url.rstrip("/").rsplit(":", 1)[1])


def kernel_count(port: int) -> int:
    """Live kernel processes of the Voila server this test process started on ``port``."""
    server = next(
        p
        for p in psutil.Process().children(recursive=True)
        if "simulation.frontends.ui.voila_main" in p.cmdline() and f"--port={port}" in p.cmdline()
    )
    n = 0
    for p in server.children(recursive=True):
        try:
            if p.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in p.cmdline():
                n += 1
        except psutil.Error:
            continue
    return n


def wait_kernels(port: int, n: int, timeout_s: float) -> float:
    """Seconds until the server has exactly ``n`` kernels (fails after ``timeout_s``)."""
    t0 = time.monotonic()
    while (k := kernel_count(port)) != n:
        assert time.monotonic() - t0 < timeout_s, f"{k} kernels, expected {n}"
        time.sleep(0.25)
    return time.monotonic() - t0


def open_in_own_context(browser, url: str):
    """A tab in its own browser context (``browser.new_page`` would close the context with
    the page, before the page's ``beforeunload`` beacon goes out)."""
    ctx = browser.new_context(viewport={"width": 1500, "height": 2000})
    page = ctx.new_page()
    response = page.goto(url, timeout=PAGE_TIMEOUT_MS)
    return ctx, page, response


def _copy_params(root: Path, tmp: Path) -> Path:
    import shutil

    shutil.copytree(root / "params", tmp / "params")
    return tmp / "params"


@pytest.fixture(scope="module")
def small_server(root, tmp_path_factory):
    """Preheated, a limit of 2 kernels (one page view + the preheated kernel), culling far
    away (10 min): whatever frees a kernel here is the tab-close beacon."""
    tmp = tmp_path_factory.mktemp("small")
    log = tmp / "voila.log"
    with drive.serve(
        _copy_params(root, tmp), preheat=True, log=log, max_kernels=2, cull_idle_timeout_s=600
    ) as url:
        wait_kernels(_port(url), 1, 120)  # the preheated kernel
        yield url, log


def test_closing_the_tab_shuts_its_kernel_at_once(chromium, small_server):
    url, log = small_server
    port = _port(url)
    wait_kernels(port, 1, 60)
    ctx, page, response = open_in_own_context(chromium, url)
    assert response.status == 200
    page.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
    # the cookie the beacon reads: set by the page handler, readable by the page's script
    assert "_xsrf=" in page.evaluate("document.cookie")
    wait_kernels(port, 2, 120)  # this page's kernel and the refilled preheated one
    page.close(run_before_unload=True)  # as a planner closes the tab
    seconds = wait_kernels(port, 1, 30)  # the beacon, not the culler (600 s away)
    ctx.close()
    text = log.read_text(errors="replace")
    assert "_xsrf" not in text and " 403 " not in text, "the shutdown beacon was refused"
    assert "Culling 'idle' kernel" not in text  # no kernel was culled
    assert seconds < 30


def _ask(url: str, jar) -> tuple[int, str]:
    """A visitor without a browser (its own cookie jar): the status and text of a GET."""
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        with opener.open(url, timeout=PAGE_TIMEOUT_MS / 1000) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def test_visitors_beyond_the_limit_queue_in_order_and_see_their_place(chromium, small_server):
    """At the limit a visitor gets the bilingual busy page with its place in the queue, not
    a dead end; when a kernel frees, the first in the queue gets it, not whoever asks first."""
    import http.cookiejar

    url, log = small_server
    port = _port(url)
    wait_kernels(port, 1, 60)
    first, first_page, _ = open_in_own_context(chromium, url)
    first_page.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
    wait_kernels(port, 2, 120)  # at the limit: one page view + the preheated kernel
    second, page, response = open_in_own_context(chromium, url)
    assert response.status == 503
    assert response.headers["retry-after"] == "10"
    busy = page.locator("#sim-busy.sim-busy")
    busy.wait_for(timeout=10_000)
    text = busy.inner_text()
    zh, en = "访问人数较多，您已在排队", "The server is busy: you are in the queue"
    assert zh in text and en in text and text.index(zh) < text.index(en)
    assert "您是第 1 位" in text and "You are number 1" in text
    third = http.cookiejar.CookieJar()
    status, body = _ask(url, third)  # a third visitor: behind the second
    assert status == 503 and 'data-position="2"' in body
    time.sleep(2)
    assert kernel_count(port) == 2, "a busy page started a kernel"
    # the first visitor leaves: the third asks first, but the second's turn comes first
    first_page.close(run_before_unload=True)
    wait_kernels(port, 1, 30)
    first.close()
    status, body = _ask(url, third)
    assert status == 503 and 'data-position="2"' in body
    response = page.reload(timeout=PAGE_TIMEOUT_MS)
    assert response.status == 200
    page.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
    status, body = _ask(url, third)
    assert status == 503 and 'data-position="1"' in body  # moved up
    page.close(run_before_unload=True)
    wait_kernels(port, 1, 30)
    second.close()
    status, body = _ask(url, third)  # its turn now
    assert status == 200
    wait_kernels(port, 2, 60)  # its kernel (the page never connects: culled later)
    text = log.read_text(errors="replace")
    assert "waits at place 2 of 2" in text and " 403 " not in text


def test_a_page_never_connected_is_culled_and_the_preheated_kernel_spared(root, tmp_path):
    """Jupyter's culler reaches Voila's kernel manager (which wraps the configured class)."""
    log = tmp_path / "voila.log"
    with drive.serve(
        _copy_params(root, tmp_path),
        preheat=True,
        log=log,
        cull_idle_timeout_s=10,
        cull_interval_s=2,
    ) as url:
        port = _port(url)
        wait_kernels(port, 1, 120)
        urllib.request.urlopen(url, timeout=240).read()  # a page view whose tab never opens
        wait_kernels(port, 2, 60)  # its kernel and the refilled preheated one
        wait_kernels(port, 1, 10 + 2 + 30)
        time.sleep(2 * 2 + 1)  # two more passes of the culler: the preheated kernel stays
        assert kernel_count(port) == 1
        text = log.read_text(errors="replace")
    assert "Culling kernels with idle durations > 10 seconds at 2 second intervals" in text
    assert text.count("Culling 'idle' kernel") == 1


def test_a_page_left_open_is_culled_after_the_longer_time(chromium, root, tmp_path):
    log = tmp_path / "voila.log"
    with drive.serve(
        _copy_params(root, tmp_path),
        preheat=True,
        log=log,
        cull_idle_timeout_s=600,
        cull_connected_timeout_s=15,
        cull_interval_s=2,
    ) as url:
        port = _port(url)
        wait_kernels(port, 1, 120)
        ctx, page, _ = open_in_own_context(chromium, url)
        page.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
        wait_kernels(port, 2, 120)
        wait_kernels(port, 1, 15 + 2 + 60)  # the tab is still open
        assert not page.is_closed()
        ctx.close()
        text = log.read_text(errors="replace")
    assert "of a page still open (1 connections)" in text


def test_the_app_command_passes_the_office_settings_to_voila():
    import subprocess
    import sys

    from simulation.frontends.ui import serve

    argv, _ = serve.voila_command(
        cull_idle_timeout_s=30, cull_interval_s=7, cull_connected_timeout_s=99, max_kernels=5
    )
    for arg in (
        "--VoilaConfiguration.multi_kernel_manager_class="
        "simulation.frontends.ui.voila_main.OfficeKernelManager",
        "--MappingKernelManager.cull_idle_timeout=30",
        "--MappingKernelManager.cull_interval=7",
        "--MappingKernelManager.cull_connected=False",
        "--OfficeKernelManager.cull_connected_timeout=99",
        "--OfficeKernelManager.max_kernels=5",
    ):
        assert arg in argv
    # the help states serve.py's defaults
    help_text = subprocess.run(
        [sys.executable, "-m", "simulation", "app", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    text = " ".join(help_text.split())
    for default in (
        f"default {serve.DEFAULT_CULL_IDLE_TIMEOUT_S} ",
        f"default {serve.DEFAULT_CULL_CONNECTED_TIMEOUT_S} ",
        f"default {serve.DEFAULT_CULL_INTERVAL_S} s",
        f"as many of {serve.KERNEL_PLAN_MB} MB as fit in half the memory, at most "
        f"{serve.KERNELS_PER_CORE} a core",
    ):
        assert default in text
    assert serve.KERNEL_MEMORY_SHARE == 0.5
    # the limit sized from the machine: memory first, then cores, never below 4
    assert serve.default_max_kernels(24 * 1024, 2) == 24
    assert serve.default_max_kernels(8 * 1024, 2) == 13
    assert serve.default_max_kernels(24 * 1024, 1) == 12
    assert serve.default_max_kernels(1024, 8) == 4
    # a limit that leaves no kernel for a visitor is refused before Voila starts
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "simulation",
            "app",
            "--max-kernels",
            "1",
            "--port",
            str(drive.free_port()),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "leaves none for a visitor" in r.stderr


# --- kernel ownership (issue 22) ----------------------------------------------------------
KERNEL_ID_JS = r"""() => { const m = document.documentElement.innerHTML.match(
    /kernel[_-]?[iI]d["']?\s*[:=]\s*["']([0-9a-f-]{36})/); return m ? m[1] : null; }"""

ATTACKS_JS = """async ([kernel, xsrf]) => {
    const out = {};
    const form = new FormData(); form.append('_xsrf', xsrf);
    out.get = (await fetch(`/api/kernels/${kernel}`)).status;
    out.shutdown = (await fetch(`/voila/api/shutdown/${kernel}`,
                                {method: 'POST', body: form})).status;
    out.delete = (await fetch(`/api/kernels/${kernel}?_xsrf=${xsrf}`,
                              {method: 'DELETE', headers: {'X-XSRFToken': xsrf}})).status;
    out.ws = await new Promise(done => {
        const ws = new WebSocket(`ws://${location.host}/api/kernels/${kernel}/channels`);
        ws.onopen = () => { ws.close(); done('open'); };
        ws.onerror = () => done('refused');
    });
    out.exec = await new Promise(done => {
        const ws = new WebSocket(`ws://${location.host}/voila/execution/${kernel}`);
        ws.onopen = () => { ws.close(); done('open'); };
        ws.onerror = () => done('refused');
    });
    out.query = await new Promise(done => {  // kernels' own route: never a browser's
        const ws = new WebSocket(`ws://${location.host}/voila/query/${kernel}`);
        ws.onopen = () => { ws.close(); done('open'); };
        ws.onerror = () => done('refused');
    });
    return out;
}"""


def test_a_visitor_cannot_reach_or_shut_down_another_pages_kernel(chromium, root, tmp_path):
    """Knowing another page's kernel id is not enough: its widgets, its cells, its model and
    its shutdown answer 403 to any other visitor (with their own valid _xsrf token), the
    same as for an id that does not exist; the owner's page keeps working."""
    log = tmp_path / "voila.log"
    with drive.serve(_copy_params(root, tmp_path), preheat=True, log=log) as url:
        port = _port(url)
        wait_kernels(port, 1, 120)
        owner_ctx, owner, _ = open_in_own_context(chromium, url)
        owner.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
        kernel = owner.evaluate(KERNEL_ID_JS)
        assert kernel and "sim_k_" not in owner.evaluate("document.cookie")  # HttpOnly
        thief_ctx, thief, _ = open_in_own_context(chromium, url)
        thief.wait_for_function(HEADLINE_NUMBER_JS, timeout=PAGE_TIMEOUT_MS)
        xsrf = next(c["value"] for c in thief_ctx.cookies() if c["name"] == "_xsrf")
        got = thief.evaluate(ATTACKS_JS, [kernel, xsrf])
        assert got == {"get": 403, "shutdown": 403, "delete": 403, "ws": "refused",
                       "exec": "refused", "query": "refused"}, got  # fmt: skip
        fake = thief.evaluate(ATTACKS_JS, [str(uuid.uuid4()), xsrf])
        assert fake == got  # a stranger cannot even tell whether a kernel exists
        # from outside any page, without cookies
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"{url.rstrip('/')}/api/kernels/{kernel}", timeout=30)
        assert e.value.code == 403
        # the owner's page is untouched and still answers (its kernel runs a lever move)
        assert kernel_count(port) == 3  # two pages and the preheated kernel
        before = owner.locator(".sim-headline-gdp .v").inner_text()
        owner.locator(".sim-preset-industry button", has_text="发力").click()
        owner.wait_for_function(
            "(b) => document.querySelector('.sim-headline-gdp .v').innerText !== b",
            arg=before,
            timeout=PAGE_TIMEOUT_MS,
        )
        # and its own tab's close still shuts its kernel (the beacon carries its cookie)
        owner.close(run_before_unload=True)
        wait_kernels(port, 2, 30)
        thief.close(run_before_unload=True)
        wait_kernels(port, 1, 30)
        owner_ctx.close()
        thief_ctx.close()
    text = log.read_text(errors="replace")
    # five routes for each of the two ids, and the request from outside
    assert text.count("does not own the kernel") == 11
    assert "voila_main.py" not in text and " 500 " not in text  # refused, never crashed


def test_an_over_long_link_or_an_odd_template_path_is_answered_without_a_traceback(root, tmp_path):
    import shutil

    from simulation.frontends.ui.pathway import MAX_QUERY_CHARS

    params = tmp_path / "params"
    shutil.copytree(root / "params", params)
    log = tmp_path / "v.log"
    with drive.serve(params, preheat=False, log=log) as url:
        for chars in (MAX_QUERY_CHARS + 1, 200_000):  # the second is over tornado's 64 KiB
            query = "industry.tech_yield=0.5&x=" + "9" * (chars - 26)
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(f"{url}?{query}", timeout=60)
            assert e.value.code == 414
            page = e.value.read().decode()
            assert "sim-link-too-long" in page and "链接过长" in page and f"{chars}" in page
        # template paths of another shape: a 404 each (Voila's handler answered 500 with a
        # traceback); a real static file of the template is still served
        for odd in ("voila/templates/", "voila/templates/sim/", "voila/templates/sim/x",
                    "voila/templates/sim/static/", "voila/templates/sim/conf.json",
                    "voila/templates/sim/static/../../../../etc/passwd",
                    "voila/templates/sim/static/%2e%2e/index.html.j2"):  # fmt: skip
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(url + odd, timeout=30)
            assert e.value.code == 404, odd
        with urllib.request.urlopen(url + "voila/templates/base/static/voila.js", timeout=30) as r:
            assert r.status == 200 and len(r.read()) > 1000
        text = log.read_text(errors="replace")
    assert "Kernel started" not in text  # refused before any kernel starts
    assert "Traceback" not in text and " 500 " not in text
