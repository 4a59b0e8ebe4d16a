import ArgumentParser
import FastCGI
import Foundation
import Postgres
import StudioBooking

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the FastCGI responder until SIGTERM or SIGINT.",
        discussion: "With neither --socket nor --bind it accepts on the listening socket passed as fd 0.")

    @Option(help: "Listen on this unix socket path.")
    var socket: String?

    @Option(help: "Listen on HOST:PORT, e.g. 127.0.0.1:9000.")
    var bind: String?

    @Option(help: "Worker threads, each with its own PostgreSQL connection (bookings wait in them for their batch).")
    var workers: Int = 16

    func validate() throws {
        if socket != nil && bind != nil { throw ValidationError("give --socket or --bind, not both") }
        if let bind, !bind.contains(":") || bind.hasPrefix(":") {
            throw ValidationError("--bind needs HOST:PORT with a host, e.g. 127.0.0.1:9000")
        }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be 1...256") }
    }

    func run() throws {
        let config = loadConfig()
        let app: App
        do {
            app = try App(config: config)
        } catch {
            fail("\(error)")
        }
        // Outages after the start are survived: every worker reconnects by itself.
        do {
            let db = migratedDatabase(config)
            try app.loadCSRFKey(db)
            // The messages' settings, which the SQL that writes messages reads (MessageStore).
            try app.writeMessageSettings(db)
        } catch {
            fail("cannot reach the database: \(error)")
        }
        do {
            try app.startBackgroundWork()
        } catch {
            fail("\(error)")
        }
        let address: ListenAddress = socket.map(ListenAddress.unixSocket) ?? bind.map(ListenAddress.tcp) ?? .inherited
        let server = Server(address: address, workers: workers, maxBodySize: config.maxBodySize)
        FileHandle.standardError.write(Data("studio-booking: serving \(address) with \(workers) workers\n".utf8))
        do {
            try server.run { _ in app.makeResponder() }
        } catch {
            fail("\(error)")
        }
        app.stopBackgroundWork()
        FileHandle.standardError.write(Data("studio-booking: stopped\n".utf8))
    }
}
