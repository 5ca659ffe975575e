"""The surat pernyataan graduasi mandiri (FORMATS.md §4.4: identity of the carer - name, NIK,
address, ID keluarga PKH -, statement of ability and voluntary exit, date, signatures of the KPM,
pendamping and witness; RULES.md: Graduation, "with a signed statement")."""

from __future__ import annotations

import datetime as dt

import pytest

from harapan.graduation.services import proposal_submit
from harapan.graduation.statement import statement_data, statement_pdf, tanggal
from harapan.regions.models import Region

from .conftest import World, assess, client_of

pytestmark = pytest.mark.django_db


def test_the_statement_is_a_pdf_with_the_carers_identity_and_three_signatures(world: World) -> None:
    assess(world)
    proposal = proposal_submit(
        household=world.family, reason_category="usaha_berkembang", acting_user=world.pendamping.user
    )
    carer = world.family.members.get(is_carer=True)
    data = statement_data(proposal, on=dt.date(2025, 3, 5))
    assert data.kecamatan == Region.objects.get(code="35.11.01").name
    assert data.kabupaten.endswith(Region.objects.get(code="35.11").name)
    body = statement_pdf(data)
    assert body.startswith(b"%PDF-")
    assert body.rstrip().endswith(b"%%EOF")
    for text in (
        carer.name,
        carer.nik or "",
        world.family.pkh_id,
        "SURAT PERNYATAAN GRADUASI MANDIRI",
        "tanpa paksaan",
        "Usaha keluarga berkembang",
        "Pengurus KPM",
        "Pendamping PKH",
        "Bu Rina",
        "5 Maret 2025",
        Region.objects.get(code="35.11.01.2001").name,
    ):
        assert text.encode("latin-1") in body, text
    assert b"Kepala Desa" in body or b"Lurah" in body


def test_the_statement_is_downloaded_only_within_scope(world: World) -> None:
    assess(world)
    proposal = proposal_submit(household=world.family, acting_user=world.pendamping.user)
    url = f"/graduasi/usulan/{proposal.pk}/surat.pdf"
    response = client_of(world.pendamping).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and world.family.pkh_id.encode() in response.content
    assert client_of(world.korkab).get(url).status_code == 200
    assert client_of(world.other_pendamping).get(url).status_code == 404
    assert client_of(world.korkab_jember).get(url).status_code == 404


def test_dates_are_written_the_indonesian_way() -> None:
    assert tanggal(dt.date(2025, 8, 17)) == "17 Agustus 2025"
