"""Entry point: ``prooflens serve [--tcp HOST:PORT]`` (wired in analysis/cli.py) and ``python -m server``."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="prooflens serve", description="Run the prooflens language server.")
    p.add_argument("--stdio", action="store_true", help="speak LSP over stdin/stdout (the default)")
    p.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP socket instead of stdio")
    p.add_argument("--log-file", metavar="PATH", help="write the server log here (default: stderr)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for LSP traffic)")
    return p


def serve(argv: Sequence[str] | None = None) -> int:
    """Run the server until the client exits; returns the process exit status."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    if args.log_file:
        logging.basicConfig(level=level, filename=args.log_file, format=fmt)
    else:
        logging.basicConfig(level=level, stream=sys.stderr, format=fmt)
    if args.verbose < 2:
        logging.getLogger("pygls").setLevel(max(level, logging.WARNING))

    from .app import ProoflensServer

    server = ProoflensServer()

    def on_signal(signum: int, _frame: Any) -> None:
        server.leave(128 + signum)

    signal.signal(signal.SIGTERM, on_signal)
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not port.isdigit():
            print(f"prooflens serve: --tcp wants HOST:PORT, got {args.tcp!r}", file=sys.stderr)
            return 2
        try:
            server.start_tcp(host or "127.0.0.1", int(port))
        finally:
            server.close()
        return 0
    try:
        server.start_io()
    finally:
        server.close()
    return 0


def main() -> None:
    sys.exit(serve(sys.argv[1:]))


if __name__ == "__main__":
    main()
