"""`python -m stamp`, and the script PyInstaller freezes (absolute import: it runs as a script)."""

from stamp.cli import main

main()
