"""derive serve (derive/web/): the API through Starlette's TestClient, and one end-to-end test in headless
Chromium (the OS package, driven by Playwright through executable_path; skipped with the reason when no
browser or no Playwright is installed; nothing is downloaded)."""
from __future__ import annotations

import json
import shutil
import warnings
import socket
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx (the test extra)")

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx (the test extra) still drives TestClient
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from derive.cli import main  # noqa: E402
from derive.web.app import create_app  # noqa: E402
from derive.web.checks import Limits  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
WRONG = ROOT / "tests" / "homework" / "mistakes" / "bellman_missing_gamma.md"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(Limits(timeout=60)))


def _cli_json(path: Path, capsys) -> dict:
    main(["check", "--json", str(path)])
    return json.loads(capsys.readouterr().out)


def test_check_answers_the_json_of_derive_check(client, capsys):
    expected = _cli_json(WRONG, capsys)
    resp = client.post("/api/check", json={"text": WRONG.read_text(encoding="utf-8"), "options": {}})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    got = resp.json()
    assert got["results"][0]["file"] == "<input>"
    expected["results"][0]["file"] = "<input>"
    assert got == expected
    assert [s["verdict"] for s in got["results"][0]["steps"]] == ["holds", "fails"]


def test_hostile_formula_gets_the_cli_message(client, tmp_path, capsys):
    text = "$$ x^{10^{100000}} = 1 $$\n"
    (tmp_path / "huge.md").write_text(text, encoding="utf-8")
    expected = _cli_json(tmp_path / "huge.md", capsys)["results"][0]["steps"][0]
    step = client.post("/api/check", json={"text": text}).json()["results"][0]["steps"][0]
    assert step == expected and step["verdict"] == "unknown" and "too large" in step["reason"]


def test_options_are_front_matter_keys(client):
    text = "$$ V^\\pi(s) = \\sum_a \\pi(a|s) Q^\\pi(s,a) $$\n"
    ok = client.post("/api/check", json={"text": text, "options": {"setting": "discounted", "gamma": "1/2"}})
    assert ok.status_code == 200 and ok.json()["results"][0]["setting"] == "discounted"
    bad = client.post("/api/check", json={"text": text, "options": {"gamma": "2"}})
    assert bad.status_code == 400 and "gamma" in bad.json()["error"]


@pytest.mark.parametrize("body, words", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"text": 3}', '"text" must be'),
    (b'{"text": "x", "extra": 1}', "unknown key 'extra'"),
    (b'{"text": "x", "options": {"timeout": 1}}', "unknown option 'timeout'"),
    (b'{"text": "x", "options": {"memory_mb": 99999}}', "unknown option 'memory_mb'"),
    (b'{"text": "x", "options": []}', '"options" must be'),
    ("{\"text\": \"---\\nbogus: 1\\n---\\n\"}".encode(), "<input>:2:1: unknown front matter key 'bogus'"),
    ("{\"text\": \"---\\ncatalog: [/etc]\\n---\\n$$a = b$$\"}".encode(), "does not read catalog folders"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
])
def test_bad_requests_are_400_with_a_message(client, body, words):
    resp = client.post("/api/check", content=body, headers={"content-type": "application/json"})
    assert resp.status_code == 400
    assert words in resp.json()["error"] and "Traceback" not in resp.text


def test_a_path_as_text_is_never_read(client):
    """A one-line text naming a file is Markdown text on the page, never that file (derive.check would read it)."""
    result = client.post("/api/check", json={"text": str(WRONG)}).json()["results"][0]
    assert result["file"] == "<input>" and result["steps"] == [] and result["title"] == ""


def test_body_size_limit_is_413():
    small = TestClient(create_app(Limits(max_body=1000)))
    resp = small.post("/api/check", json={"text": "x" * 2000})
    assert resp.status_code == 413 and "too large" in resp.json()["error"]

    def chunks():  # no Content-Length: the stream is cut once it passes the limit
        for _ in range(10):
            yield b"x" * 500
    assert small.post("/api/check", content=chunks()).status_code == 413


def test_concurrency_limit_is_503():
    limits = Limits(max_checks=1)
    busy = TestClient(create_app(limits))
    assert limits.admitted.acquire(blocking=False)  # one check running
    try:
        resp = busy.post("/api/check", json={"text": "$$a = b$$"})
    finally:
        limits.admitted.release()
    assert resp.status_code == 503 and "busy" in resp.json()["error"]


def test_catalog_and_proofs_are_listed_and_opened(client):
    listed = client.get("/api/files").json()
    assert {"catalog", "proofs"} <= set(listed)
    assert "gae.md" in {f["name"] for f in listed["catalog"]}
    proof = listed["proofs"][0]["name"]
    got = client.get("/api/file", params={"folder": "proofs", "name": proof}).json()
    assert got["text"] == (ROOT / "proofs" / proof).read_text(encoding="utf-8")
    assert client.get("/api/file", params={"folder": "catalog", "name": "gae.md"}).status_code == 200


@pytest.mark.parametrize("folder, name", [("proofs", "../README.md"), ("catalog", "../../pyproject.toml"),
                                          ("proofs", "/etc/passwd"), ("src", "gae.md"), ("catalog", "")])
def test_no_other_path_is_opened(client, folder, name):
    resp = client.get("/api/file", params={"folder": folder, "name": name})
    assert resp.status_code == 404 and "text" not in resp.json()


def test_page_and_katex_are_served_locally(client):
    page = client.get("/").text
    assert "/katex/katex.min.js" in page and "http://" not in page and "https://" not in page
    for url in ("/katex/katex.min.js", "/katex/katex.min.css", "/static/app.js", "/static/app.css"):
        assert client.get(url).status_code == 200, url
    assert client.get("/static/../checks.py").status_code == 404


def test_serve_defaults_to_localhost():
    from derive.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--port", "70000"])


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        pytest.skip("no headless Chromium (apt-get install chromium)")
    return exe


@pytest.mark.slow
def test_page_judges_a_typed_derivation_in_chromium():
    exe = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (the test extra)")
    uvicorn = pytest.importorskip("uvicorn", reason="the web extra is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Limits(timeout=60)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started and thread.is_alive():
            time.sleep(0.05)
        text = WRONG.read_text(encoding="utf-8")
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                page.fill("#editor", text[:-30])
                page.type("#editor", text[-30:], delay=15)  # typing: the checks are debounced and the stale ones aborted
                page.wait_for_selector(".step.fails", timeout=90_000)
                failing = page.inner_text(".step.fails")
                assert failing.startswith("step 2: fails") and "counterexample" in failing
                assert "missing gamma" in failing
                assert page.locator("#preview .katex").count() >= 1
                assert page.locator(".katex-error").count() == 0
                # a file from proofs/ opens in the editor
                page.select_option("#open", index=1)
                page.wait_for_function("document.getElementById('editor').value.startsWith('---')")
            finally:
                browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
