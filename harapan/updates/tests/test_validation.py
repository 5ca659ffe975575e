"""A submission is checked against the family as it is now; every refusal names the field and
the rule (the error's code), and nothing is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from harapan.registry.models import Member, Pregnancy
from harapan.registry.rules import compose_nik
from harapan.testing import make_household
from harapan.updates.models import DataUpdate, DataUpdateEvidence

from .conftest import PNG, World, add_member, days_ago, photo, today, years_ago

pytestmark = pytest.mark.django_db


def refusal(world: World, kind: str, **kwargs) -> dict[str, list[str]]:
    """The {field: [rule, ...]} of a refused submission; asserts nothing was stored."""
    with pytest.raises(ValidationError) as e:
        world.submit(kind, **kwargs)
    assert not DataUpdate.objects.exists() and not DataUpdateEvidence.objects.exists()
    return {field: [x.code or "" for x in errors] for field, errors in e.value.error_dict.items()}


# --- Evidence (issue 3: "with the date and evidence (photo of a document)") --------------------


def test_every_kind_needs_a_photo_of_the_evidence(world: World) -> None:
    assert refusal(world, "kehamilan", member=world.wife, effective_date=days_ago(3), evidence=[]) == {
        "evidence": ["bukti_wajib"]
    }
    assert refusal(
        world,
        "rekening",
        effective_date=days_ago(3),
        evidence=[],
        payload={"bank": "BRI", "account_number": "1", "account_name": "A"},
    ) == {"evidence": ["bukti_wajib"]}


def test_evidence_must_be_a_photo_and_not_too_large(world: World, settings) -> None:
    fake = photo("akta.jpg", b"%PDF-1.4 not a photo")
    assert refusal(world, "kehamilan", member=world.wife, effective_date=days_ago(3), evidence=[fake]) == {
        "evidence": ["bukti_bukan_foto"]
    }
    settings.HARAPAN = {"updates": {"EVIDENCE_MAX_BYTES": 50}}
    big = photo("besar.png", PNG + b"\x00" * 100)
    assert refusal(world, "kehamilan", member=world.wife, effective_date=days_ago(3), evidence=[big]) == {
        "evidence": ["bukti_terlalu_besar"]
    }


def test_evidence_is_stored_outside_the_public_media_directory(world: World, settings) -> None:
    update = world.submit(
        "kehamilan", member=world.wife, effective_date=days_ago(3), evidence=[photo(), photo("b.png", PNG)]
    )
    files = list(update.evidence.all())
    assert [f.content_type for f in files] == ["image/jpeg", "image/png"]
    media = Path(settings.MEDIA_ROOT).resolve()
    for f in files:
        path = Path(f.file.path).resolve()
        assert path.is_file() and media not in path.parents
        assert "akta" not in path.name  # the uploaded name is not kept
    with pytest.raises(ValueError):
        files[0].file.url  # noqa: B018 - no public URL exists


# --- Dates -------------------------------------------------------------------------------------


def test_the_effective_date_is_not_in_the_future_not_before_birth_and_not_too_old(world: World) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    assert refusal(world, "kehamilan", member=world.wife, effective_date=tomorrow) == {
        "effective_date": ["tanggal_masa_depan"]
    }
    assert refusal(world, "kehamilan", member=world.wife, effective_date=days_ago(400)) == {
        "effective_date": ["tanggal_terlalu_lama"]
    }
    baby = add_member(world.family, "Bayi Kecil", "L", days_ago(30), 3)
    assert refusal(
        world,
        "disabilitas_berat",
        member=baby,
        effective_date=days_ago(31),
        payload={"description": "x"},
    ) == {"effective_date": ["tanggal_sebelum_lahir"]}


def test_a_missing_date_or_member_is_named(world: World) -> None:
    assert refusal(world, "kehamilan", member=None, effective_date=None) == {
        "member": ["required"],
        "effective_date": ["required"],
    }


# --- Members -----------------------------------------------------------------------------------


def test_the_member_must_live_in_this_family(world: World) -> None:
    stranger = make_household(pendamping=world.pendamping).members.get(is_carer=True)
    assert refusal(world, "kehamilan", member=stranger, effective_date=days_ago(3)) == {"member": ["invalid_choice"]}


def test_a_member_who_has_left_cannot_be_updated(world: World) -> None:
    toddler = world.child(2)
    world.approve(world.submit("anggota_keluar", member=toddler, effective_date=days_ago(9)))
    with pytest.raises(ValidationError) as e:
        world.submit("disabilitas_berat", member=toddler, effective_date=days_ago(3), payload={"description": "x"})
    assert {f: [x.code for x in v] for f, v in e.value.error_dict.items()} == {"member": ["invalid_choice"]}


# --- Birth -------------------------------------------------------------------------------------


def test_a_newborns_nik_must_match_the_birth_date_and_sex_and_be_free(world: World) -> None:
    """RULES.md: Identity numbers — the NIK holds the birth date, day + 40 for women."""
    born = days_ago(4)
    as_boy = compose_nik("35.11.01", born, "L", 1234)
    errors = refusal(
        world, "kelahiran", effective_date=born, payload={"name": "Ani", "sex": "P", "relationship": 3, "nik": as_boy}
    )
    assert errors == {"nik": ["nik_jenis_kelamin"]}
    other_day = compose_nik("35.11.01", days_ago(30), "P", 1234)
    errors = refusal(
        world,
        "kelahiran",
        effective_date=born,
        payload={"name": "Ani", "sex": "P", "relationship": 3, "nik": other_day},
    )
    assert errors == {"nik": ["nik_tanggal_lahir"]}
    assert refusal(
        world, "kelahiran", effective_date=born, payload={"name": "Ani", "sex": "P", "relationship": 3, "nik": "12ab"}
    ) == {"nik": ["hanya_angka"]}
    # Held by a member of another family in the programme (one NIK, one active household).
    other = make_household()
    held = compose_nik("35.11.01", born, "P", 4321)
    Member.objects.filter(pk=add_member(other, "Bayi Lain", "P", born, 3).pk).update(nik=held)
    errors = refusal(
        world, "kelahiran", effective_date=born, payload={"name": "Ani", "sex": "P", "relationship": 3, "nik": held}
    )
    assert errors == {"nik": ["nik_sudah_aktif"]}


def test_a_birth_already_recorded_is_refused(world: World) -> None:
    born = days_ago(3)
    add_member(world.family, "Bayi Sudah Ada", "L", born, 3)
    assert refusal(
        world, "kelahiran", effective_date=born, payload={"name": "bayi  sudah ada", "sex": "L", "relationship": 3}
    ) == {"name": ["anggota_sudah_ada"]}


def test_the_mother_must_be_a_woman_of_child_bearing_age_in_the_family(world: World) -> None:
    """RULES.md: Components and amounts — pregnancy for women of PREGNANCY_MIN_AGE-MAX_AGE."""
    grandmother = add_member(world.family, "Mbah Putri", "P", years_ago(62), 6)
    errors = refusal(
        world,
        "kelahiran",
        effective_date=days_ago(2),
        payload={"name": "Bayi", "sex": "L", "relationship": 3, "mother": grandmother.pk},
    )
    assert errors == {"mother": ["hamil_tidak_wajar"]}
    errors = refusal(
        world,
        "kelahiran",
        effective_date=days_ago(2),
        payload={"name": "Bayi", "sex": "L", "relationship": 3, "mother": world.head.pk},
    )
    assert errors == {"mother": ["invalid_choice"]}


def test_a_pregnancy_that_began_after_the_birth_date_is_refused(world: World) -> None:
    Pregnancy.objects.create(member=world.wife, valid_from=days_ago(5))
    errors = refusal(
        world,
        "kelahiran",
        effective_date=days_ago(20),
        payload={"name": "Bayi", "sex": "L", "relationship": 3, "mother": world.wife.pk},
    )
    assert errors == {"mother": ["hamil_setelah_lahir"]}


# --- Death, leaving, carer ---------------------------------------------------------------------


def test_the_carer_cannot_die_or_leave_without_a_new_carer(world: World) -> None:
    """RULES.md: Disbursement and data — payment goes to the carer."""
    for kind in ("kematian", "anggota_keluar"):
        assert refusal(world, kind, member=world.wife, effective_date=days_ago(3)) == {
            "new_carer": ["pengurus_pengganti_wajib"]
        }
    assert refusal(
        world, "kematian", member=world.wife, effective_date=days_ago(3), payload={"new_carer": world.child(2).pk}
    ) == {"new_carer": ["umur_pengurus"]}


def test_a_new_carer_is_an_adult_woman_unless_there_is_none(world: World) -> None:
    """RULES.md: Glossary (pengurus = the mother / adult woman) and "payment goes to the carer, not
    to the husband"."""
    assert refusal(world, "pengurus_baru", member=world.head, effective_date=days_ago(1)) == {
        "member": ["pengurus_perempuan"]
    }
    assert refusal(world, "pengurus_baru", member=world.child(1), effective_date=days_ago(1)) == {
        "member": ["umur_pengurus"]
    }
    assert refusal(world, "pengurus_baru", member=world.wife, effective_date=days_ago(1)) == {
        "member": ["sudah_pengurus"]
    }


