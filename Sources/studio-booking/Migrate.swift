import ArgumentParser
import Foundation
import Postgres
import StudioBooking

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply every migration to DATABASE_URL; safe to run again.")

    func run() throws {
        let config = loadConfig()
        do {
            let db = try Connection(config.databaseURL)
            let applied = try Migrator.migrate(db)
            print(applied.isEmpty ? "migrate: up to date" : "migrate: applied \(applied.joined(separator: ", "))")
        } catch {
            fail("cannot migrate the database: \(error)")
        }
    }
}
