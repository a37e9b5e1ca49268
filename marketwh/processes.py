"""Whatever a command starts ends with it.

A person or a service manager stops a command by signalling its own process (SIGTERM, or SIGKILL
when it does not listen). Children must not outlive it: a `dbt build` left running without the
refresh lock keeps writing the candidate, and a `dagster dev` left running keeps its schedule and
sensor starting refreshes. Two mechanisms, both needed:
- the kernel's parent-death signal (Linux `prctl(PR_SET_PDEATHSIG)`), set in the child before it
  runs, so it is signalled even when its parent dies by SIGKILL;
- long-lived children (the UI, the services) run in their own process group, and the command
  forwards SIGTERM/SIGINT/SIGHUP to the whole group and waits for it.
- a stop signal is never ignored: a command started in the background by a script (or nohup in one)
  begins with SIGINT ignored; Dagster maps SIGTERM to SIGINT's handler when it runs in process, so
  SIGTERM became ignored too, and an ignored signal stays ignored across fork and exec. `marketwh ui`
  then stopped only by SIGKILL after the grace period. `stoppable()` gives this process Python's own
  SIGINT handler; the children started here begin with both signals at their defaults.
- a stop is never lost: Dagster turns SIGINT/SIGTERM into an exception raised wherever the main thread
  is, and raised inside a garbage collector's callback Python prints and drops it ("Exception ignored
  in ..."): a refresh stopped by SIGTERM went on and published (CI, 2026-12-08). `record_stop_requests`
  has the interpreter note every such signal as it arrives, whatever its handler does; the publish asks
  `stop_requested()` first.
Nothing here knows Dagster or dbt: `marketwh ui` and the services run Dagster through it, and the
`marketwh-dbt` guard (marketwh/dbtrun.py) asks for the parent-death signal before it becomes dbt, and
the report site's worker processes (marketwh/site/parallel.py) as they start.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import threading
import time
from collections.abc import Sequence

from .errors import RefreshError

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Ask the kernel to send `sig` to this process when its parent dies (Linux; a no-op elsewhere).
    `parent`: the pid that started it, when known (a process that starts Python code, which asks late:
    the parent may have died before, and this process already adopted)."""
    parent = os.getppid() if parent is None else parent
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), sig)


def stoppable() -> None:
    """Python's own SIGINT handler (KeyboardInterrupt) when this process started with SIGINT ignored,
    and SIGTERM's default when it started ignored: whatever later maps one signal to the other's
    handler (Dagster does) leaves both deliverable. Called first by the `marketwh` command."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_IGN:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _start_child() -> None:
    """In a child before it runs its program: the stop signals at their defaults, and its end tied to ours."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    die_with_parent(signal.SIGTERM)


def run_until_signalled(command: Sequence[str], *, grace_seconds: float = 30.0, env: dict | None = None) -> int:
    """Run `command` in its own process group until it exits or this process is asked to stop;
    on SIGTERM, SIGINT or SIGHUP the whole group is stopped (SIGTERM, then SIGKILL after a grace)."""
    child = subprocess.Popen(list(command), env=env, start_new_session=True, preexec_fn=_start_child)
    received: list[int] = []
    kill_at: list[float] = []

    def stop(signum, _frame):
        received.append(signum)
        kill_at.append(time.monotonic() + grace_seconds)
        _signal_group(child.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if kill_at and time.monotonic() > kill_at[0]:
                    _signal_group(child.pid, signal.SIGKILL)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _signal_group(child.pid, signal.SIGKILL)  # nothing of the group outlives the command
    return 128 + received[0] if received else code


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has already ended
        os.killpg(pgid, sig)


STOP_SIGNALS = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}
_stops: dict[str, object] = {"pipe": None, "seen": None}


def record_stop_requests() -> None:
    """From now on, note every SIGINT and SIGTERM this process receives, whatever its Python handler does
    with it: the interpreter writes each handled signal's number to a pipe as it arrives, before any
    handler runs (`signal.set_wakeup_fd`). What was noted before is forgotten (a run starts afresh). Main
    thread only; left alone when something else (an asyncio loop) already uses the wakeup fd."""
    if threading.current_thread() is not threading.main_thread():
        return
    if _stops["pipe"] is None:
        read, write = os.pipe()
        os.set_blocking(read, False)
        os.set_blocking(write, False)
        if signal.set_wakeup_fd(write, warn_on_full_buffer=False) != -1:  # another's: give it back
            signal.set_wakeup_fd(-1)
            os.close(read)
            os.close(write)
            return
        _stops["pipe"] = read
    stop_requested()
    _stops["seen"] = None


def stop_requested() -> str | None:
    """'SIGTERM' or 'SIGINT' when this process received one since `record_stop_requests`, else None."""
    read = _stops["pipe"]
    while read is not None:
        try:
            received = os.read(read, 512)
        except BlockingIOError:
            break
        if not received:
            break
        _stops["seen"] = _stops["seen"] or next((STOP_SIGNALS[n] for n in received if n in STOP_SIGNALS), None)
    return _stops["seen"]


def stop_if_requested() -> None:
    """Raise RefreshError when this process received SIGINT or SIGTERM since `record_stop_requests`."""
    stop = stop_requested()
    if stop:
        raise RefreshError(f"the refresh received {stop} and stops; nothing published")
