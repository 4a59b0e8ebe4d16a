import ArgumentParser
import Foundation
import StudioBooking

@main
struct StudioBookingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio-booking",
        abstract: "Online studio booking that keeps the customer master current.",
        subcommands: [Serve.self, Migrate.self])
}

/// Every failure ends the same way: one clear line on stderr and a non-zero exit.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("studio-booking: \(message)\n".utf8))
    exit(1)
}

func loadConfig() -> AppConfig {
    do {
        return try AppConfig.fromEnvironment(ProcessInfo.processInfo.environment)
    } catch {
        fail(error.description)
    }
}
