"""``python -m server``: run the language server over stdio."""

from server.main import main

main()