def test_naming_a_new_carer_for_a_member_who_is_not_the_carer_is_refused(world: World) -> None:
    assert refusal(
        world, "kematian", member=world.head, effective_date=days_ago(3), payload={"new_carer": world.wife.pk}
    ) == {"new_carer": ["bukan_pengurus"]}


# --- School ------------------------------------------------------------------------------------


def test_school_grade_level_and_age_are_checked(world: World) -> None:
    child = add_member(world.family, "Anak Enam", "L", years_ago(6, 30), 3)
    payload = {"level": "SD", "grade": 7, "school_name": "SDN 1"}
    assert refusal(world, "masuk_sekolah", member=child, effective_date=days_ago(3), payload=payload) == {
        "grade": ["kelas_tidak_sesuai_jenjang"]
    }
    assert refusal(
        world,
        "masuk_sekolah",
        member=world.child(2),
        effective_date=days_ago(3),
        payload={"level": "SD", "grade": 1, "school_name": "SDN 1"},
    ) == {"member": ["umur_sekolah"]}
    assert refusal(
        world,
        "masuk_sekolah",
        member=world.child(1),
        effective_date=days_ago(3),
        payload={"level": "SD", "grade": 3, "school_name": "SDN 1"},
    ) == {"member": ["sekolah_tumpang_tindih"]}
    assert refusal(
        world,
        "masuk_sekolah",
        member=child,
        effective_date=days_ago(3),
        payload={"level": "SD", "grade": 1, "school_name": "SDN 1", "npsn": "123"},
    ) == {"npsn": ["panjang_digit"]}


