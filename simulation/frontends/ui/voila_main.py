"""Voila for an office: ``python -m simulation.frontends.ui.voila_main`` (what ``serve.py`` starts).

Three things Voila 0.5.13 (the newest release) does not do on its own, added here before
Voila starts, without touching its files:

1. **Its websocket bug.** Voila reads the header of every binary message it sends to a
   browser as if the connection spoke the v1 kernel websocket protocol. For a client that
   did not ask for v1, the first 8 bytes of a message are not a count of offsets, and
   ``read_header_from_binary_message`` builds a list of billions of offsets: the server's
   event loop blocks and its memory grows by tens of MB a second. Any client that reaches
   the port could freeze the office's server. The header reader is replaced by one that
   trusts the count only when the message is long enough to hold it.
2. **Kernels of closed tabs.** On ``beforeunload`` the page sends
   ``navigator.sendBeacon(".../voila/api/shutdown/<kernel>")`` with a form field ``_xsrf``
   read from the ``_xsrf`` cookie. Voila's page handler never sets that cookie (it does not
   render through Jupyter's template namespace, the usual place that touches
   ``xsrf_token``), so the field is empty, the shutdown is refused with ``403 '_xsrf'
   argument missing from POST`` and every page view left a kernel (≈300 MB) behind.
   :class:`OfficeVoilaHandler` reads ``self.xsrf_token`` before the page is written, which
   sets the cookie (not HttpOnly, so the page's script can read it); the XSRF check itself
   stays on.
3. **A limit and idle culling.** :class:`OfficeKernelManager` (given to Voila as
   ``VoilaConfiguration.multi_kernel_manager_class``; Voila's
   ``voila_kernel_manager_factory`` wraps it with its preheated pool) adds
   ``max_kernels``, enforced by :class:`OfficeVoilaHandler` with a bilingual "busy" page
   (HTTP 503 with ``Retry-After``) that holds the visitor's place in a first-come queue
   (a ticket cookie; the page shows the place and asks again every few seconds), and a
   second, longer culling time for pages that are still open
   (``cull_connected_timeout``): Jupyter's culler alone either never culls an open tab
   (``cull_connected=False``) or culls it as early as a closed one. The settings and the
   reasons for their defaults are in ``serve.py`` and ``docs/office_server.md``.
4. **Kernel ownership.** Voila lets anyone who knows a kernel's id connect to its widgets
   (``/api/kernels/<id>/channels``), execute its cells (``/voila/execution/<id>``), read
   it (``/api/kernels/<id>``) or shut it down (``/voila/api/shutdown/<id>``, ``DELETE
   /api/kernels/<id>``) with their own ``_xsrf`` token. The page handler now binds each
   page view's kernel to a secret it sets as an HttpOnly cookie (``sim_k_<id>``, SameSite
   strict) in the page's response; every kernel route answers 403 to a request without
   that kernel's cookie (:func:`owns`), the same for every id, so a stranger learns
   nothing, not even whether the kernel exists. ``/voila/query/<id>``, which preheated
   kernels themselves call, answers kernel processes only (:func:`from_a_kernel`).
"""

from __future__ import annotations

import contextvars
import hmac
import json
import logging
import os
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, TraitError
from voila.tornado.handler import TornadoVoilaHandler

from .pathway import MAX_QUERY_CHARS

