"""The web page in headless Chromium (Debian's, driven by Playwright) against the API
served by `python -m bpsa.api` (uvicorn, two worker processes) on a free loopback port:
the verification page answers a licensed and an unlicensed device code and a code that
cannot be read; the dashboard draws the pool; the API's documentation (Swagger UI and
ReDoc) lists every operation with the network cut. Screenshots go under the test's
tmp_path, the last of each page also to build/screenshots/."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .conftest import CN_NUMBER as CN
from .conftest import World

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "build" / "screenshots"

pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def served(api_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API and its page served by `python -m bpsa.api`; its URL."""
    payments = tmp_path_factory.mktemp("served") / "payments.sqlite"
    command = [
        sys.executable, "-m", "bpsa.api", "--manifest", str(api_world.manifest_path),
        "--rpc", api_world.rpc_url, "--db", api_world.database, "--port", "0",
        "--workers", "2", "--payments-db", str(payments),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("serving http://127.0.0.1:"), line
        yield line.split()[1]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def page(served: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1100, "height": 900})
            yield tab
        finally:
            browser.close()


def shoot(page: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / f"{name}.png")
    return path


def submit(page: Any, text: str) -> tuple[str, str]:
    """Paste `text`, press Verify; the verdict shown and its reason code."""
    page.fill("#payload", text)
    page.click("#verify-button")
    page.wait_for_function(
        "() => !['', 'Checking…'].includes(document.getElementById('verdict').textContent)"
    )
    verdict = page.locator("#verdict")
    return verdict.inner_text(), verdict.get_attribute("data-reason") or ""


def test_verification_page__licensed_then_counterfeit__each_answer_shown(
    page, served, api_world: World, tmp_path
):
    page.goto(served + "/")
    assert page.locator("label[for=payload]").inner_text() == "QR code text"
    assert page.locator("#answer").get_attribute("aria-live") == "polite"

    licensed = submit(page, api_world.genuine)
    facts = page.locator("#licence").inner_text()
    shoot(page, tmp_path, "verify-licensed")
    unlicensed = submit(page, api_world.counterfeit)
    last = shoot(page, tmp_path, "verify")

    assert licensed == ("Licensed", "device_in_batch")
    assert f"#{api_world.batch}" in facts and "300" in facts
    assert unlicensed == ("Not licensed", "not_in_batch")
    assert "yes" not in (page.locator("#answer").get_attribute("class") or "")
    assert last.stat().st_size > 10_000
    # The QR image loads after the verdict shows (verify.js sets its src last): wait for
    # it, so a busy machine is not mistaken for a broken image.
    page.wait_for_function(
        "() => { const img = document.getElementById('code-image');"
        " return img.complete && img.naturalWidth > 0; }",
        timeout=10_000,
    )


def test_verification_page__keyboard_only__claim_verified_and_unreadable_code_explained(
    page, served, api_world: World
):
    page.goto(served + "/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the three nav links, into the text box
    assert page.evaluate("document.activeElement.id") == "payload"
    page.keyboard.insert_text(api_world.claim)
    page.focus("#verify-button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('verdict').dataset.reason")
    claim = page.locator("#verdict").get_attribute("data-reason")

    unreadable = submit(page, "BPSA2D:NOT-A-REAL-CODE")

    assert claim == "claim_holds"
    assert unreadable == ("Cannot verify this code", "unreadable_code")


def test_dashboard__indexed_pool__cards_prices_patents_and_nav_chart(page, served, tmp_path):
    page.goto(served + "/dashboard")
    page.wait_for_selector("#patents tbody tr")
    page.wait_for_selector("#nav-chart svg")

    tiers = page.locator("#tiers tbody tr").all_inner_texts()
    patents = page.locator("#patents tbody tr").all_inner_texts()
    points = page.locator("#nav-chart svg circle").count()
    shoot(page, tmp_path, "dashboard")

    assert len(tiers) == 5 and any("council grant" in t for t in tiers)
    assert any("ZL201810123456" in p and "pooled" in p for p in patents)
    assert points >= 2
    assert "indexed to block" in page.locator("#status").inner_text()


def test_dashboard__stale_valuations__shaded_with_a_legend_and_flagged(page, served, tmp_path):
    """US 11000001's valuation is stale (conftest.py): the chart shades the stale share of
    the NAV, says what the shading is, and the patents table flags the patent."""
    page.goto(served + "/dashboard")
    page.wait_for_selector("#nav-chart svg")
    page.wait_for_selector("#patents tbody tr")

    area = page.locator('#nav-chart svg path[data-series="stale"]')
    legend = page.locator("#nav-legend li").all_inner_texts()
    now = page.locator("#stale-now").inner_text()
    rows = page.locator("#patents tbody tr").all_inner_texts()
    cards = page.locator("#cards").inner_text()
    shoot(page, tmp_path, "dashboard-stale")

    assert area.count() == 1
    bars = page.locator("#nav-chart svg rect.stale-bar")
    assert bars.count() >= 1  # the last NAV point's share is above zero (50%)
    assert float(bars.last.get_attribute("height") or 0) > 50
    assert any("stale valuations" in item for item in legend)
    assert any("NAV per BPC" in item for item in legend)
    assert "stale valuation(s)" in now and "%" in now
    assert any("11000001" in r and "stale since" in r for r in rows)
    assert any(CN in r and "due " in r for r in rows)
    assert "of the NAV in stale valuations" in cards


def only_from(page: Any, served: str) -> list[tuple[str, str]]:
    """Cuts `page` off every host but the service's (as on a machine without internet):
    what it tried elsewhere and was refused, as (resource type, URL)."""
    here = urlsplit(served).netloc
    refused: list[tuple[str, str]] = []

    def route(request_route: Any) -> None:
        request = request_route.request
        if urlsplit(request.url).netloc == here:
            request_route.continue_()
        else:
            refused.append((request.resource_type, request.url))
            request_route.abort()

    page.route("**/*", route)
    return refused


def test_docs__network_cut__swagger_ui_and_redoc_list_every_operation(
    page: Any, served: str, tmp_path: Path
) -> None:
    refused = only_from(page, served)
    operations = len(json.loads(page.request.get(served + "/openapi.json").text())["paths"])

    page.goto(served + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    swagger = page.locator(".opblock").count()
    shoot(page, tmp_path, "docs-offline")
    page.goto(served + "/redoc")
    page.wait_for_selector("[data-section-id^='operation/']", timeout=20_000)
    redoc = page.locator("[data-section-id^='operation/']").count()

    # ReDoc's footer links its maker's logo from a CDN: an image, shown as its alt text
    # offline. Nothing the pages need to work (a script, a style, the schema) comes from
    # anywhere but the service.
    assert [url for kind, url in refused if kind != "image"] == []
    assert operations >= 20
    assert swagger >= operations and redoc >= operations
