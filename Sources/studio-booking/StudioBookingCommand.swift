import ArgumentParser
import Foundation
import Postgres
import StudioBooking

@main
struct StudioBookingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio-booking",
        abstract: "Online studio booking that keeps the customer master current.",
        subcommands: [Serve.self, Migrate.self, Staff.self])

    /// ArgumentParser's own error output adds usage lines; the contract wants one line.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))  // --help
                Foundation.exit(0)
            }
            fail(message(for: error) + " (see --help)", code: exitCode(for: error).rawValue)
        }
    }
}

/// Every failure ends the same way: one clear line on stderr and a non-zero exit.
func fail(_ message: String, code: Int32 = 1) -> Never {
    let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: " ")
    FileHandle.standardError.write(Data("studio-booking: \(line)\n".utf8))
    exit(code == 0 ? 1 : code)
}

func loadConfig() -> AppConfig {
    do {
        return try AppConfig.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
        fail(error.description)
    }
}

/// A connection to a database that answers and is migrated, or the one line that says why not:
/// a wrong `DATABASE_URL` stops the command at once instead of surfacing later as 503s.
func migratedDatabase(_ config: AppConfig, failure: String = "cannot reach the database") -> Connection {
    do {
        let db = try Connection(config.databaseURL)
        let pending = try Migrator.pending(db)
        if !pending.isEmpty {
            fail("the database is not up to date (\(pending.joined(separator: ", "))): run `studio-booking migrate` first")
        }
        return db
    } catch {
        fail("\(failure): \(error)")
    }
}
