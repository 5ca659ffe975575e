"""The access-scope matrix: for every role, what it can and cannot reach.

The world (``scope_world`` in harapan/conftest.py) holds two kabupaten of Jawa Timur with real
codes, Bondowoso 35.11 (two kecamatan, Maesan and Tamanan, two pendamping in Maesan) and Jember
35.09, a family in Jawa Tengah (33), and staff of every role, plus a user with no staff record
and an inactive staff member. The access rule is accounts.scope (pendamping -> own families;
korkab, supervisor, operator, Dinas Sosial kabupaten -> kabupaten; Dinas Sosial provinsi ->
province; ministry -> all; no staff -> nothing). Outside scope a family does not exist: 404,
never a hint that the id is real. Every write refused leaves the database and the audit trail
as they were.

``ROLE_DECISIONS`` lists every role: a new role fails ``test_every_role_has_a_decision_in_the_scope
_matrix`` until someone decides what it may reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from harapan.accounts.models import NO_FAMILY_ROLES, Role
from harapan.audit.models import AuditEvent
from harapan.registry.models import Household, HouseholdStatus
from harapan.registry.selectors import household_list
from harapan.testing import make_staff
from harapan.updates.models import DataUpdate, UpdateStatus

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Decision:
    """What a role may do, beside the families its scope shows it."""

    upload_import: bool
    set_status: bool
    # Family data changes only through a pemutakhiran approved up the chain (issue 3): who may
    # record one, and who decides its first (korkab) step.
    submit_update: bool
    approve_korkab_step: bool


ROLE_DECISIONS: dict[str, Decision] = {
    Role.PENDAMPING: Decision(upload_import=False, set_status=False, submit_update=True, approve_korkab_step=False),
    Role.KORKAB: Decision(upload_import=True, set_status=True, submit_update=True, approve_korkab_step=True),
    Role.SUPERVISOR: Decision(upload_import=False, set_status=False, submit_update=False, approve_korkab_step=False),
    Role.OPERATOR: Decision(upload_import=True, set_status=True, submit_update=True, approve_korkab_step=False),
    Role.DINSOS_KAB: Decision(upload_import=True, set_status=True, submit_update=False, approve_korkab_step=False),
    Role.DINSOS_PROV: Decision(upload_import=True, set_status=False, submit_update=False, approve_korkab_step=False),
    Role.MINISTRY: Decision(upload_import=True, set_status=False, submit_update=False, approve_korkab_step=False),
}
NOTHING = Decision(upload_import=False, set_status=False, submit_update=False, approve_korkab_step=False)
# Training roles (issue 7): a training centre's staff and its facilitators see and change no family.
ROLE_DECISIONS[Role.BALAI_DIKLAT] = NOTHING
ROLE_DECISIONS[Role.FASILITATOR] = NOTHING

# Personas of the world: one per role, plus the other side of each boundary and the two users
# who must reach nothing.
PERSONA_ROLE: dict[str, str | None] = {
    "pendamping": Role.PENDAMPING,
    "pendamping_b": Role.PENDAMPING,
    "pendamping_jember": Role.PENDAMPING,
    "korkab": Role.KORKAB,
    "supervisor": Role.SUPERVISOR,
    "operator": Role.OPERATOR,
    "dinsos_kab": Role.DINSOS_KAB,
    "dinsos_prov": Role.DINSOS_PROV,
    "dinsos_prov_other": Role.DINSOS_PROV,
    "ministry": Role.MINISTRY,
    "korkab_jember": Role.KORKAB,
    "operator_jember": Role.OPERATOR,
    "no_staff": None,
    "inactive": None,  # a korkab whose staff record is inactive: treated as no staff at all
    "balai_diklat": Role.BALAI_DIKLAT,
    "fasilitator": Role.FASILITATOR,
}
PERSONAS = list(PERSONA_ROLE)
ALL_FAMILIES = ["maesan_a1", "maesan_a2", "maesan_b1", "tamanan_1", "jember_1", "jember_2", "cilacap_1"]


def decision(persona: str) -> Decision:
    role = PERSONA_ROLE[persona]
    return ROLE_DECISIONS[role] if role else NOTHING


def client_for(world: Any, persona: str) -> Client:
    client = Client()
    client.force_login(world.users[persona])
    return client


def carer_nik(household: Household) -> str:
    return household.members.get(is_carer=True).nik  # type: ignore[return-value]


def listed(html: str, household: Household) -> bool:
    """Whether a family list page shows ``household`` as a result row (a link to its page)."""
    return f'href="/kpm/{household.pk}/"' in html


def family_state(household: Household) -> tuple[Any, ...]:
    h = Household.objects.get(pk=household.pk)
    return (h.status, h.status_since, h.address, h.rt, h.rw, h.account_number, h.updated_at)


# --- The matrix itself -----------------------------------------------------------------------


def test_every_role_has_a_decision_in_the_scope_matrix() -> None:
    assert set(ROLE_DECISIONS) == set(Role.values)
    assert {r for r in PERSONA_ROLE.values() if r} == set(Role.values)


def test_world_places_every_persona_and_family(scope_world: Any) -> None:
    assert set(scope_world.users) == set(PERSONAS)
    assert set(scope_world.visible) == set(PERSONAS)
    assert sorted(scope_world.families) == sorted(ALL_FAMILIES)
    assert scope_world.staff["pendamping"].region_id == scope_world.staff["pendamping_b"].region_id == "35.11.01"


# --- Reading families ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_family_selector_returns_exactly_the_families_in_scope(scope_world: Any, persona: str) -> None:
    seen = set(household_list(user=scope_world.users[persona]).values_list("pkh_id", flat=True))
    expected = {scope_world.household(k).pkh_id for k in scope_world.visible[persona]}
    assert seen == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_family_list_page_shows_exactly_the_families_in_scope(scope_world: Any, persona: str) -> None:
    response = client_for(scope_world, persona).get("/kpm/")
    if not scope_world.visible[persona] and response.status_code == 403:
        return  # refusing the page outright is as good as an empty list
    assert response.status_code == 200
    html = response.content.decode()
    for key in ALL_FAMILIES:
        shown = listed(html, scope_world.household(key))
        assert shown == (key in scope_world.visible[persona]), (persona, key)


@pytest.mark.parametrize("persona", PERSONAS)
def test_family_search_by_nik_no_kk_or_name_never_finds_a_family_outside_scope(scope_world: Any, persona: str) -> None:
    client = client_for(scope_world, persona)
    for key in ALL_FAMILIES:
        household = scope_world.household(key)
        carer = household.members.get(is_carer=True)
        for query in (carer.nik, household.no_kk, carer.name, household.pkh_id):
            response = client.get("/kpm/", {"q": query})
            if response.status_code == 403 and not scope_world.visible[persona]:
                continue
            assert response.status_code == 200
            found = listed(response.content.decode(), household)
            assert found == (key in scope_world.visible[persona]), (persona, key, query)


@pytest.mark.parametrize("persona", PERSONAS)
def test_region_filter_of_the_family_list_cannot_widen_scope(scope_world: Any, persona: str) -> None:
    client = client_for(scope_world, persona)
    for region in ("35", "35.09", "35.11", "35.11.01", "33"):
        response = client.get("/kpm/", {"region": region})
        if response.status_code in (403, 404):
            continue
        html = response.content.decode()
        for key in ALL_FAMILIES:
            household = scope_world.household(key)
            inside = household.desa_id.startswith(region + ".")
            expected = inside and key in scope_world.visible[persona]
            assert listed(html, household) == expected, (persona, region, key)


@pytest.mark.parametrize("persona", PERSONAS)
def test_family_detail_is_404_outside_scope_and_200_inside(scope_world: Any, persona: str) -> None:
    client = client_for(scope_world, persona)
    for key in ALL_FAMILIES:
        response = client.get(f"/kpm/{scope_world.household(key).pk}/")
        assert response.status_code == (200 if key in scope_world.visible[persona] else 404), (persona, key)


def test_family_detail_of_an_id_that_does_not_exist_is_the_same_404(scope_world: Any) -> None:
    missing = Household.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    assert client_for(scope_world, "ministry").get(f"/kpm/{missing}/").status_code == 404


def test_anonymous_user_is_sent_to_login_from_every_family_and_region_page(scope_world: Any) -> None:
    client = Client()
    family = scope_world.household("maesan_a1")
    for url in ("/", "/kpm/", f"/kpm/{family.pk}/", "/wilayah/", "/wilayah/35.11/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/akun/masuk/"), url


# --- Region pages and the home page count only families in scope -----------------------------


def _visible_in(world: Any, persona: str, code: str) -> int:
    """Families in scope whose desa is ``code`` or lies under it."""
    return sum(
        1
        for k in world.visible[persona]
        if not code or (d := world.household(k).desa_id) == code or d.startswith(code + ".")
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_region_pages_count_only_families_in_scope(scope_world: Any, persona: str) -> None:
    client = client_for(scope_world, persona)
    desa = scope_world.household("maesan_a1").desa_id
    for code in ("", "35", "35.11", "35.11.01", desa, "35.09", "33"):
        response = client.get(f"/wilayah/{code}/" if code else "/wilayah/")
        if response.status_code in (403, 404):
            continue
        assert response.status_code == 200, (persona, code)
        assert response.context["total"] == _visible_in(scope_world, persona, code), (persona, code)
        for row in response.context["rows"]:
            assert row.total == _visible_in(scope_world, persona, row.region.code), (persona, code, row.region.code)


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_page_counts_only_families_in_scope(scope_world: Any, persona: str) -> None:
    response = client_for(scope_world, persona).get("/")
    assert response.status_code == 200
    total = response.context.get("total")
    if total is None:  # no staff record: a home page without figures
        assert not scope_world.visible[persona]
        return
    assert total == len(scope_world.visible[persona])
    assert sum(row.total for row in response.context["rows"]) == len(scope_world.visible[persona])


# --- Writes on families: status change, pemutakhiran ------------------------------------------


def _status_post(household: Household) -> dict[str, str]:
    return {
        "status": HouseholdStatus.DITANGGUHKAN,
        "valid_from": timezone.localdate().isoformat(),
        "reason": "Uji batas wilayah",
    }


WRITES = {
    "status": ("/kpm/{pk}/status/", _status_post, "set_status"),
}


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("persona", PERSONAS)
def test_family_write_outside_scope_or_role_is_refused_and_changes_nothing(
    scope_world: Any, persona: str, write: str
) -> None:
    """A status change POST on another pendamping's family, another kabupaten's family, or by a
    role not allowed to write: refused (404 outside scope, 403 for the role), the family unchanged,
    no audit event. Allowed writes inside scope succeed (the refusals are not vacuous)."""
    url, payload, allowed_attr = WRITES[write]
    client = client_for(scope_world, persona)
    allowed = getattr(decision(persona), allowed_attr)
    for key in ALL_FAMILIES:
        household = scope_world.household(key)
        before, events_before = family_state(household), AuditEvent.objects.filter(household=household).count()
        response = client.post(url.format(pk=household.pk), payload(household))
        in_scope = key in scope_world.visible[persona]
        if in_scope and allowed:
            assert response.status_code == 302, (persona, key, response.status_code)
            assert family_state(household) != before, (persona, key)
            assert AuditEvent.objects.filter(household=household).count() == events_before + 1
            continue
        assert response.status_code == (403 if in_scope else 404), (persona, key, response.status_code)
        assert family_state(household) == before, (persona, key)
        assert AuditEvent.objects.filter(household=household).count() == events_before, (persona, key)


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _account_update_post(household: Household, **extra: str) -> dict[str, Any]:
    return {
        "effective_date": timezone.localdate().isoformat(),
        "bank": "BRI",
        "account_number": "9990001112",
        "account_name": "Uji Batas Wilayah",
        "kks_number": "",
        "evidence": [SimpleUploadedFile("buku.jpg", JPEG, content_type="image/jpeg")],
        **extra,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_pemutakhiran_submission_outside_scope_or_role_is_refused(scope_world: Any, persona: str) -> None:
    """Recording a pemutakhiran (here: new account data) is for a pendamping's own families and for
    operator and korkab in their kabupaten: 404 outside scope, 403 for another role. An accepted
    submission changes no family data until it is approved."""
    client = client_for(scope_world, persona)
    allowed = decision(persona).submit_update
    for key in ALL_FAMILIES:
        household = scope_world.household(key)
        before, count = family_state(household), DataUpdate.objects.filter(household=household).count()
        response = client.post(f"/pemutakhiran/kpm/{household.pk}/baru/rekening/", _account_update_post(household))
        in_scope = key in scope_world.visible[persona]
        expected = (302 if allowed else 403) if in_scope else 404
        assert response.status_code == expected, (persona, key, response.status_code)
        assert DataUpdate.objects.filter(household=household).count() == count + (expected == 302), (persona, key)
        assert family_state(household) == before, (persona, key)
        assert not AuditEvent.objects.filter(household=household).exists(), (persona, key)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pemutakhiran_approval_outside_scope_or_role_is_refused(scope_world: Any, persona: str) -> None:
    """The korkab step of an update is decided by a korkab with the family in scope: any other
    persona is refused (404 outside scope, 403 in scope), the family unchanged; the korkab's
    approval applies the change (the refusals are not vacuous)."""
    submitter = make_staff(Role.OPERATOR, "35.11")  # no persona: nobody here approves their own
    client = client_for(scope_world, persona)
    allowed = decision(persona).approve_korkab_step
    for key in ALL_FAMILIES:
        household = scope_world.household(key)
        update = DataUpdate.objects.create(
            household=household,
            kind="rekening",
            effective_date=timezone.localdate(),
            payload={"bank": "BNI", "account_number": "5550001", "account_name": "Uji", "kks_number": ""},
            chain=["korkab"],
            awaiting_role="korkab",
            open_key="household",
            submitted_by=submitter,
        )
        before = family_state(household)
        response = client.post(f"/pemutakhiran/{update.pk}/putuskan/", {"decision": "setujui"})
        in_scope = key in scope_world.visible[persona]
        update.refresh_from_db()
        if in_scope and allowed:
            assert response.status_code == 302, (persona, key, response.status_code)
            assert update.status == UpdateStatus.DITERAPKAN
            assert family_state(household) != before
            continue
        assert response.status_code == (403 if in_scope else 404), (persona, key, response.status_code)
        assert (update.status, update.decisions.count()) == (UpdateStatus.DIAJUKAN, 0), (persona, key)
        assert family_state(household) == before, (persona, key)


def test_an_account_update_cannot_move_or_reassign_a_family(scope_world: Any) -> None:
    """A pemutakhiran changes only what its kind holds: a POST that adds a desa of another kabupaten,
    another pendamping or a status moves nothing out of scope once applied."""
    household = scope_world.household("maesan_a1")
    extra = {
        "desa": scope_world.household("jember_1").desa_id,
        "desa_id": scope_world.household("jember_1").desa_id,
        "pendamping": str(scope_world.staff["pendamping_jember"].pk),
        "status": HouseholdStatus.NON_ELIGIBLE,
    }
    response = client_for(scope_world, "pendamping").post(
        f"/pemutakhiran/kpm/{household.pk}/baru/rekening/", _account_update_post(household, **extra)
    )
    assert response.status_code == 302
    update_url = response["Location"]
    assert client_for(scope_world, "korkab").post(update_url + "putuskan/", {"decision": "setujui"}).status_code == 302
    after = Household.objects.get(pk=household.pk)
    assert (after.desa_id, after.pendamping_id, after.status) == (
        household.desa_id,
        household.pendamping_id,
        household.status,
    )
    assert after.account_number == "9990001112"


def test_family_writes_by_anonymous_user_change_nothing(scope_world: Any) -> None:
    client = Client()
    household = scope_world.household("maesan_a1")
    before = family_state(household)
    urls = [(url, payload(household)) for url, payload, _attr in WRITES.values()]
    urls.append(("/pemutakhiran/kpm/{pk}/baru/rekening/", _account_update_post(household)))
    for url, data in urls:
        response = client.post(url.format(pk=household.pk), data)
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/")
    assert family_state(household) == before
    assert not AuditEvent.objects.filter(household=household).exists()


# --- JSON API: list, detail, audit ------------------------------------------------------------

API = "/api/v1/households"


def test_api_answers_401_to_an_anonymous_caller(scope_world: Any) -> None:
    client = Client()
    pk = scope_world.household("maesan_a1").pk
    for url in (API, f"{API}/{pk}", f"{API}/{pk}/audit"):
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_family_list_returns_exactly_the_families_in_scope(scope_world: Any, persona: str) -> None:
    response = client_for(scope_world, persona).get(API)
    assert response.status_code == 200
    body = response.json()
    assert {r["id"] for r in body["results"]} == {scope_world.household(k).pk for k in scope_world.visible[persona]}
    assert body["count"] == len(scope_world.visible[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_search_and_region_filter_never_find_a_family_outside_scope(scope_world: Any, persona: str) -> None:
    client = client_for(scope_world, persona)
    for key in ALL_FAMILIES:
        household = scope_world.household(key)
        expected = {household.pk} if key in scope_world.visible[persona] else set()
        for params in ({"q": carer_nik(household)}, {"q": household.no_kk}, {"q": household.pkh_id}):
            ids = {r["id"] for r in client.get(API, params).json()["results"]}
            assert ids == expected, (persona, key, params)
        region = household.desa_id.rsplit(".", 2)[0]  # its kabupaten
        ids = {r["id"] for r in client.get(API, {"region": region}).json()["results"]}
        assert (household.pk in ids) == (key in scope_world.visible[persona]), (persona, key, region)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_family_detail_and_audit_are_404_outside_scope(scope_world: Any, persona: str) -> None:
    client = client_for(scope_world, persona)
    for key in ALL_FAMILIES:
        pk = scope_world.household(key).pk
        expected = 200 if key in scope_world.visible[persona] else 404
        detail = client.get(f"{API}/{pk}")
        assert detail.status_code == expected, (persona, key)
        assert client.get(f"{API}/{pk}/audit").status_code == expected, (persona, key)
        if expected == 404:
            assert carer_nik(scope_world.household(key)) not in detail.content.decode()


# --- Import: upload page, rows outside the area, runs and reports of another region -------------

UPLOAD = "/impor/"


def _visible_region(world: Any, persona: str, code: str) -> bool:
    """Whether ``code`` (a desa) lies in the persona's working area (accounts.scope.region_in_scope)."""
    staff = world.staff.get(persona)
    if staff is None or not staff.is_active:
        return False
    return staff.region_id is None or code.startswith(staff.region_id + ".")


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_upload_page_is_open_only_to_importing_roles(scope_world: Any, persona: str) -> None:
    response = client_for(scope_world, persona).get(UPLOAD)
    assert response.status_code == (200 if decision(persona).upload_import else 403), persona


