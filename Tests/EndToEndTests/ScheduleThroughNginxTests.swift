import Foundation
import Postgres
import Testing
import TestSupport

/// The schedule as a visitor meets it through nginx: the free starts on the form and as JSON, and
/// the 409 and 422 answers of a booking that does not fit (issue 15). Each test has a studio of its
/// own, so no other test's bookings or hours change its answers.
@Suite(.needs(.stack))
struct ScheduleThroughNginxTests {
    let http = HTTPClient(baseURL: TestEnvironment.baseURL ?? "http://127.0.0.1:1")

    func appDatabase() throws -> Connection { try Connection(TestEnvironment.appDatabaseURL!) }

    /// A studio open 10:00-16:00 every day, sessions of up to 3 hours.
    func studio(_ name: String) throws -> String {
        try appDatabase().query(
            """
            INSERT INTO studio (nama_studio, durasi_maks, jam_buka, jam_tutup)
            VALUES ($1, 3, '{10,10,10,10,10,10,10}', '{16,16,16,16,16,16,16}') RETURNING id_studio
            """, [name]
        ).decode(String.self)[0]
    }

    func jam(_ query: String) throws -> (status: Int, json: [String: Any]) {
        let reply = try http.get("/booking/jam?" + query)
        #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
        let json = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
        return (reply.status, json)
    }

    func book(_ studio: String, _ day: String, _ jam: String, hours: Int, phone: String) throws -> HTTPClient.Reply {
        let form = try http.get("/booking")
        let fields = BookingClient.fields([
            "csrf_token": BookingClient.csrfToken(in: form.body), "studio_id": studio, "tanggal_booking": day,
            "jam_booking": jam, "durasi_jam": String(hours), "telp_customer": phone, "nama_customer": "Jadwal \(phone)",
            // No e-mail: the default one would make other tests' bookings match this test's customers.
            "email_customer": "",
        ])
        return try http.post("/booking", form: BookingClient.urlEncode(fields), cookies: form.cookies)
    }

    @Test func theFreeStartsAsJSONAndOnTheForm() throws {
        let studio = try studio("Uji Jadwal JSON")
        let day = BookingClient.date(daysAhead: 20)
        let first = try jam("studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=2")
        #expect(first.status == 200)
        #expect(first.json["jam"] as? [String] == ["10:00", "11:00", "12:00", "13:00", "14:00"])
        #expect(first.json["studio_id"] as? Int == Int(studio))
        #expect(first.json["durasi_jam"] as? Int == 2)
        #expect(first.json["tanggal_booking"] as? String == day)

        #expect(try book(studio, day, "12:00", hours: 2, phone: "0815300000001").status == 303)
        // Every responder's cache hears of it: ask several times, nginx spreads them over both.
        for _ in 0..<4 {
            #expect(try jam("studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=2").json["jam"] as? [String] == ["10:00", "14:00"])
            #expect(try jam("studio_id=\(studio)&tanggal_booking=\(day)").json["jam"] as? [String]
                == ["10:00", "11:00", "14:00", "15:00"])
        }
        let form = try http.get("/booking?studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=2")
        #expect(form.status == 200)
        #expect(form.body.contains("<option value=\"10:00\">10.00</option>"))
        #expect(form.body.contains("<option value=\"14:00\">14.00</option>"))
        #expect(!form.body.contains("<option value=\"12:00\">"))
        #expect(form.body.contains("<option value=\"\(studio)\" selected>"))
    }

    @Test func overlapIs409AndOutsideTheHoursIs422() throws {
        let studio = try studio("Uji Jadwal Tolak")
        let day = BookingClient.date(daysAhead: 21)
        #expect(try book(studio, day, "11:00", hours: 3, phone: "0815300000002").status == 303)  // 11-14
        let overlap = try book(studio, day, "13:00", hours: 2, phone: "0815300000003")
        #expect(overlap.status == 409)
        #expect(overlap.body.contains("id=\"jam_booking-error\""))
        #expect(overlap.body.contains("value=\"Jadwal 0815300000003\""), "values kept")
        #expect(overlap.body.contains("<option value=\"14:00\">14.00</option>"), "the free starts beside it")
        let pastClosing = try book(studio, day, "15:00", hours: 2, phone: "0815300000004")
        #expect(pastClosing.status == 422)
        #expect(pastClosing.body.contains("Studio tidak buka sepanjang sesi ini"))
        let tooLong = try book(studio, day, "10:00", hours: 4, phone: "0815300000005")
        #expect(tooLong.status == 422)
        #expect(tooLong.body.contains("paling lama 3 jam"))
        #expect(try appDatabase().query(
            "SELECT count(*) FROM booking_online WHERE studio_id = $1::integer", [studio]).decode(Int.self)[0] == 1)
    }

    @Test func badChoicesAre422AsJSONAndAMessageOnTheForm() throws {
        let studio = try studio("Uji Jadwal Salah")
        let day = BookingClient.date(daysAhead: 22)
        for (query, message) in [
            ("studio_id=999999&tanggal_booking=\(day)", "Studio tidak ditemukan"),
            ("studio_id=\(studio)&tanggal_booking=2020-01-01", "Tanggal sudah lewat"),
            ("studio_id=\(studio)&tanggal_booking=kemarin", "Tanggal tidak valid"),
            ("studio_id=\(studio)&tanggal_booking=\(BookingClient.date(daysAhead: 400))", "paling jauh"),
            ("studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=4", "paling lama 3 jam"),
            ("studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=0", "Pilih lama sesi"),
        ] {
            let answer = try jam(query)
            #expect(answer.status == 422, "\(query)")
            #expect((answer.json["error"] as? String)?.contains(message) == true, "\(query): \(answer.json)")
            let form = try http.get("/booking?" + query)
            #expect(form.status == 200, "\(query)")
            #expect(form.body.contains(message), "\(query)")
        }
        try appDatabase().execute("UPDATE studio SET aktif = false WHERE id_studio = \(studio)")
        // The studio list every responder keeps is dropped when the database announces the change.
        #expect(try everyResponderSoon { try jam("studio_id=\(studio)&tanggal_booking=\(day)").status == 422 })
    }

    @Test func aClosedDayOffersNothingAndPointsToTheNextFreeDay() throws {
        let studio = try studio("Uji Jadwal Libur")
        let day = BookingClient.date(daysAhead: 23), next = BookingClient.date(daysAhead: 24)
        try appDatabase().query(
            "INSERT INTO hari_libur (tanggal, studio_id, keterangan) VALUES ($1::date, $2::integer, 'Libur')", [day, studio])
        #expect(try jam("studio_id=\(studio)&tanggal_booking=\(day)").json["jam"] as? [String] == [])
        let form = try http.get("/booking?studio_id=\(studio)&tanggal_booking=\(day)&durasi_jam=1")
        #expect(form.body.contains("Tidak ada jam kosong untuk sesi 1 jam pada tanggal ini."))
        #expect(form.body.contains("href=\"/booking?studio_id=\(studio)&amp;tanggal_booking=\(next)&amp;durasi_jam=1\""))
        let refused = try book(studio, day, "10:00", hours: 1, phone: "0815300000006")
        #expect(refused.status == 422)
    }
}
