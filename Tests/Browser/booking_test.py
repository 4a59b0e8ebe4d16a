#!/usr/bin/python3
"""The booking flow in a real browser: Debian's chromium, headless, on a phone-sized screen.

Run by `make test` (.ci/test) against the running stack; reads TEST_BASE_URL, TEST_APP_DATABASE_URL,
TEST_APP_LOG_FILE and TEST_RUN_DIR. Prints `N passed, N failed` and exits non-zero on any failure.
"""
import datetime
import os
import random
import re
import subprocess
import sys
import traceback
import zoneinfo

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["TEST_BASE_URL"]
DB = os.environ["TEST_APP_DATABASE_URL"]
LOG = os.environ["TEST_APP_LOG_FILE"]
RUN_DIR = os.environ.get("TEST_RUN_DIR", "/tmp")


def sql(query, *args):
    """One value from the app's database, through psql with bound variables."""
    cmd = ["psql", DB, "-qtA", "-v", "ON_ERROR_STOP=1"]
    for i, a in enumerate(args):
        cmd += ["-v", f"p{i}={a}"]
    return subprocess.run(cmd, input=query, capture_output=True, text=True, check=True).stdout.strip()


def browser():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=390,844"]:
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def day(ahead):
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
    return (today + datetime.timedelta(days=ahead)).isoformat()


def fill(driver, fields):
    for name in ["nama_customer", "telp_customer", "email_customer", "alamat_customer"]:
        element = driver.find_element(By.NAME, name)
        element.clear()
        element.send_keys(fields[name])
    Select(driver.find_element(By.NAME, "jenis_kelamin")).select_by_visible_text(fields["jenis_kelamin"])
    Select(driver.find_element(By.NAME, "studio_id")).select_by_visible_text(fields["studio"])
    Select(driver.find_element(By.NAME, "jam_booking")).select_by_value(fields["jam"])
    # A date input's typing order follows the browser's locale; set the value the form submits.
    driver.execute_script("arguments[0].value = arguments[1]", driver.find_element(By.NAME, "tanggal_booking"), fields["tanggal"])


def test_booking_in_the_browser(driver):
    phone = "0878" + str(random.randint(10_000_000, 99_999_999))
    fields = {
        "nama_customer": "Dewi Browser", "telp_customer": phone, "email_customer": f"dewi.{phone}@example.com",
        "alamat_customer": "Jl. Kenanga 7\nBandung", "jenis_kelamin": "Perempuan", "studio": "Studio 3 - Rekaman",
        "tanggal": day(random.randint(2, 170)), "jam": f"{random.randint(9, 20):02d}:00",
    }
    driver.get(BASE + "/booking")
    assert driver.title.startswith("Booking Studio"), driver.title
    fill(driver, fields)
    driver.save_screenshot(os.path.join(RUN_DIR, "browser-form.png"))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: re.search(r"/booking/[0-9a-f]{32}$", d.current_url))
    driver.save_screenshot(os.path.join(RUN_DIR, "browser-confirmation.png"))
    page = driver.find_element(By.TAG_NAME, "main").text
    kode = sql("SELECT kode_cs FROM customer WHERE telp = :'p0'", phone)
    assert re.fullmatch(r"CS-\d{6}", kode), kode
    assert "Booking berhasil" in page and kode in page and "Dewi Browser" in page, page
    ref = driver.current_url.rsplit("/", 1)[1]
    row = sql("SELECT nama_customer || '|' || studio_id || '|' || tanggal_booking || '|' || to_char(jam_booking, 'HH24:MI') "
              "|| '|' || kode_cs FROM booking_online WHERE ref = :'p0'", ref)
    assert row == f"Dewi Browser|3|{fields['tanggal']}|{fields['jam']}|{kode}", row
    with open(LOG, encoding="utf-8") as log:
        assert f"New customer auto-created from booking: Dewi Browser ({phone})\n" in log.read()