def _upload(client: Client, path: Any, django_capture_on_commit_callbacks: Any) -> Any:
    with path.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        return client.post(UPLOAD, {"file": fh, "as_of": timezone.localdate().isoformat()})


IMPORTERS = [p for p in PERSONAS if decision(p).upload_import]
REFUSED_IMPORTERS = [p for p in PERSONAS if not decision(p).upload_import]


@pytest.mark.parametrize("persona", IMPORTERS)
def test_import_rejects_each_family_outside_the_uploaders_area_with_the_rule_named(
    scope_world: Any,
    persona: str,
    kpm_file: Any,
    tmp_path: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from harapan.imports.models import ImportReject, ImportRun, RunStatus

    desas = {
        "maesan": scope_world.household("maesan_a1").desa_id,
        "jember": scope_world.household("jember_1").desa_id,
        "cilacap": scope_world.household("cilacap_1").desa_id,
    }
    added = {where: kpm_file.family(f"IMP-{persona}-{where}", desa) for where, desa in desas.items()}
    response = _upload(
        client_for(scope_world, persona), kpm_file.write(tmp_path / "kpm.csv"), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == RunStatus.DONE, run.error
    for where, desa in desas.items():
        created = Household.objects.filter(pkh_id=added[where]["pkh_id"]).exists()
        inside = _visible_region(scope_world, persona, desa)
        assert created == inside, (persona, where)
        rules = set(
            ImportReject.objects.filter(run=run, family_key=added[where]["pkh_id"]).values_list("rule", flat=True)
        )
        assert ("di_luar_wilayah" in rules) == (not inside), (persona, where, rules)


@pytest.mark.parametrize("persona", REFUSED_IMPORTERS)
def test_import_upload_by_a_role_not_allowed_is_refused_and_creates_nothing(
    scope_world: Any,
    persona: str,
    kpm_file: Any,
    tmp_path: Any,
    immediate_tasks: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from harapan.imports.models import ImportRun

    kpm_file.family("IMP-REFUSED", scope_world.household("maesan_a1").desa_id)
    response = _upload(
        client_for(scope_world, persona), kpm_file.write(tmp_path / "kpm.csv"), django_capture_on_commit_callbacks
    )
    assert response.status_code == 403
    assert not ImportRun.objects.exists()
    assert not Household.objects.filter(pkh_id="IMP-REFUSED").exists()


def test_import_cannot_move_a_family_of_another_kabupaten_into_the_uploaders_area(
    scope_world: Any, kpm_file: Any, tmp_path: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A Bondowoso operator's file names a Jember family's ID with a Bondowoso desa: rejected,
    the Jember family untouched, no audit event on it."""
    from harapan.imports.models import ImportReject

    jember = scope_world.household("jember_1")
    before = (family_state(jember), jember.desa_id, list(jember.members.values_list("nik", "name")))
    kpm_file.family(jember.pkh_id, scope_world.household("maesan_a1").desa_id)
    _upload(
        client_for(scope_world, "operator"), kpm_file.write(tmp_path / "kpm.csv"), django_capture_on_commit_callbacks
    )
    after_household = Household.objects.get(pk=jember.pk)
    after = (family_state(jember), after_household.desa_id, list(jember.members.values_list("nik", "name")))
    assert after == before
    assert not AuditEvent.objects.filter(household=jember).exists()
    assert ImportReject.objects.filter(family_key=jember.pkh_id, rule="di_luar_wilayah").exists()


def test_import_reject_of_a_family_outside_the_area_does_not_tell_where_it_is(
    scope_world: Any, kpm_file: Any, tmp_path: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    """Outside scope a family does not exist for the user: the reject names the rule, not the
    other kabupaten's desa of an existing family."""
    from harapan.imports.models import ImportReject

    jember = scope_world.household("jember_1")
    kpm_file.family(jember.pkh_id, scope_world.household("maesan_a1").desa_id)
    _upload(
        client_for(scope_world, "operator"), kpm_file.write(tmp_path / "kpm.csv"), django_capture_on_commit_callbacks
    )
    for message, value in ImportReject.objects.filter(family_key=jember.pkh_id).values_list("message", "value"):
        assert jember.desa_id not in message and jember.desa_id not in value, message


def test_import_reject_for_a_nik_held_in_another_kabupaten_does_not_name_that_family(
    scope_world: Any, kpm_file: Any, tmp_path: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    """One NIK, one active household (RULES.md: Identity numbers) holds nationally, so the row is
    refused; but which family outside the uploader's area holds the NIK is not theirs to learn."""
    from harapan.imports.models import ImportReject

    jember = scope_world.household("jember_1")
    carer = jember.members.get(is_carer=True)
    kpm_file.family("IMP-NIK-CLASH", scope_world.household("maesan_a1").desa_id)
    kpm_file.rows[1].update(NIK=carer.nik, TGLLAHIR=carer.birth_date.isoformat())  # the wife's row
    for row in kpm_file.rows:
        row["NIK_PENGURUS"] = carer.nik
    _upload(
        client_for(scope_world, "operator"), kpm_file.write(tmp_path / "kpm.csv"), django_capture_on_commit_callbacks
    )
    rejects = list(ImportReject.objects.filter(family_key="IMP-NIK-CLASH").values_list("rule", "message", "value"))
    assert "nik_aktif_di_keluarga_lain" in {rule for rule, _m, _v in rejects}, rejects
    assert not Household.objects.filter(pkh_id="IMP-NIK-CLASH").exists()
    for _rule, message, value in rejects:
        assert jember.pkh_id not in message and jember.pkh_id not in value, message


def _expected_run_visible(world: Any, persona: str, run_region: str | None, starter: str) -> bool:
    """A run belongs to its uploader's working area: visible to the uploader, to staff whose area
    holds that area, and to the ministry."""
    staff = world.staff.get(persona)
    if staff is None or not staff.is_active or staff.role in NO_FAMILY_ROLES:
        return False
    if persona == starter or staff.region_id is None:
        return True
    return run_region is not None and (run_region == staff.region_id or run_region.startswith(staff.region_id + "."))


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_run_pages_and_reports_of_another_region_are_refused(
    scope_world: Any, persona: str, kpm_file: Any, tmp_path: Any
) -> None:
    from harapan.imports.services import import_run_create, import_run_execute

    runs = {}
    for starter in ("operator", "operator_jember", "dinsos_prov"):
        kpm_file.rows.clear()
        kpm_file.family(f"RUN-{starter}", scope_world.household("jember_1").desa_id)
        path = kpm_file.write(tmp_path / f"{starter}.csv")
        with path.open("rb") as fh:
            run = import_run_create(
                user=scope_world.users[starter], file=fh, file_name=path.name, as_of=timezone.localdate()
            )
        runs[starter] = import_run_execute(run_id=run.pk)
    client = client_for(scope_world, persona)
    for starter, run in runs.items():
        visible = _expected_run_visible(scope_world, persona, run.region_id, starter)
        for url in (f"/impor/{run.pk}/", f"/impor/{run.pk}/laporan.csv", f"/impor/{run.pk}/laporan.xlsx"):
            response = client.get(url)
            assert response.status_code == (200 if visible else 404), (persona, starter, url)
        listing = client.get(UPLOAD)
        if listing.status_code == 200:
            assert (f'href="/impor/{run.pk}/"' in listing.content.decode()) == visible, (persona, starter)


def test_import_command_with_a_user_of_another_region_rejects_the_rows_outside_it(
    scope_world: Any, kpm_file: Any, tmp_path: Any
) -> None:
    from django.core.management import call_command

    from harapan.imports.models import ImportReject, ImportRun

    kpm_file.family("CMD-MAESAN", scope_world.household("maesan_a1").desa_id)
    path = kpm_file.write(tmp_path / "kpm.csv")
    call_command("import_kpm", str(path), "--user", "u_operator_jember", "--report", str(tmp_path / "r.csv"))
    assert not Household.objects.filter(pkh_id="CMD-MAESAN").exists()
    run = ImportRun.objects.get()
    assert ImportReject.objects.filter(run=run, family_key="CMD-MAESAN", rule="di_luar_wilayah").exists()


@pytest.mark.parametrize("persona", ["pendamping", "supervisor", "no_staff", "inactive"])
def test_import_command_refuses_a_user_who_may_not_import(
    scope_world: Any, persona: str, kpm_file: Any, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    from harapan.imports.models import ImportRun

    kpm_file.family("CMD-REFUSED", scope_world.household("maesan_a1").desa_id)
    path = kpm_file.write(tmp_path / "kpm.csv")
    with pytest.raises(CommandError):
        call_command("import_kpm", str(path), "--user", scope_world.users[persona].username)
    assert not ImportRun.objects.exists()
    assert not Household.objects.filter(pkh_id="CMD-REFUSED").exists()


def test_family_moved_to_another_kabupaten_by_import_leaves_the_old_scope(
    scope_world: Any, kpm_file: Any, tmp_path: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A province moves a Maesan family to Jember: its Maesan pendamping and the Bondowoso
    kabupaten roles no longer reach it; Jember's do."""
    household = scope_world.household("maesan_a1")
    kpm_file.family(household.pkh_id, scope_world.household("jember_1").desa_id)
    _upload(
        client_for(scope_world, "dinsos_prov"), kpm_file.write(tmp_path / "kpm.csv"), django_capture_on_commit_callbacks
    )
    moved = Household.objects.get(pk=household.pk)
    assert moved.desa_id == scope_world.household("jember_1").desa_id
    assert moved.pendamping_id is None
    for persona, status in (("pendamping", 404), ("korkab", 404), ("korkab_jember", 200), ("dinsos_prov", 200)):
        assert client_for(scope_world, persona).get(f"/kpm/{household.pk}/").status_code == status, persona
