"""A stdout that never blocks the event loop.

pygls writes each message to stdout synchronously from the event loop. A client that is busy
writing to our stdin and only reads our stdout from the thread that also answers our requests
(a common shape for simple clients) can then deadlock with us: our stdout pipe is full, so the
loop blocks and stops reading stdin, so the client's writes block, so it never reads. Here the
loop only enqueues; one thread does the blocking writes, so stdin keeps being read.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from typing import BinaryIO


class ThreadedPipe:
    """File-like (write/flush/close) front of a binary stream, written by a background thread."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._pending = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._broken = False
        self._thread = threading.Thread(target=self._run, name="prooflens-stdout", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> int:
        if self._broken:
            raise BrokenPipeError("the client closed the connection")
        with self._lock:
            self._pending += 1
        self._queue.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to do: the writer thread flushes after each message."""

    def drain(self, timeout: float = 2.0) -> bool:
        """Wait until everything queued is written (before exiting); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending and not self._broken:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self) -> None:
        self.drain()
        self._queue.put(None)
        self._thread.join(timeout=1.0)
        with contextlib.suppress(OSError, ValueError):
            self._stream.close()

    def _run(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            try:
                if not self._broken:
                    self._stream.write(data)
                    self._stream.flush()
            except (OSError, ValueError):
                self._broken = True
            finally:
                with self._idle:
                    self._pending -= 1
                    if not self._pending:
                        self._idle.notify_all()
