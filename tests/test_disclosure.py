"""Vulnerability disclosure: security.txt (RFC 9116), the policy page (CISA BOD 20-01), and the
build's checks on the Expires date, by the day of the build (SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from psp_static import disclosure, pipeline
from psp_static.errors import ContentErrors
from tests.conftest import REAL_CONTENT, build, soup

SECURITY = "security:\n  expires: '{expires}'\n  issued: '2026-12-01'\n"


def on_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    midday = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(midday.timestamp())))


def with_security(content: Path, expires: str, extra: str = "") -> Path:
    """Give the fixture site a security block; return site.yaml and the line of ``expires``."""
    path = content / "site.yaml"
    path.write_text(path.read_text() + SECURITY.format(expires=expires) + extra)
    return path


def expires_line(path: Path) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line.startswith("  expires:"))


def fields(text: str) -> dict[str, list[str]]:
    """RFC 9116 fields: ``Name: value`` lines, comments skipped; a field may repeat."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(": ")
            found.setdefault(name, []).append(value)
    return found


def test_real_security_txt_has_the_rfc_9116_fields(real_site: Path) -> None:
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())
    base = config["base_url"].rstrip("/") + "/"
    text = (real_site / ".well-known" / "security.txt").read_text()
    got = fields(text)
    assert set(got) == {"Contact", "Expires", "Preferred-Languages", "Canonical", "Policy"}
    assert all(len(values) == 1 for name, values in got.items() if name != "Contact")
    email = config["security"].get("email", config["contact"]["email"])
    assert got["Contact"] == [f"mailto:{email}"]
    expires = dt.datetime.fromisoformat(got["Expires"][0])  # RFC 3339, with a zone
    assert expires.tzinfo is not None and expires.date().isoformat() == config["security"]["expires"]
    assert got["Canonical"] == [base + ".well-known/security.txt"]
    assert got["Policy"] == [base + "vulnerability-disclosure-policy/"]
    assert got["Preferred-Languages"] == [", ".join(config["security"].get("languages", [config["language"]]))]
    assert text.isascii() and text.endswith("\n")


def test_policy_page_has_the_elements_bod_20_01_lists(real_site: Path) -> None:
    config = yaml.safe_load((REAL_CONTENT / "site.yaml").read_text())
    page = soup(real_site / "vulnerability-disclosure-policy" / "index.html")
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    for wanted in ("Authorization", "Guidelines", "Test methods", "Scope", "Reporting a vulnerability"):
        assert wanted in headings
    main = page.select_one("main")
    assert main is not None
    text = " ".join(main.get_text(" ").split())
    assert "will not recommend or pursue legal action" in text
    assert "denial-of-service" in text
    email = config["security"].get("email", config["contact"]["email"])
    assert page.select_one(f'main a[href="mailto:{email}"]') is not None
    issued = page.select_one("main .page-updated time")
    assert issued is not None and issued["datetime"] == config["security"]["issued"]
    assert issued.get_text().startswith(dt.date.fromisoformat(config["security"]["issued"]).strftime("%B"))
    # Every page links to it from the footer.
    home = soup(real_site / "index.html")
    assert home.select_one('footer a[href="/vulnerability-disclosure-policy/"]') is not None


def test_no_security_block_publishes_neither(content: Path, tmp_path: Path) -> None:
    assert "security:" not in (content / "site.yaml").read_text()
    build(content, tmp_path / "out")
    assert not (tmp_path / "out" / ".well-known").exists()
    assert not (tmp_path / "out" / "vulnerability-disclosure-policy").exists()
    assert 'href="/vulnerability-disclosure-policy/"' not in (tmp_path / "out" / "index.html").read_text()


def test_languages_and_email_may_be_set(content: Path, tmp_path: Path) -> None:
    with_security(content, "2027-06-01", "  email: security@example.gov\n  languages: [en, es]\n")
    build(content, tmp_path / "out")
    got = fields((tmp_path / "out" / ".well-known" / "security.txt").read_text())
    assert got["Contact"] == ["mailto:security@example.gov"]
    assert got["Preferred-Languages"] == ["en, es"]
    page = soup(tmp_path / "out" / "vulnerability-disclosure-policy" / "index.html")
    assert "English or Spanish" in page.get_text()


@pytest.mark.parametrize(
    ("expires", "today", "message"),
    [
        ("2026-11-30", dt.date(2026, 12, 1), "security.expires 2026-11-30 has passed (today is 2026-12-01)"),
        ("2027-12-02", dt.date(2026, 12, 1), "security.expires 2027-12-02 is more than a year away "
         "(today is 2026-12-01); RFC 9116 asks for less than a year: set it to 2027-12-01 or earlier"),
    ],
)  # fmt: skip
def test_expires_passed_or_too_far_fails_the_build(
    content: Path, monkeypatch: pytest.MonkeyPatch, expires: str, today: dt.date, message: str
) -> None:
    path = with_security(content, expires)
    on_day(monkeypatch, today)
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    assert (error.path, error.line, error.col) == (str(path), expires_line(path), 12)
    assert error.message.startswith(message)


def test_expires_within_30_days_warns_and_strict_fails(
    content: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = with_security(content, "2027-01-15")
    on_day(monkeypatch, dt.date(2027, 1, 15) - dt.timedelta(days=disclosure.WARN_DAYS))
    pipeline.check(pipeline.Options(content=content))  # a warning: the build goes on
    assert "warning: security.expires 2027-01-15 is 30 days away" in caplog.text
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content), strict=True)
    [error] = caught.value.errors
    assert (error.path, error.line) == (str(path), expires_line(path))
    on_day(monkeypatch, dt.date(2027, 1, 15) - dt.timedelta(days=disclosure.WARN_DAYS + 1))
    pipeline.check(pipeline.Options(content=content), strict=True)  # a day earlier: nothing to say
    on_day(monkeypatch, dt.date(2027, 1, 15))
    with pytest.raises(ContentErrors):  # on the last day it still warns; the day after, it fails
        pipeline.check(pipeline.Options(content=content), strict=True)
    on_day(monkeypatch, dt.date(2027, 1, 16))
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    assert "has passed" in caught.value.errors[0].message


def test_a_year_ahead_is_the_limit(content: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_security(content, "2029-02-28")
    on_day(monkeypatch, dt.date(2028, 2, 29))  # a leap day: a year later is February 28
    pipeline.check(pipeline.Options(content=content), strict=True)
    assert disclosure.a_year_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_a_wrong_expires_is_one_schema_error_not_a_crash(content: Path) -> None:
    path = with_security(content, "30/11/2027")
    with pytest.raises(ContentErrors) as caught:
        pipeline.check(pipeline.Options(content=content))
    [error] = caught.value.errors
    assert (error.path, error.line) == (str(path), expires_line(path))