def test_a_mistake_keeps_every_value(driver):
    fields = {
        "nama_customer": "Budi Keliru", "telp_customer": "0812", "email_customer": "budi@",
        "alamat_customer": "Jl. Melati 3", "jenis_kelamin": "Laki-laki", "studio": "Studio 1",
        "tanggal": day(5), "jam": "11:00",
    }
    driver.get(BASE + "/booking")
    fill(driver, fields)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".alert"))
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".error")]
    assert any("Nomor telepon tidak valid" in e for e in errors), errors
    assert any("email" in e.lower() for e in errors), errors
    assert len(errors) == 2, errors
    assert driver.find_element(By.NAME, "nama_customer").get_attribute("value") == "Budi Keliru"
    assert driver.find_element(By.NAME, "telp_customer").get_attribute("value") == "0812"
    assert driver.find_element(By.NAME, "alamat_customer").get_attribute("value") == "Jl. Melati 3"
    assert Select(driver.find_element(By.NAME, "studio_id")).first_selected_option.text == "Studio 1"
    assert Select(driver.find_element(By.NAME, "jam_booking")).first_selected_option.text == "11:00"
    assert Select(driver.find_element(By.NAME, "jenis_kelamin")).first_selected_option.text == "Laki-laki"
    assert driver.find_element(By.NAME, "tanggal_booking").get_attribute("value") == fields["tanggal"]


def test_staff_find_a_customer(driver):
    """A staff member at a desk signs in, finds the newest customer by phone typed another way,
    opens their page, and signs out."""
    username = f"desk{random.randint(1000, 999999)}"
    subprocess.run([os.environ["TEST_BINARY"], "staff", "add", username], input="rahasia-meja-1\n", text=True,
                   env={**os.environ, "DATABASE_URL": DB}, check=True, capture_output=True)
    kode, nama, phone = sql("SELECT kode_cs || '|' || nama_cs || '|' || telp FROM customer "
                            "WHERE telp ~ '^0[0-9]+$' ORDER BY id_customer DESC LIMIT 1").split("|")
    driver.set_window_size(1280, 900)
    try:
        driver.get(BASE + "/staff/customers")
        WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/staff/login"))
        driver.find_element(By.NAME, "username").send_keys(username)
        driver.find_element(By.NAME, "password").send_keys("rahasia-meja-1")
        driver.find_element(By.CSS_SELECTOR, "form.booking button[type=submit]").click()
        WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/staff/customers"))
        search = driver.find_element(By.NAME, "q")
        search.send_keys("+62 " + phone[1:4] + "-" + phone[4:])
        driver.find_element(By.CSS_SELECTOR, "form.search button").click()
        WebDriverWait(driver, 10).until(lambda d: "q=" in d.current_url)
        driver.save_screenshot(os.path.join(RUN_DIR, "browser-staff-customers.png"))
        rows = driver.find_elements(By.CSS_SELECTOR, "table.customers tbody tr")
        assert len(rows) == 1 and kode in rows[0].text and nama in rows[0].text, [r.text for r in rows]
        rows[0].find_element(By.LINK_TEXT, kode).click()
        WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/staff/customers/" + kode))
        assert nama in driver.find_element(By.TAG_NAME, "h1").text
        assert driver.find_elements(By.CSS_SELECTOR, "table.bookings tbody tr"), "no booking history"
        driver.find_element(By.CSS_SELECTOR, "form.logout button").click()
        WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/staff/login"))
        driver.get(BASE + "/staff/customers")
        assert driver.current_url.endswith("/staff/login"), driver.current_url
    finally:
        driver.set_window_size(390, 844)


def main():
    tests = [test_booking_in_the_browser, test_a_mistake_keeps_every_value, test_staff_find_a_customer]
    passed = failed = 0
    driver = browser()
    try:
        for test in tests:
            try:
                test(driver)
                passed += 1
                print(f"ok   {test.__name__}")
            except Exception:
                failed += 1
                print(f"FAIL {test.__name__}")
                traceback.print_exc()
    finally:
        driver.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
