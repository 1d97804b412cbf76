"""Browser test: headless Chromium (Debian `chromium` + `chromium-driver`, driven by Selenium) opens the UI
served on 127.0.0.1 with the seeds loaded, asks 矿区环保中队负责哪些任务, checks the answer table against
the extractor's reading of seed 001, opens the responsibility network and checks that it draws.
Screenshots go to tests/output/. Skips without Chromium locally; under CI=true a missing browser fails."""
from __future__ import annotations

import contextlib
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import IN_CI, seed

# the UI does not depend on the engine: the browser runs against the embedded store only
pytestmark = [pytest.mark.browser, pytest.mark.parametrize("seeded_store", ["embedded"], indirect=True)]

OUT = Path(__file__).resolve().parent / "output"
UNIT = "矿区环保中队"


def _browser() -> tuple[str, str]:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        chrome = None
    if not chrome or not driver:
        msg = "headless Chromium + chromedriver + selenium needed (apt-get install chromium chromium-driver)"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return chrome, driver


class Server:
    def __init__(self, app, url):
        self.app, self.url = app, url


@contextlib.contextmanager
def serving(app):
    """Run `app` with uvicorn on a free 127.0.0.1 port in a thread; yields its base URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 60
    while not srv.started:
        assert time.time() < deadline, "server did not start"
        assert thread.is_alive(), "server thread died"
        time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def http_server():
    """One uvicorn server on a free 127.0.0.1 port for the module; each test points it at its store."""
    _browser()
    from kg.api.app import create_app

    app = create_app(object())  # replaced by the test's store before any request (see `server`)
    with serving(app) as url:
        yield Server(app, url)


@pytest.fixture
def server(http_server, seeded_store):
    http_server.app.state.set_store(seeded_store)
    return http_server.url


@pytest.fixture(scope="module")
def browser(http_server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chrome, driver = _browser()
    opts = webdriver.ChromeOptions()
    opts.binary_location = chrome
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1100", "--lang=zh-CN"]:
        opts.add_argument(arg)
    profile = tempfile.mkdtemp(prefix="kg-chrome-")
    opts.add_argument(f"--user-data-dir={profile}")
    d = webdriver.Chrome(service=Service(driver), options=opts)
    d.set_page_load_timeout(60)
    OUT.mkdir(exist_ok=True)
    yield d
    d.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(fn, timeout=60.0, step=0.25, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        value = fn()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def open_tab(d, label):
    from selenium.webdriver.common.by import By

    tab = wait_for(lambda: [b for b in d.find_elements(By.CSS_SELECTOR, "button[role=tab]") if b.text.strip() == label],
                   what=f"tab {label}")[0]
    tab.click()
    time.sleep(0.5)


def expected_headings() -> set[str]:
    """Tasks of seed 001 whose units include 矿区环保中队, read by the extractor (not by the store)."""
    from kg.extract import extract_file

    plan = extract_file(seed("001"))
    return {t.heading for t in plan.tasks if any(u.name == UNIT for u in t.units)}


def test_ask_shows_the_units_tasks(server, browser):
    from selenium.webdriver.common.by import By

    d = browser
    want = expected_headings()
    assert "加快燃煤锅炉拆改" in want
    d.get(server + "/ui/")
    box = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#kg-question textarea, #kg-question input"),
                   what="question box")[0]
    box.send_keys(f"{UNIT}负责哪些任务")
    d.find_element(By.ID, "kg-ask").click()
    rows = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#kg-answer-table tbody tr"), what="answer table")
    headers = [th.text.strip() for th in d.find_elements(By.CSS_SELECTOR, "#kg-answer-table thead th")]
    col = headers.index("任务")
    got = {r.find_elements(By.TAG_NAME, "td")[col].text.strip() for r in rows}
    assert got == want, (sorted(want - got), sorted(got - want))
    # nothing is fetched from outside (no CDN, no web fonts): the machine may have no internet
    resources = d.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [u for u in resources if not u.startswith(server)] == []
    # the chat shows the written answer
    assert UNIT in d.find_element(By.ID, "kg-chat").text
    # a row's evidence opens on click and quotes the source
    boiler = next(r for r in rows if "加快燃煤锅炉拆改" in r.text)
    boiler.find_element(By.CSS_SELECTOR, "details summary").click()
    quote = wait_for(lambda: boiler.find_element(By.CSS_SELECTOR, ".kg-quote").text, what="evidence quote")
    assert "加快燃煤锅炉拆改" in quote
    d.execute_script("arguments[0].scrollIntoView({block: 'center'})", boiler)
    time.sleep(0.3)
    d.save_screenshot(str(OUT / "ui_ask.png"))
    # the Cypher is there, folded
    toggle = d.find_element(By.CSS_SELECTOR, "#kg-cypher-box button.label-wrap")
    d.execute_script("arguments[0].click()", toggle)
    wait_for(lambda: any("MATCH" in e.text for e in d.find_elements(By.ID, "kg-cypher")), what="cypher text")
    # follow-up keeps the context
    box = d.find_element(By.CSS_SELECTOR, "#kg-question textarea, #kg-question input")
    box.send_keys("这个任务的截止时间呢？")
    d.find_element(By.ID, "kg-ask").click()
    wait_for(lambda: d.find_element(By.ID, "kg-chat").text.split("这个任务的截止时间呢")[-1].strip(" ？?\n"),
             what="follow-up answer")
    reply = d.find_element(By.ID, "kg-chat").text.split("这个任务的截止时间呢")[-1]
    assert "没有认出" not in reply, reply


def test_network_view_draws(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser
    d.get(server + "/ui/")
    open_tab(d, "责任网络")
    inp = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#kg-net-unit input"), what="unit picker")[0]
    inp.click()
    inp.send_keys(UNIT)
    time.sleep(0.5)
    inp.send_keys(Keys.ENTER)
    d.find_element(By.ID, "kg-net-btn").click()
    frame = wait_for(lambda: d.find_elements(By.ID, "kg-network-frame"), what="network frame")[0]
    assert UNIT in frame.get_attribute("src") or "unit=" in frame.get_attribute("src")
    d.switch_to.frame(frame)
    try:
        wait_for(lambda: d.execute_script("return document.body.dataset.drawn === '1'"), what="network drawn")
        assert d.find_elements(By.TAG_NAME, "canvas"), "no canvas"
        nodes = int(d.execute_script("return document.body.dataset.nodes"))
        edges = int(d.execute_script("return document.body.dataset.edges"))
        assert nodes > 0 and edges > 0
        assert nodes == d.execute_script("return window.kgNetwork.body.data.nodes.length")
        # the canvas is not blank: some pixels differ from the background
        painted = d.execute_script("""
            const c = document.querySelector('canvas'); const g = c.getContext('2d');
            const px = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < px.length; i += 4 * 50) if (px[i + 3] > 0) n++; return n;""")
        assert painted > 50
        # clicking a task node shows its facts
        d.execute_script("""
            const t = window.kgGraph.nodes.find(n => n.kind === 'task' && (n.facts['任务'] || '').includes('燃煤锅炉'));
            window.kgNetwork.selectNodes([t.id]);
            window.kgNetwork.body.emitter.emit('click', {nodes: [t.id], edges: []});""")
        wait_for(lambda: "加快燃煤锅炉拆改" in d.find_element(By.ID, "facts").text, what="node facts")
        wait_for(lambda: "原文" in d.find_element(By.ID, "facts").text, what="task evidence in the side panel")
    finally:
        d.switch_to.default_content()
    time.sleep(1.0)  # let the layout settle for the picture
    d.save_screenshot(str(OUT / "ui_network.png"))


def test_trace_and_overview_render(server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    d = browser
    d.get(server + "/ui/")
    open_tab(d, "溯源")
    doc = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#kg-trace-doc input"), what="document picker")[0]
    doc.click()
    doc.send_keys("送表矿区2019年大气")
    time.sleep(0.5)
    doc.send_keys(Keys.ENTER)
    box = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#kg-trace-text textarea, #kg-trace-text input"),
                   what="trace box")[0]
    box.send_keys("加快燃煤锅炉拆改")
    d.find_element(By.ID, "kg-trace-btn").click()
    out = wait_for(lambda: d.find_element(By.ID, "kg-trace-out").text if "最高层级" in
                   d.find_element(By.ID, "kg-trace-out").text else "", what="trace tree")
    assert "送表矿区2019年大气污染防治攻坚战实施方案" in out and "登封市2019年大气污染防治攻坚战实施方案" in out
    d.save_screenshot(str(OUT / "ui_trace.png"))
    open_tab(d, "概览")
    asof = d.find_element(By.CSS_SELECTOR, "#kg-ov-asof textarea, #kg-ov-asof input")
    asof.clear()
    asof.send_keys("2019-11-01")
    d.find_element(By.ID, "kg-ov-btn").click()
    wait_for(lambda: "截至 2019-11-01" in d.page_source, what="overview note")
    time.sleep(1.5)
    d.save_screenshot(str(OUT / "ui_overview.png"))
