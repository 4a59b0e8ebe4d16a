import HTTPMessages
import Postgres

/// `GET /healthz`: whether this responder reaches its database, for load balancers and monitors.
struct HealthController: Sendable {
    func addRoutes(to router: inout Router) {
        router.add(.get, "/healthz", name: "Health check") { _, context, _ in
            do {
                try context.database.run { db throws(PostgresError) in try BookingStore.ping(db) }
                return .text(status: .ok, "ok\n")
            } catch {
                return .text(status: .serviceUnavailable, "database unavailable\n")
            }
        }
    }
}
