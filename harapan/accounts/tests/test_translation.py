"""The English translation of the interface: complete, compiled, and served by the header's switch.

The interface is written in Bahasa Indonesia (msgids); ``locale/en`` holds the English. The
catalogue is refreshed with ``django-admin makemessages -l en --ignore='*/tests/*'
--ignore='browser_tests/*' --ignore='demo/*'`` and ``django-admin compilemessages`` in harapan/.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from harapan.accounts.models import Role
from harapan.testing import BONDOWOSO, make_staff

EN = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO, MO = EN / "django.po", EN / "django.mo"
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (\".*\")$")


def _unquote(literal: str) -> str:
    return ast.literal_eval(literal)  # PO strings use the C escapes \" \\ \n \t, as Python does


def po_entries(text: str) -> list[dict]:
    """The live entries of a PO file (obsolete ``#~`` entries left out): msgctxt, msgid,
    msgid_plural, msgstr (a dict index -> text) and flags."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        target: tuple = ()
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = {}
                break
            if line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif m := KEYWORD.match(line):
                keyword, index, literal = m.groups()
                if keyword.startswith("msgstr"):
                    target = ("msgstr", int(index or 0))
                    entry["msgstr"][target[1]] = _unquote(literal)
                else:
                    target = (keyword,)
                    entry[keyword] = _unquote(literal)
            elif line.startswith('"'):
                if target[0] == "msgstr":
                    entry["msgstr"][target[1]] += _unquote(line)
                else:
                    entry[target[0]] += _unquote(line)
        if entry and "msgid" in entry:
            entries.append(entry)
    return entries


def catalogue_key(entry: dict, index: int | None = None) -> str | tuple[str, int]:
    """How Python's ``gettext.GNUTranslations`` keys a message in ``_catalog``."""
    msgid = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
    return msgid if index is None else (msgid, index)


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    return po_entries(PO.read_text(encoding="utf-8"))


def test_english_catalogue_header_is_english_utf8(entries) -> None:
    header = entries[0]
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_message_has_an_english_translation_and_none_is_fuzzy(entries) -> None:
    messages = entries[1:]
    assert len(messages) > 250  # the whole interface, not a stub
    untranslated = [e["msgid"] for e in messages if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    wrong_plurals = [e["msgid"] for e in messages if e["msgid_plural"] is not None and set(e["msgstr"]) != {0, 1}]
    assert untranslated == []
    assert fuzzy == []
    assert wrong_plurals == []


def test_translations_keep_their_placeholders(entries) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}|<[^>]+>")
    broken = [
        e["msgid"]
        for e in entries[1:]
        for s in e["msgstr"].values()
        if sorted(placeholder.findall(e["msgid"])) != sorted(placeholder.findall(s))
    ]
    assert broken == []


def test_compiled_catalogue_matches_the_po_file(entries) -> None:
    """django.mo holds exactly the translations of django.po: a .po edited but not compiled
    (``django-admin compilemessages``) fails here."""
    with MO.open("rb") as f:
        compiled = dict(gettext.GNUTranslations(f)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header
    expected: dict = {}
    for e in entries[1:]:
        if e["msgid_plural"] is None:
            expected[catalogue_key(e)] = e["msgstr"][0]
        else:
            expected |= {catalogue_key(e, i): s for i, s in e["msgstr"].items()}
    assert set(compiled) ^ set(expected) == set()
    assert {k for k in expected if compiled[k] != expected[k]} == set()


@pytest.mark.django_db
def test_language_cookie_switches_the_interface_between_indonesian_and_english(client) -> None:
    staff = make_staff(Role.KORKAB, BONDOWOSO)
    client.force_login(staff.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    for english in ("Home", "Regions", "Import", "Log out", "By status", "Regency/city coordinator (korkab)"):
        assert english in html
    assert ">Beranda<" not in html and ">Keluar<" not in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in html
    assert ">Beranda<" in html and ">Wilayah<" in html and "Koordinator kabupaten/kota" in html
    assert ">Home<" not in html


@pytest.mark.django_db
def test_english_switch_through_the_header_form_translates_the_page(client) -> None:
    staff = make_staff(Role.OPERATOR, BONDOWOSO)
    client.force_login(staff.user)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("registry:list")})
    html = client.get(reverse("registry:list")).content.decode()
    assert "Beneficiary families (KPM)" in html
    assert "All statuses" in html
    assert "Keluarga Penerima Manfaat" not in html
