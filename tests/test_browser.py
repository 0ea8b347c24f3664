"""End to end: a headless Chromium opens a programme page served by resolis-ld serve, reads it
and follows a link. Selenium drives Debian's chromium through its chromedriver (no download)."""

from __future__ import annotations

import os
import shutil

import pytest

from resolis_ld.server import open_site
from resolis_ld.store import load_store

from conftest import SEEDS, serve_site

BROWSERS = ["/usr/bin/chromium", "chromium", "google-chrome", "chromium-browser"]
DRIVERS = ["/usr/bin/chromedriver", "chromedriver"]


def _find(candidates: list[str]) -> str | None:
    for candidate in candidates:
        found = candidate if os.path.isfile(candidate) else shutil.which(candidate)
        if found:
            return found
    return None


BROWSER, DRIVER = _find(BROWSERS), _find(DRIVERS)
if not (BROWSER and DRIVER) and os.environ.get("CI") != "true":
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver; "
                ".ci/run installs them); in CI (CI=true) this test must run", allow_module_level=True)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory) -> str:
    directory = tmp_path_factory.mktemp("browser")
    store, _ = load_store([str(p) for p in SEEDS], path=directory / "store")
    del store
    site = open_site(directory / "store", "https://w3id.org/resolis/id/", None, 1, 10.0, 10_000)
    yield from serve_site(site)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert BROWSER and DRIVER, "CI=true but chromium or chromedriver is missing: .ci/run should have installed them"
    options = webdriver.ChromeOptions()
    options.binary_location = BROWSER
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_programme_page_and_its_links(browser, site_url):
    from selenium.webdriver.common.by import By

    browser.get(f"{site_url}/id/programme/time-for-parents-training-sessions")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Time for Parents Training Sessions"
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "8640" in text and "EUR" in text
    for funder in ("SAN", "CAF77", "Lieusaint town"):
        assert funder in text
    assert "CC-BY 3.0" in browser.find_element(By.TAG_NAME, "footer").text

    browser.find_element(By.LINK_TEXT, "Le Temps des Parents").click()
    assert browser.current_url == f"{site_url}/id/organisation/le-temps-des-parents"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Le Temps des Parents"
    assert "Time for Parents Training Sessions" in browser.find_element(By.TAG_NAME, "main").text  # referenced by

    browser.find_element(By.LINK_TEXT, "Programmes").click()
    assert "2 programme(s)" in browser.find_element(By.ID, "count").text
