#!/usr/bin/python3
"""Every staff page on a phone (390x844) and a desk (1280x800), in Debian's headless chromium: no
sideways scroll, every control named by a label, touch targets of at least 44 px, text contrast
WCAG AA; a full-page screenshot of each kept in TEST_RUN_DIR/screens/.

Run by `make test` (.ci/test) against the running stack. Prints `N passed, N failed`.
"""
import base64
import os
import random
import subprocess
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from booking_test import BASE, DB, RUN_DIR, run, sign_in, sql

SIZES = [(390, 844), (1280, 800)]
SCREENS = os.path.join(RUN_DIR, "screens")

# What the page is checked for, in the page itself: a list of problems, empty when it is right.
AUDIT = r"""
const problems = [];
const doc = document.documentElement;
if (doc.scrollWidth > doc.clientWidth + 1)
  problems.push(`sideways scroll: ${doc.scrollWidth} px wide in ${doc.clientWidth}`);
const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return r.width > 2 && r.height > 2 && s.visibility !== 'hidden' && s.display !== 'none' && r.left > -1000; };
const name = e => e.outerHTML.slice(0, 90);
for (const e of document.querySelectorAll('input, select, textarea, button')) {
  if (e.type === 'hidden' || !visible(e)) continue;
  const labelled = (e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`)) || e.closest('label')
    || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')
    || (e.tagName === 'BUTTON' && e.textContent.trim());
  if (!labelled) problems.push(`no label: ${name(e)}`);
}
// Controls and the links that act as controls (navigation, pager, actions, table links); a link
// inside running text is exempt (WCAG 2.5.8).
for (const e of document.querySelectorAll('button, input, select, textarea, summary, nav a, header a, .pager a, .actions a, td a, a.action, a.button')) {
  if (e.type === 'hidden' || !visible(e)) continue;
  const r = e.getBoundingClientRect();
  if (r.height < 43.5 && !e.closest('td')) problems.push(`under 44 px (${Math.round(r.height)}): ${name(e)}`);
  if (r.height < 23.5) problems.push(`under 24 px (${Math.round(r.height)}): ${name(e)}`);
}
const rgba = c => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const background = e => { for (; e; e = e.parentElement) { const c = rgba(getComputedStyle(e).backgroundColor);
  if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
for (const e of document.querySelectorAll('body *')) {
  const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !visible(e)) continue;
  const s = getComputedStyle(e);
  const a = lum(rgba(s.color)), b = lum(background(e));
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) problems.push(`contrast ${ratio.toFixed(2)}: ${name(e)}`);
}
return problems;
"""


def screenshot(driver, path):
    """The whole page, not only what fits the window."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))


def audit(driver, label, path, size):
    driver.set_window_size(*size)
    driver.get(BASE + path)
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert driver.current_url.endswith(path) or "/staff/login" not in driver.current_url, driver.current_url
    screenshot(driver, os.path.join(SCREENS, f"{label}-{size[0]}.png"))
    return [f"{label} at {size[0]} px: {p}" for p in driver.execute_script(AUDIT)]


def pages():
    """Every staff page, with data on it: the newest customer, the busiest coming day, a closed day."""
    kode = sql("SELECT kode_cs FROM customer WHERE kode_cs LIKE 'CS-%' ORDER BY id_customer DESC LIMIT 1")
    busiest = sql("SELECT tanggal_booking FROM booking_online WHERE tanggal_booking >= current_date "
                  "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
    studio = sql("SELECT min(id_studio) FROM studio")
    booking = sql("SELECT max(id_booking) FROM booking_online WHERE dibatalkan_pada IS NULL AND ref IS NOT NULL")
    return [
        ("customers", "/staff/customers"),
        ("customers-search", "/staff/customers?q=a"),
        ("customer", f"/staff/customers/{kode}"),
        ("day", f"/staff/bookings?tanggal={busiest}"),
        ("today", "/staff/bookings"),
        ("studios", "/staff/studios"),
        ("studio", f"/staff/studios/{studio}"),
        ("closed-days", "/staff/libur"),
        ("accounts", "/staff/akun"),
        ("desk", "/staff/bookings/baru"),
        ("desk-search", "/staff/bookings/baru?cari=a"),
        ("booking", f"/staff/bookings/{booking}"),
    ]


def test_every_staff_page_at_both_sizes(driver):
    os.makedirs(SCREENS, exist_ok=True)
    problems = []
    for size in SIZES:
        problems += audit(driver, "login", "/staff/login", size)
    username = f"layar{random.randint(1000, 999999)}"
    subprocess.run([os.environ["TEST_BINARY"], "staff", "add", username, "--admin"], input="rahasia-layar-1\n",
                   text=True, env={**os.environ, "DATABASE_URL": DB}, check=True, capture_output=True)
    sign_in(driver, username, "rahasia-layar-1")
    for label, path in pages():
        for size in SIZES:
            problems += audit(driver, label, path, size)
    assert not problems, "\n".join(problems)


def main():
    return run([test_every_staff_page_at_both_sizes])


if __name__ == "__main__":
    sys.exit(main())