#: Seconds after which a waiting visitor's page asks again (``Retry-After``; it reloads
#: itself then), and after which a ticket not asked about is dropped (a closed waiting page).
BUSY_RETRY_AFTER_S = 10
QUEUE_TICKET_TTL_S = 45
QUEUE_COOKIE = "sim_q"
BUSY_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry_s}">
<title>请稍候 · Please wait</title>
<style>
body {{ font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       background: #f5f6f8; color: #1f2937; margin: 0; }}
.sim-busy {{ max-width: 36em; margin: 18vh auto; padding: 2em 2.5em; background: #fff;
            border-radius: 8px; box-shadow: 0 1px 4px rgba(0, 0, 0, .12); }}
.sim-busy h1 {{ font-size: 1.5em; margin: 0 0 .3em; }}
.sim-busy p {{ margin: .3em 0; color: #4b5563; }}
.sim-busy .pos {{ font-size: 1.2em; color: #1f2937; }}
.sim-busy .en {{ margin-top: 1.2em; }}
</style></head>
<body><main id="sim-busy" class="sim-busy" role="alert" data-position="{position}">
<h1 lang="zh-CN">访问人数较多，您已在排队</h1>
<p lang="zh-CN" class="pos sim-queue-position">您是第 {position} 位，前面还有 {ahead} 位访客。</p>
<p lang="zh-CN">请保持本页打开，页面每{retry_s}秒自动刷新，轮到您时直接进入。</p>
<h1 class="en" lang="en">The server is busy: you are in the queue</h1>
<p lang="en" class="pos">You are number {position}; {ahead} visitor(s) ahead of you.</p>
<p lang="en">Keep this page open: it asks again every {retry_s} seconds and opens the app
when it is your turn.</p>
</main></body></html>
"""
#: Largest request head the server reads (bytes). Tornado's default (64 KiB) closed the
#: connection on a longer link without a word; up to this size the page itself answers.
MAX_HEADER_BYTES = 1024 * 1024
LINK_TOO_LONG_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>链接过长 · Link too long</title></head>
<body><main id="sim-link-too-long" class="sim-link-too-long" role="alert">
<h1 lang="zh-CN">链接过长</h1>
<p lang="zh-CN">链接的参数部分有 {chars} 个字符，最多 {limit} 个。
请从仪表盘重新复制链接，或打开不带参数的地址。</p>
<h1 lang="en">The link is too long</h1>
<p lang="en">Its query has {chars} characters; at most {limit} are read. Copy the link from
the dashboard again, or open the address without a query.</p>
</main></body></html>
"""


LOG = logging.getLogger("simulation.voila")
#: The cookie that proves a request comes from the page a kernel was started for.
OWNER_COOKIE = "sim_k_{}"
#: Kernels a page view's request started (set by the page handler, filled by the manager).
_PAGE_KERNELS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "page_kernels", default=None
)


def owns(handler: tornado.web.RequestHandler, kernel_id: str) -> bool:
    """Whether ``handler``'s request carries the owner cookie of ``kernel_id``.

    Without the office's kernel manager (no ``owner_secrets``: the notebook server's
    extension) every request passes, as in Voila.
    """
    km = handler.settings.get("kernel_manager")  # also for Voila's plain websocket handlers
    known = getattr(km, "owner_secrets", None)
    if known is None:
        return True
    want = known.get(kernel_id, "")
    got = handler.get_cookie(OWNER_COOKIE.format(kernel_id)) or ""
    return bool(want) and hmac.compare_digest(want.encode(), got.encode())


def from_a_kernel(handler: tornado.web.RequestHandler, kernel_id: str) -> bool:
    """Whether a request comes from a kernel process of this machine, not from a browser:
    the loopback address and no ``Origin`` header (a browser's websocket always sends
    one). Voila's preheated kernels ask ``/voila/query/<id>`` for their visitor's request
    this way, before any visitor exists."""
    ip = handler.request.remote_ip or ""
    return ip in ("127.0.0.1", "::1") and "Origin" not in handler.request.headers


def guarded(cls: type, methods: tuple[str, ...], allowed: Any = owns) -> type:
    """A subclass of a kernel route's handler whose ``methods`` (taking the kernel id
    first) answer 403 unless ``allowed(handler, kernel_id)`` (by default :func:`owns`)."""

    def wrap(name: str) -> Any:
        orig = getattr(cls, name)

        async def method(self: Any, kernel_id: str, *args: Any, **kwargs: Any) -> Any:
            if not allowed(self, kernel_id):
                LOG.warning(
                    "Refused %s %s from %s: the request does not own the kernel",
                    self.request.method,
                    self.request.path,
                    self.request.remote_ip,
                )
                self.set_status(403)  # answered here: the websocket handlers have no 403 page
                self.finish({"message": "not this page's kernel"})
                return None
            return await ensure_async(orig(self, kernel_id, *args, **kwargs))

        method.__name__ = name
        return method

    return type(f"Owned{cls.__name__}", (cls,), {m: wrap(m) for m in methods})


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


class OfficeKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager with the office's limit and a culling time for open pages.

    Voila wraps this class (``voila_kernel_manager_factory``), so the preheated pool, its
    protection from the culler and Jupyter's own culling (``cull_idle_timeout``,
    ``cull_interval``, ``cull_connected``) all still apply.
    """

    max_kernels = Integer(
        0,
        config=True,
        help="Most kernels at once, the preheated pool included: a page view that would "
        "go beyond it is answered with a 'busy' page (HTTP 503). 0: no limit.",
    )
    cull_connected_timeout = Integer(
        0,
        config=True,
        help="Seconds without any activity after which the kernel of a page that is still "
        "open (a connected websocket) is shut down; 0: never. Kernels without a connection "
        "follow cull_idle_timeout.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Page views admitted whose kernel is not yet known to this manager.
        self.admissions: list[Admission] = []
        #: Kernels started for the preheated pool, and those of them handed to a visitor.
        self.preheat_ids: set[str] = set()
        self.handed_over_ids: set[str] = set()
        #: Kernels being shut down.
        self.stopping_ids: set[str] = set()
        #: Kernel id → the secret of the page view it belongs to (see :func:`owns`).
        self.owner_secrets: dict[str, str] = {}
        #: Visitors waiting for a kernel, first come first served: ticket → last asked.
        self.queue: dict[str, float] = {}

    def queue_position(self, ticket: str | None, now: float) -> tuple[str, int]:
        """A waiting visitor's ticket (a new one at the end for ``None`` or an unknown one)
        and 1-based place, after dropping the tickets nobody asked about for
        :data:`QUEUE_TICKET_TTL_S` (their pages were closed)."""
        for t, seen in list(self.queue.items()):
            if now - seen > QUEUE_TICKET_TTL_S:
                del self.queue[t]
        if ticket not in self.queue:
            ticket = secrets.token_urlsafe(12)
        self.queue[ticket] = now  # dicts keep insertion order: the place does not change
        return ticket, list(self.queue).index(ticket) + 1

    def pool_size(self) -> int:
        """Configured size of the preheated pool (0 without preheating)."""
        config = getattr(self, "kernel_pools_config", {}) or {}
        return int(config.get("default", {}).get("pool_size", 0))

    def counts(self) -> tuple[int, int, int]:
        """Kernels running or starting, those of them preheated and waiting for a visitor,
        and admitted page views whose kernel does not exist yet."""
        visible = (set(self._kernels) | set(self._pending_kernels)) - self.stopping_ids
        pooled = (self.preheat_ids - self.handed_over_ids) & visible
        return len(visible), len(pooled), len(self.admissions)

    def page_view_count(self) -> int:
        """Page views holding or about to hold a kernel (see :meth:`counts`)."""
        kernels, pooled, admitted = self.counts()
        return kernels - pooled + admitted

    def admit(self) -> Admission:
        """Count a page view until its kernel is counted (:meth:`new_kernel_exists`,
        :meth:`hand_over`) or it ends without one (:meth:`drop`)."""
        token = Admission()
        self.admissions.append(token)
        return token

    def drop(self, token: Admission) -> None:
        """Stop counting an admission (its kernel is counted now, or it has none)."""
        token.done = True
        if token in self.admissions:
            self.admissions.remove(token)

    def new_kernel_exists(self) -> None:
        """A page view's new kernel is counted among the kernels: drop the oldest admission
        waiting for a new kernel (the count is the same whichever it is)."""
        for token in self.admissions:
            if not token.preheated:
                self.drop(token)
                return

    def hand_over(self, task: Any, token: Admission) -> None:
        """The preheated kernel of pool task ``task`` (done) belongs to a visitor now."""
        if not task.cancelled() and task.exception() is None:
            self.handed_over_ids.add(task.result()["kernel_id"])
        self.drop(token)  # counted as its kernel now (or the page view fails: no kernel)

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs: Any) -> str:
        """Jupyter's ``start_kernel``, noting whether the kernel is a preheated one or a
        page view's. The kernel is known to the manager (pending) as soon as this runs:
        the bookkeeping and that happen with no ``await`` between them."""
        if kernel_id is None or kernel_id not in self:
            kernel_id = kernel_id or self.new_kernel_id()
            env = kwargs.get("env") or {}
            if env.get("VOILA_PREHEAT") == "True":
                self.preheat_ids.add(kernel_id)
            else:
                self.new_kernel_exists()
                page = _PAGE_KERNELS.get()
                if page is not None:  # the page view being served will own it
                    page.append(kernel_id)
        return await super().start_kernel(kernel_id=kernel_id, **kwargs)

    async def shutdown_kernel(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        """Jupyter's ``shutdown_kernel``; the kernel stops counting at once (it stays
        listed until its process has exited and been cleaned up)."""
        self.stopping_ids.add(kernel_id)
        try:
            await ensure_async(super().shutdown_kernel(kernel_id, *args, **kwargs))
        finally:
            self.stopping_ids.discard(kernel_id)
            self.preheat_ids.discard(kernel_id)
            self.handed_over_ids.discard(kernel_id)
            self.owner_secrets.pop(kernel_id, None)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        """Jupyter's culling, plus: an open page idle for ``cull_connected_timeout``.

        A kernel being shut down (a tab just closed) or gone since the culler listed the
        kernels is left alone: Jupyter's culler would shut it down a second time, or fail
        on it (KeyError in the log), while ten shutdowns at once take their time.
        """
        if kernel_id in self.stopping_ids or kernel_id not in self._kernels:
            return
        kernel = self._kernels[kernel_id]
        try:
            last = kernel.last_activity
        except TraitError:
            return  # still starting: Jupyter sets it once the start returns
        connections = self._kernel_connections.get(kernel_id, 0)
        if (
            self.cull_connected_timeout > 0
            and connections > 0
            and last is not None
            and getattr(kernel, "execution_state", None) != "busy"
        ):
            idle = datetime.now(UTC) - last
            if idle > timedelta(seconds=self.cull_connected_timeout):
                self.log.warning(
                    "Culling kernel %s of a page still open (%d connections) after %d s "
                    "without activity.",
                    kernel_id,
                    connections,
                    int(idle.total_seconds()),
                )
                await ensure_async(self.shutdown_kernel(kernel_id))
                return
        await super().cull_kernel_if_idle(kernel_id)


class Admission:
    """A page view admitted under the kernel limit whose kernel is not counted yet."""

    done: bool = False
    #: It takes a preheated kernel (its pool task says when that one is ready).
    preheated: bool = False


class OfficeVoilaHandler(TornadoVoilaHandler):
    """Voila's page handler: sets the ``_xsrf`` cookie, answers "busy" at the limit.

    A page view is counted from the moment it is admitted: as an admission until its
    kernel exists (a new kernel registered, or the preheated kernel it takes ready), then
    as that kernel. A burst of visitors therefore cannot all pass the check before any of
    their kernels exists, and no page view is counted twice.
    """

    _admission: Admission | None = None
    _preheat_head: Any = None  # the pool task whose kernel this page view takes

    def _free_slots(self) -> tuple[int | None, int, int]:
        """Page views the limit still allows (None: no limit); the counts it used."""
        km = self.kernel_manager
        limit = int(getattr(km, "max_kernels", 0) or 0)
        if limit <= 0 or not hasattr(km, "page_view_count"):
            return None, 0, limit
        views = km.page_view_count()
        return limit - km.pool_size() - views, views, limit

    def _waiting_turn(self) -> int:
        """0 when this visitor may have a kernel now; else its place in the queue (the
        busy page with that place has been answered). Visitors are served in the order
        they came: a newcomer waits behind those already waiting, even when a kernel is
        free."""
        km = self.kernel_manager
        free, views, limit = self._free_slots()
        if free is None:
            return 0
        queue = getattr(km, "queue", None)
        ticket_in = self.get_cookie(QUEUE_COOKIE)
        if queue is not None and not queue and free > 0:
            return 0
        ticket, place = km.queue_position(ticket_in, time.monotonic())
        if place <= free:  # its turn: the place is its own now
            del km.queue[ticket]
            self.clear_cookie(QUEUE_COOKIE, path=self.base_url)
            return 0
        self.log.warning(
            "Busy: %d page views + pool %d at the limit of %d kernels (kernels, preheated "
            "waiting, admitted: %s); %s waits at place %d of %d",
            views,
            km.pool_size(),
            limit,
            km.counts(),
            self.request.remote_ip,
            place,
            len(km.queue),
        )
        self.set_cookie(QUEUE_COOKIE, ticket, path=self.base_url, httponly=True, samesite="Lax")
        self.set_status(503)
        self.set_header("Retry-After", str(BUSY_RETRY_AFTER_S))
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache, no-store, must-revalidate")
        self.finish(BUSY_PAGE.format(retry_s=BUSY_RETRY_AFTER_S, position=place, ahead=place - 1))
        return place

    def should_use_rendered_notebook(self, *args: Any, **kwargs: Any) -> bool:
        """Voila's choice of a preheated kernel; when it takes one, the admission ends as
        soon as that kernel is ready (at once if it already is)."""
        use = super().should_use_rendered_notebook(*args, **kwargs)
        km = self.kernel_manager
        pool = getattr(km, "_pools", {}).get(self.notebook_path, [])
        token = self._admission
        if use and pool and token is not None and hasattr(km, "hand_over"):
            head = pool[0]  # the one get_rendered_notebook pops next, with no await between
            self._preheat_head = head
            token.preheated = True
            if head.done():
                km.hand_over(head, token)
            else:
                head.add_done_callback(lambda task: km.hand_over(task, token))
        return use

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        """Serve the page, or the busy page when the kernel limit is reached."""
        starts_kernel = not (self.notebook_path and path)  # else Voila redirects to a file
        km = self.kernel_manager
        if len(self.request.query) > MAX_QUERY_CHARS:  # answered before any kernel starts
            LOG.warning("Refused a link of %d characters (limit %d)", len(self.request.query),
                        MAX_QUERY_CHARS)  # fmt: skip
            self.set_status(414)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(LINK_TOO_LONG_PAGE.format(chars=len(self.request.query),
                                                  limit=MAX_QUERY_CHARS))  # fmt: skip
            return
        if starts_kernel:
            if self._waiting_turn():
                return  # answered: the busy page with the visitor's place in the queue
            if hasattr(km, "admit"):
                self._admission = km.admit()
        # Reading the token sets the _xsrf cookie the page's shutdown beacon sends back.
        _ = self.xsrf_token
        started: list[str] = []
        context = _PAGE_KERNELS.set(started)
        try:  # TornadoVoilaHandler.get, binding the kernel before the first byte goes out
            bound = False
            async for html in self.get_generator(path=path):
                if not bound:
                    self._bind_kernel(started)
                    bound = True
                self.write(html)
                self.flush()
        finally:
            _PAGE_KERNELS.reset(context)
            if self._admission is not None and not self._admission.done:
                km.drop(self._admission)  # the page view ended without a counted kernel

    def _bind_kernel(self, started: list[str]) -> None:
        """Make this page view the owner of its kernel: a secret in the manager and in an
        HttpOnly cookie of the response (headers are still unsent)."""
        kernel_id = started[0] if started else None
        head = self._preheat_head
        if kernel_id is None and head is not None and head.done() and not head.cancelled():
            if head.exception() is None:
                kernel_id = head.result()["kernel_id"]
        known = getattr(self.kernel_manager, "owner_secrets", None)
        if kernel_id is None or known is None:
            if known is not None and self.notebook_path:
                self.log.warning("A page view whose kernel is unknown: it cannot connect")
            return
        secret = secrets.token_urlsafe(24)
        known[kernel_id] = secret
        self.set_cookie(
            OWNER_COOKIE.format(kernel_id),
            secret,
            path=self.base_url,
            httponly=True,
            samesite="Strict",
            expires_days=1,
        )


def main() -> None:
    """Patch Voila (websocket header reader, page handler) and run its command line."""
    from voila.tornado import kernel_websocket_handler

    kernel_websocket_handler.read_header_from_binary_message = read_header_bounded
    import voila.app

    voila.app.TornadoVoilaHandler = OfficeVoilaHandler  # type: ignore[misc]
    # every route that names a kernel answers its owner only (module docstring, point 4)
    for name, methods in KERNEL_ROUTES.items():
        setattr(voila.app, name, guarded(getattr(voila.app, name), methods))
    voila.app.RequestInfoSocketHandler = guarded(  # type: ignore[misc]
        voila.app.RequestInfoSocketHandler, ("get",), from_a_kernel
    )
    listen = tornado.web.Application.listen

    def listen_reading_long_heads(self, port, address="", **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_header_size", MAX_HEADER_BYTES)
        return listen(self, port, address, **kwargs)

    tornado.web.Application.listen = listen_reading_long_heads  # type: ignore[method-assign]
    voila.app.TemplateStaticFileHandler = template_static_handler(  # type: ignore[misc]
        voila.app.TemplateStaticFileHandler
    )
    voila.app.main()


def template_static_handler(base: type) -> type:
    """Voila's handler of ``/voila/templates/<template>/static/<path>`` answering 404 to any
    other shape: Voila's own split the path by assumption and answered ``/voila/templates/``,
    ``…/sim/``, ``…/sim/conf.json`` or a ``..`` path with a 500 and a traceback in the log."""

    class TemplateStaticHandler(base):  # type: ignore[misc, valid-type]
        def parse_url_path(self, path: str) -> str:
            parts = path.split("/", 2)
            normal = os.path.normpath(path).split(os.sep, 2)
            if (
                len(parts) < 3
                or len(normal) < 3
                or parts[1] != "static"
                or normal[:2] != parts[:2]
                or not normal[2]
            ):
                raise tornado.web.HTTPError(404)
            return super().parse_url_path(path)

    TemplateStaticHandler.__name__ = base.__name__
    return TemplateStaticHandler


#: Voila's handlers of routes that name a kernel (as ``voila.app`` imports them) and the
#: methods that take the kernel id.
KERNEL_ROUTES: dict[str, tuple[str, ...]] = {
    "KernelHandler": ("get", "delete"),
    "VoilaKernelWebsocketHandler": ("get",),
    "VoilaShutdownKernelHandler": ("post",),
    "ExecutionRequestHandler": ("get",),
}


if __name__ == "__main__":
    # run the importable module's main, so that the handler and the kernel manager Voila
    # imports by name (``simulation.frontends.ui.voila_main.OfficeKernelManager``) are one module
    from simulation.frontends.ui.voila_main import main as _main

    _main()
