"""Where evidence photos live: outside MEDIA_ROOT, so no public media URL can reach them; they are
served only by ``views.evidence_view``, which checks the reader's scope."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

from harapan.conf import setting


class EvidenceStorage(FileSystemStorage):
    """``updates.EVIDENCE_ROOT``, or the directory ``private`` beside MEDIA_ROOT. Read when first
    used and again after MEDIA_ROOT changes (tests move it), as Django's own storage does."""

    @cached_property
    def base_location(self) -> str:
        configured = setting("updates", "EVIDENCE_ROOT")
        return str(configured or Path(settings.MEDIA_ROOT).resolve().parent / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("Evidence files have no public URL; use updates:evidence.")


@cache
def evidence_storage() -> EvidenceStorage:
    return EvidenceStorage()
