"""Imported once by the multiprocessing fork server (``set_forkserver_preload``), never by the
language server itself: importing it has the side effect of loading the engine, so every
worker forked from the fork server starts with z3 and pycparser already imported (a killed
worker is replaced in ~20 ms instead of ~300 ms)."""

from server import worker

worker.protect_stdout()
# No PR_SET_PDEATHSIG here: it fires when the *thread* that started the fork server ends. The
# fork server exits by itself when the server's end of its pipe closes; workers (whose parent
# is the fork server's only thread) do set it.
worker.warm()
