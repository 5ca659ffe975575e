"""Fixtures for real-browser tests: Debian's Chromium driven by Playwright against ``live_server``.

Chromium is the Debian package (/usr/bin/chromium, ``scripts/install-system-deps.sh``); Playwright never
downloads a browser of its own here. Each test gets a fresh browser context (no cookies shared).
When a test fails, a screenshot and the page's HTML go to ``var/test-artifacts/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("HARAPAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remember each phase's report on the item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: run scripts/install-system-deps.sh", pytrace=False)
    # Artifacts of an earlier run would be mistaken for this run's failures.
    for old in ARTIFACTS.glob("*") if ARTIFACTS.is_dir() else []:
        old.unlink()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a
    # thread with a running loop unless told that this is safe (it is: the loop never awaits ORM).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[-150:]


def _new_page(request: pytest.FixtureRequest, browser: Any, base_url: str, **options: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, locale="id-ID", timezone_id="Asia/Jakarta", **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if msg.type == "error" else None)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = _artifact_name(request.node.nodeid)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            (ARTIFACTS / f"{name}.html").write_text(f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8")
            if errors:
                (ARTIFACTS / f"{name}.console.txt").write_text("\n".join(errors), encoding="utf-8")
        except Exception as exc:  # the page may be gone; the test's own failure is what matters
            print(f"could not save browser artifacts for {request.node.nodeid}: {exc}")
    context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, playwright_browser: Any, live_server: Any) -> Iterator[Any]:
    """A desktop-sized page whose relative URLs go to the live server."""
    yield from _new_page(request, playwright_browser, live_server.url, viewport=DESKTOP)


@pytest.fixture
def phone_page(request: pytest.FixtureRequest, playwright_browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (360 x 740, touch), as a pendamping uses Harapan in the field."""
    yield from _new_page(request, playwright_browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)


def log_in(page: Any, username: str, password: str) -> None:
    """Log in through the real login form at /akun/masuk/ and wait to leave it."""
    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


@pytest.fixture
def login() -> Callable[..., None]:
    """``login(page, staff_or_user)``: log in through the login form with the factories' password."""
    from harapan.testing import PASSWORD

    def _login(page: Any, who: Any, password: str = PASSWORD) -> None:
        user = getattr(who, "user", who)
        log_in(page, user.get_username(), password)

    return _login
