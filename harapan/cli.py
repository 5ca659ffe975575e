"""The ``harapan`` console command: ``manage.py`` with PKH-friendly spellings.

``harapan import-kpm FILE`` runs the management command ``import_kpm``; every Django command
works the same way (``harapan migrate``, ``harapan runserver``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harapan.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "harapan"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
