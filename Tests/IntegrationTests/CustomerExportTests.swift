import Foundation
import HTTPMessages
import Postgres
@testable import StudioBooking
import Testing
import TestSupport

/// The CSV export streamed a keyset page at a time (issue 16, "Tests and speed"): each page is
/// handed to the transport before the next is read, and a page the database refuses breaks the
/// download off rather than ending it short.
@Suite(.needs(.database))
struct CustomerExportTests {
    /// The legacy studio with enough customers for two pages of the export.
    static func studio() throws -> (TestDatabase, BookingClient, StaffClient) {
        let (database, client, staff) = try StaffAreaTests.signedIn()
        try database.connect().execute(
            """
            INSERT INTO customer (kode_cs, nama_cs, telp)
            SELECT 'CS-' || lpad((700000 + i)::text, 6, '0'), 'Isi ' || i, '0858' || lpad(i::text, 8, '0')
            FROM generate_series(1, \(CustomerMasterStore.exportPage + 100)) AS i
            """)
        return (database, client, staff)
    }

    @Test func eachPageIsHandedOnBeforeTheNextIsRead() throws {
        var (database, _, staff) = try Self.studio()
        let stream = try #require(staff.get("/staff/customers.csv").stream)
        let total = try database.count("customer")
        var pieces: [Int] = []
        var bytes: [UInt8] = []
        #expect(stream.produce { piece in
            pieces.append(piece.count)
            bytes += piece
            return true
        })
        #expect(pieces.count == 2)
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == total + 1)
        #expect(lines.first?.hasPrefix("\u{FEFF}kode_cs,") == true)
    }

    @Test func aClientGoneStopsTheExport() throws {
        var (_, _, staff) = try Self.studio()
        let stream = try #require(staff.get("/staff/customers.csv").stream)
        var pieces = 0
        #expect(stream.produce { _ in pieces += 1; return false })
        #expect(pieces == 1)
    }

    @Test func aPageTheDatabaseRefusesBreaksTheDownloadOff() throws {
        var (database, client, staff) = try Self.studio()
        let stream = try #require(staff.get("/staff/customers.csv").stream)
        let admin = try database.connect()
        var pieces = 0
        let finished = stream.produce { _ in
            pieces += 1
            // The next page's query names this function: from now on it fails (not a lost connection).
            try? admin.execute("ALTER FUNCTION sb_phone_owner(text) RENAME TO sb_phone_owner_gone")
            return true
        }
        #expect(!finished)
        #expect(pieces == 1)
        #expect(client.log().contains(" error Customer export failed after \(CustomerMasterStore.exportPage) rows"))
    }
}
