from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def national_catalogue(db: None) -> None:
    """The catalogue comes from data migration p2k2.0002; a transactional test elsewhere in the
    session ends with a flush that empties it, so load it again when it is missing."""
    from harapan.p2k2.catalogue import load_catalogue
    from harapan.p2k2.models import KnowledgeChoice, KnowledgeQuestion, Module, Session

    if not Module.objects.filter(kind="inti").exists():
        load_catalogue(Module, Session, KnowledgeQuestion, KnowledgeChoice)
