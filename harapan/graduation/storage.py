"""Where scans of signed statements live: outside MEDIA_ROOT, so no public media URL reaches them;
they are served only by ``views.scan_view``, after the reader's scope is checked."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

from harapan.conf import setting


class ScanStorage(FileSystemStorage):
    """``graduation.SCAN_ROOT``, or the directory ``private`` beside MEDIA_ROOT."""

    @cached_property
    def base_location(self) -> str:
        configured = setting("graduation", "SCAN_ROOT")
        return str(configured or Path(settings.MEDIA_ROOT).resolve().parent / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Statement scans have no public URL; use graduation:scan.")


@cache
def scan_storage() -> ScanStorage:
    return ScanStorage()
