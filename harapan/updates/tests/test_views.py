"""Pemutakhiran pages: record from the family page, the approvers' queue, the update page with
before -> after and evidence, decisions, and the family page's list and history. Every page
answers only within the reader's scope (accounts.scope); out of scope is 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import FileResponse
from django.test import Client
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.registry.models import Pregnancy
from harapan.testing import BONDOWOSO, first_desa, make_household, make_staff
from harapan.updates.models import DataUpdate, UpdateKind, UpdateStatus
from harapan.updates.views import PAGE_SIZE

from .conftest import PNG, World, days_ago, photo

pytestmark = pytest.mark.django_db


def client_of(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def post_birth(client: Client, world: World, **extra: Any) -> Any:
    data = {
        "effective_date": days_ago(6).isoformat(),
        "name": "Bayi Ani",
        "sex": "P",
        "relationship": "3",
        "mother": str(world.wife.pk),
        "birth_place": "Bondowoso",
        "evidence": [photo()],
        **extra,
    }
    return client.post(reverse("updates:submit", args=[world.family.pk, "kelahiran"]), data)


def test_the_kind_chooser_offers_every_kind_from_the_family_page(world: World) -> None:
    client = client_of(world.pendamping)
    family_page = client.get(reverse("registry:detail", args=[world.family.pk])).content.decode()
    assert reverse("updates:choose", args=[world.family.pk]) in family_page
    html = client.get(reverse("updates:choose", args=[world.family.pk])).content.decode()
    for kind in UpdateKind.values:
        assert f'data-testid="kind-{kind}"' in html
    form = client.get(reverse("updates:submit", args=[world.family.pk, "kelahiran"])).content.decode()
    assert 'accept="image/*"' in form and "capture=" in form and 'enctype="multipart/form-data"' in form


def test_pendamping_records_a_birth_and_the_korkab_approves_it_from_the_queue(world: World) -> None:
    Pregnancy.objects.create(member=world.wife, valid_from=days_ago(250))
    response = post_birth(client_of(world.pendamping), world)
    update = DataUpdate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("updates:detail", args=[update.pk])
    assert (update.kind, update.payload["name"], update.payload["mother"]) == ("kelahiran", "Bayi Ani", world.wife.pk)

    korkab = client_of(world.korkab)
    queue = korkab.get(reverse("updates:queue"))
    assert [u.pk for u, _s in queue.context["queue"]] == [update.pk]
    detail = korkab.get(reverse("updates:detail", args=[update.pk]))
    html = detail.content.decode()
    assert "Bayi Ani" in html and 'data-testid="approve"' in html
    assert detail.context["rows"][0][:2] == ("Anggota baru", "—")
    assert {c.key: (c.before, c.after) for c in detail.context["components"]}["anak_usia_dini"] == (1, 2)
    evidence = update.evidence.get()
    assert reverse("updates:evidence", args=[evidence.pk]) in html

    response = korkab.post(reverse("updates:decide", args=[update.pk]), {"decision": "setujui"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.DITERAPKAN
    page = korkab.get(reverse("registry:detail", args=[world.family.pk]))
    html = page.content.decode()
    baby = world.family.members.get(name="Bayi Ani")
    assert f'data-testid="member-row-{baby.pk}"' in html
    assert f'data-testid="update-row-{update.pk}" data-status="diterapkan"' in html
    sources = {row.source for row in page.context["audit_rows"]}
    assert f"Pemutakhiran #{update.pk}" in sources
    born = next(r for r in page.context["audit_rows"] if r.event.action == "member_created")
    assert ("nama", "—", "Bayi Ani") in born.changes


def test_a_rejection_shows_its_reason_on_the_family_page(world: World) -> None:
    post_birth(client_of(world.pendamping), world)
    update = DataUpdate.objects.get()
    korkab = client_of(world.korkab)
    missing = korkab.post(reverse("updates:decide", args=[update.pk]), {"decision": "tolak", "reason": ""})
    assert missing.status_code == 400 and 'data-testid="error-reason"' in missing.content.decode()
    korkab.post(reverse("updates:decide", args=[update.pk]), {"decision": "tolak", "reason": "Akta tidak terbaca"})
    html = client_of(world.pendamping).get(reverse("registry:detail", args=[world.family.pk])).content.decode()
    assert f'data-testid="update-rejection-{update.pk}"' in html and "Akta tidak terbaca" in html
    assert not world.family.members.filter(name="Bayi Ani").exists()


def test_form_errors_name_the_field_and_ask_for_the_photo_again(world: World) -> None:
    client = client_of(world.pendamping)
    response = post_birth(client, world, nik="1234", evidence=[])
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-testid="error-u-nik"' in html and 'data-testid="error-u-evidence"' in html
    response = post_birth(client, world, effective_date=days_ago(-3).isoformat())
    assert 'data-testid="error-u-effective_date"' in response.content.decode()
    assert 'data-testid="evidence-again"' in response.content.decode()
    assert not DataUpdate.objects.exists()


def test_pages_answer_only_within_scope(world: World) -> None:
    post_birth(client_of(world.pendamping), world)
    update = DataUpdate.objects.get()
    evidence = update.evidence.get()
    urls = [
        reverse("updates:detail", args=[update.pk]),
        reverse("updates:evidence", args=[evidence.pk]),
        reverse("updates:choose", args=[world.family.pk]),
        reverse("updates:submit", args=[world.family.pk, "kematian"]),
    ]
    for outsider in (world.other_pendamping, world.korkab_jember, make_staff(Role.DINSOS_PROV, "33")):
        client = client_of(outsider)
        assert [client.get(u).status_code for u in urls] == [404] * 4
        assert client.post(reverse("updates:decide", args=[update.pk]), {"decision": "setujui"}).status_code == 404
        assert [u.pk for u, _s in client.get(reverse("updates:queue")).context["queue"]] == []
    anonymous = Client()
    assert all(anonymous.get(u).status_code == 302 for u in urls)
    update.refresh_from_db()
    assert update.status == UpdateStatus.DIAJUKAN


def test_a_role_that_may_not_record_or_decide_gets_403(world: World) -> None:
    post_birth(client_of(world.pendamping), world)
    update = DataUpdate.objects.get()
    supervisor = client_of(make_staff(Role.SUPERVISOR, BONDOWOSO))
    assert supervisor.get(reverse("updates:choose", args=[world.family.pk])).status_code == 403
    assert supervisor.get(reverse("updates:detail", args=[update.pk])).status_code == 200  # may read
    assert supervisor.post(reverse("updates:decide", args=[update.pk]), {"decision": "setujui"}).status_code == 403
    own = client_of(world.pendamping)
    assert 'data-testid="approve"' not in own.get(reverse("updates:detail", args=[update.pk])).content.decode()
    assert own.post(reverse("updates:decide", args=[update.pk]), {"decision": "setujui"}).status_code == 403


def test_evidence_is_served_to_readers_in_scope_only(world: World) -> None:
    update = world.submit("kehamilan", member=world.wife, effective_date=days_ago(3), evidence=[photo("a.png", PNG)])
    evidence = update.evidence.get()
    response = client_of(world.korkab).get(reverse("updates:evidence", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["Cache-Control"].startswith("private")
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == PNG  # type: ignore[arg-type]
    assert client_of(world.korkab_jember).get(reverse("updates:evidence", args=[evidence.pk])).status_code == 404


def test_the_queue_shows_the_role_s_step_only_and_pages_by_50(world: World) -> None:
    families = [make_household(pendamping=world.pendamping) for _ in range(PAGE_SIZE + 1)]
    for h in families:
        world.family = h
        world.submit("kehamilan", member=h.members.get(is_carer=True), effective_date=days_ago(3))
    korkab = client_of(world.korkab)
    first = korkab.get(reverse("updates:queue"))
    assert first.context["page"].paginator.count == PAGE_SIZE + 1
    assert len(first.context["queue"]) == PAGE_SIZE
    assert 'data-testid="page-next"' in first.content.decode()
    assert len(korkab.get(reverse("updates:queue"), {"page": 2}).context["queue"]) == 1
    # A province officer sees nothing until the korkab step is done.
    assert client_of(world.dinsos_prov).get(reverse("updates:queue")).context["page"].paginator.count == 0
    world.family = families[0]
    aunt = families[0].members.create(
        no_kk=families[0].no_kk, name="Bibi", sex="P", birth_date=days_ago(40 * 366), relationship=8
    )
    carer = world.submit("pengurus_baru", member=aunt, effective_date=days_ago(1))
    world.approve(carer)
    prov = client_of(world.dinsos_prov).get(reverse("updates:queue"))
    assert [u.pk for u, _s in prov.context["queue"]] == [carer.pk]
    assert korkab.get(reverse("updates:queue"), {"jenis": "pengurus_baru"}).context["page"].paginator.count == 0
    # The pendamping sees their own submissions waiting.
    mine = client_of(world.pendamping).get(reverse("updates:queue")).context["mine"]
    assert len(mine) == PAGE_SIZE


def test_the_submitter_cancels_from_the_update_page(world: World) -> None:
    post_birth(client_of(world.pendamping), world)
    update = DataUpdate.objects.get()
    html = client_of(world.pendamping).get(reverse("updates:detail", args=[update.pk])).content.decode()
    assert 'data-testid="cancel"' in html
    assert client_of(world.pendamping).post(reverse("updates:cancel", args=[update.pk])).status_code == 302
    update.refresh_from_db()
    assert update.status == UpdateStatus.DIBATALKAN


def test_an_approval_that_no_longer_fits_the_family_shows_why_and_keeps_waiting(world: World) -> None:
    pupil = world.child(1)
    update = world.submit("keluar_sekolah", member=pupil, effective_date=days_ago(2), payload={"reason": "lulus"})
    pupil.enrolments.update(valid_to=days_ago(30))  # e.g. an import closed it meanwhile
    response = client_of(world.korkab).post(reverse("updates:decide", args=[update.pk]), {"decision": "setujui"})
    assert response.status_code == 409
    assert 'data-testid="update-problem"' in response.content.decode()
    update.refresh_from_db()
    assert (update.status, update.decisions.count()) == (UpdateStatus.DIAJUKAN, 0)


def test_the_update_page_shows_before_and_after_in_readable_labels(world: World) -> None:
    jember = first_desa("35.09.01")
    move = world.submit(
        "pindah_alamat",
        effective_date=days_ago(2),
        payload={"desa": jember.code, "address": "Jl. Kenanga 1", "rt": "007", "outside_kecamatan": True},
    )
    rows = client_of(world.korkab).get(reverse("updates:detail", args=[move.pk])).context["rows"]
    what, before, after = rows[0]
    assert what == "Desa/kelurahan"
    assert before == "Sucolor, Maesan, Kabupaten Bondowoso (35.11.01.2001)"
    assert after.startswith(f"{jember.name}, ") and after.endswith(f"Kabupaten Jember ({jember.code})")
    assert ("RT", "001", "007") in rows
    assert ("Pendamping", "Bu Rina", "dilepas; ditetapkan ulang oleh operator") in rows
    account = world.submit(
        "rekening",
        effective_date=days_ago(1),
        payload={"bank": "MANDIRI", "account_number": "77", "account_name": "Siti"},
    )
    rows = client_of(world.korkab).get(reverse("updates:detail", args=[account.pk])).context["rows"]
    assert rows == [("Bank", "—", "Mandiri"), ("Nomor rekening", "—", "77"), ("Nama rekening", "—", "Siti")]
    world.approve_all(move)
    history = client_of(world.dinsos_prov).get(reverse("registry:detail", args=[world.family.pk])).context["audit_rows"]
    moved = next(r for r in history if r.event.action == "household_moved")
    assert ("desa/kelurahan", "Sucolor (35.11.01.2001)", f"{jember.name} ({jember.code})") in moved.changes


def test_the_queue_page_is_a_fixed_number_of_queries(world: World, django_assert_max_num_queries: Any) -> None:
    for _ in range(12):
        world.family = make_household(pendamping=world.pendamping)
        world.submit("kehamilan", member=world.wife, effective_date=days_ago(3))
    korkab = client_of(world.korkab)
    with django_assert_max_num_queries(12):
        response = korkab.get(reverse("updates:queue"))
    assert len(response.context["queue"]) == 12
