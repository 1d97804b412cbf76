"""Browser test of the 督办 tab with accounts on: the UI asks for a login, a reporter of 县住建局 signs in
with its token, reports progress on its task, and sees it in the task list; the store and the audit
have it. Headless Chromium as in test_ui_browser.py (skips without it locally, fails under CI)."""
from __future__ import annotations

import time

import pytest

from test_duban_api import DOC, PLAN_V1, T_ZJ
from test_ui_browser import OUT, _browser, browser, serving, wait_for  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("graph_store", ["embedded"], indirect=True)]


@pytest.fixture(scope="module")
def http_server(tmp_path_factory):
    """Its own server: the login page is decided when the app is made (accounts with users)."""
    _browser()
    from kg.api.app import create_app
    from kg.supervision.accounts import Accounts

    acc = Accounts(tmp_path_factory.mktemp("acc") / "accounts.sqlite3")
    token = acc.add("住建填报员", "reporter", "县住建局")
    app = create_app(object(), ui=True, accounts=acc)

    class S:
        pass

    with serving(app) as url:
        out = S()
        out.app, out.url, out.acc, out.token = app, url, acc, token
        yield out


def pick(d, css, text):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    inp = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, css), what=css)[0]
    inp.click()
    inp.send_keys(text)
    time.sleep(0.8)
    inp.send_keys(Keys.ENTER)


def test_login_report_progress_and_see_it(http_server, graph_store, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from kg.extract import extract_file
    from test_ui_browser import open_tab

    p = tmp_path / "v1.txt"
    p.write_text(PLAN_V1, encoding="utf-8")
    graph_store.load_plan(extract_file(p))
    http_server.app.state.set_store(graph_store)
    d = browser
    d.get(http_server.url + "/ui/")
    # the login page: name + token
    user = wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "input[type=text], input:not([type])"), what="login form")[0]
    pwd = d.find_element(By.CSS_SELECTOR, "input[type=password]")
    user.send_keys("住建填报员")
    pwd.send_keys(http_server.token)
    d.find_element(By.CSS_SELECTOR, "button").click()
    open_tab(d, "督办")
    wait_for(lambda: "住建填报员" in d.find_element(By.ID, "kg-db-user").text, what="signed-in user")
    pick(d, "#kg-db-unit input", "县住建局")
    wait_for(lambda: "六个百分百" in d.find_element(By.ID, "kg-db-out").text or
             "加强施工工地" in d.find_element(By.ID, "kg-db-out").text, what="task list")
    pick(d, "#kg-db-task input", "加强施工")
    d.find_element(By.CSS_SELECTOR, "#kg-db-note textarea, #kg-db-note input").send_keys("浏览器填报：检查工地 5 处")
    d.find_element(By.ID, "kg-db-submit").click()
    wait_for(lambda: "已记录" in d.find_element(By.ID, "kg-db-msg").text, what="confirmation")
    wait_for(lambda: "浏览器填报" in d.find_element(By.ID, "kg-db-out").text, what="progress in the list")
    assert "推进中" in d.find_element(By.ID, "kg-db-out").text
    d.save_screenshot(str(OUT / "ui_duban.png"))
    rows = graph_store.run("MATCH (p:Progress)-[:ON]->(t:Task) RETURN t.id AS id, p.user AS user, p.note AS note")
    assert rows == [{"id": T_ZJ, "user": "住建填报员", "note": "浏览器填报：检查工地 5 处"}]
    assert http_server.acc.audit_log(action="progress")[0]["user"] == "住建填报员"
    # the 责任网络 view opens on the busiest units and draws with the user's read ticket
    open_tab(d, "责任网络")
    frame = wait_for(lambda: d.find_elements(By.ID, "kg-network-frame"), what="network frame")[0]
    assert "ticket=tk_" in frame.get_attribute("src")
    d.switch_to.frame(frame)
    try:
        wait_for(lambda: d.execute_script("return document.body.dataset.drawn === '1'"), what="network drawn")
        assert int(d.execute_script("return document.body.dataset.nodes")) > 0
    finally:
        d.switch_to.default_content()
    # the API of the same server needs the token
    import httpx

    assert httpx.get(http_server.url + "/api/documents").status_code == 401
    r = httpx.get(http_server.url + "/api/ledger", params={"doc_id": DOC},
                  headers={"Authorization": f"Bearer {http_server.token}"})
    assert r.status_code == 200 and r.json()[0]["status"] == "推进中"