def test_a_level_change_moves_up_and_needs_a_current_school(world: World) -> None:
    assert refusal(
        world,
        "pindah_jenjang",
        member=world.child(1),
        effective_date=days_ago(1),
        payload={"level": "SD", "grade": 4, "school_name": "SDN 3"},
    ) == {"level": ["jenjang_harus_naik"]}
    assert refusal(
        world,
        "pindah_jenjang",
        member=world.child(2),
        effective_date=days_ago(1),
        payload={"level": "SD", "grade": 1, "school_name": "SDN 3"},
    ) == {"member": ["tidak_bersekolah"]}
    assert refusal(
        world, "keluar_sekolah", member=world.child(2), effective_date=days_ago(1), payload={"reason": "lulus"}
    ) == {"member": ["tidak_bersekolah"]}


# --- Pregnancy, disability ---------------------------------------------------------------------


def test_pregnancy_only_for_a_woman_of_child_bearing_age_not_already_pregnant(world: World) -> None:
    old = add_member(world.family, "Mbah Putri", "P", years_ago(62), 6)
    assert refusal(world, "kehamilan", member=old, effective_date=days_ago(3)) == {"member": ["hamil_tidak_wajar"]}
    assert refusal(world, "kehamilan", member=world.head, effective_date=days_ago(3)) == {"member": ["invalid_choice"]}
    Pregnancy.objects.create(member=world.wife, valid_from=days_ago(100))
    assert refusal(world, "kehamilan", member=world.wife, effective_date=days_ago(3)) == {
        "effective_date": ["hamil_tumpang_tindih"]
    }


# --- Address and account -----------------------------------------------------------------------


def test_a_move_out_of_the_kecamatan_must_say_so_and_the_desa_must_exist(world: World) -> None:
    assert refusal(
        world, "pindah_alamat", effective_date=days_ago(1), payload={"desa": "35.11.02.2001", "address": "Jl. A"}
    ) == {"outside_kecamatan": ["konfirmasi_luar_kecamatan"]}
    assert refusal(
        world, "pindah_alamat", effective_date=days_ago(1), payload={"desa_other": "35.11.99.9999", "address": "Jl. A"}
    ) == {"desa_other": ["desa_tidak_dikenal"]}
    family = world.family
    assert refusal(
        world,
        "pindah_alamat",
        effective_date=days_ago(1),
        payload={"desa": family.desa_id, "address": family.address, "rt": family.rt, "rw": family.rw},
    ) == {"__all__": ["tidak_ada_perubahan"]}


def test_account_data_must_change_and_be_digits(world: World) -> None:
    assert refusal(
        world,
        "rekening",
        effective_date=days_ago(1),
        payload={"bank": "BRI", "account_number": "12-34", "account_name": "Siti"},
    ) == {"account_number": ["hanya_angka"]}
    world.family.bank, world.family.account_number, world.family.account_name = "BRI", "1234", "Siti"
    world.family.save()
    assert refusal(
        world,
        "rekening",
        effective_date=days_ago(1),
        payload={"bank": "BRI", "account_number": "1234", "account_name": "Siti"},
    ) == {"__all__": ["tidak_ada_perubahan"]}
