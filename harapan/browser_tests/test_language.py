"""The language switch in the header changes the page language (Indonesian first, English)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ENGLISH_CATALOG = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES" / "django.mo"


def test_login_page_switches_from_indonesian_to_english(page: Any, scope_world: Any) -> None:
    page.goto("/akun/masuk/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.get_by_test_id("login-username").fill("u_korkab")
    page.get_by_test_id("login-password").fill("salah")
    page.get_by_test_id("login-submit").click()
    # Django's own message, from its Indonesian catalogue.
    expect(page.get_by_test_id("login-error")).to_contain_text("Masukkan nama pengguna")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_test_id("login-username").fill("u_korkab")
    page.get_by_test_id("login-password").fill("salah")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("Please enter a correct username")


def test_logged_in_user_switches_to_english_and_back(page: Any, login: Any, scope_world: Any) -> None:
    login(page, scope_world.staff["korkab"])
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_test_id("nav-home")).to_have_text("Beranda")
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/")  # stays on the same page
    if ENGLISH_CATALOG.exists():
        expect(page.get_by_test_id("nav-home")).to_have_text("Home")
    page.get_by_test_id("lang-id").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_test_id("nav-home")).to_have_text("Beranda")
