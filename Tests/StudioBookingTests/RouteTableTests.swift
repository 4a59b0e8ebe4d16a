import Foundation
import HTTPMessages
import HTTPTypes
import Testing
@testable import StudioBooking

/// The route table on its own: what a request resolves to, with no handler run.
@Suite struct RouteTableTests {
    static let table: Router = {
        var router = Router()
        router.add(.get, "/", name: "Home") { _, _, _ in .redirect(to: "/a") }
        router.add(.get, "/items/{id}", name: "Item") { _, _, _ in .text(status: .ok, "") }
        router.add(.post, "/items/{id}", name: "Item change") { _, _, _ in .text(status: .ok, "") }
        router.area("/private", access: .staff)
        router.add(.get, "/private/page", access: .staff, name: "Private") { _, _, _ in .text(status: .ok, "") }
        router.add(.get, "/private/open", name: "Open") { _, _, _ in .text(status: .ok, "") }
        return router
    }()

    func resolve(_ method: HTTPRequest.Method, _ path: String) -> Router.Resolution {
        Self.table.resolve(Request(method: method, path: path))
    }

    @Test func aRouteAndItsTypedParameter() throws {
        guard case .route(let route, let parameters) = resolve(.get, "/items/7") else {
            Issue.record("not routed")
            return
        }
        #expect(route.name == "Item")
        let id: Int? = parameters.get("id")
        #expect(id == 7)
        let malformed: Int? = parameters.get("nope")
        #expect(malformed == nil)
    }

    @Test func headIsAnsweredAsGet() {
        guard case .route(let route, _) = resolve(.head, "/") else {
            Issue.record("HEAD / not routed")
            return
        }
        #expect(route.name == "Home")
    }

    @Test func allowListsEveryMethodOfThePathInTableOrder() {
        guard case .methodNotAllowed(let allow, let access) = resolve(.delete, "/items/7") else {
            Issue.record("not a 405")
            return
        }
        #expect(allow == [.get, .post])
        #expect(access == .anyone)
    }

    @Test func segmentsMustMatchInNumber() {
        for path in ["/items", "/items/7/more", "/items/", "//", "/nope"] {
            guard case .notFound(let access) = resolve(.get, path) else {
                Issue.record("\(path) was routed")
                continue
            }
            #expect(access == .anyone, "\(path)")
        }
    }

    /// An unknown page inside a guarded area is guarded too: not signed in, one never learns it is missing.
    @Test func theAreaGuardsUnroutedPathsAndRoutesKeepTheirOwnAccess() {
        guard case .notFound(let access) = resolve(.get, "/private/unknown") else {
            Issue.record("routed")
            return
        }
        #expect(access == .staff)
        guard case .route(let open, _) = resolve(.get, "/private/open") else {
            Issue.record("not routed")
            return
        }
        #expect(open.access == .anyone)
        guard case .notFound(let outside) = resolve(.get, "/privateer") else {
            Issue.record("routed")
            return
        }
        #expect(outside == .anyone)
    }
}

extension RouteTableTests {
    /// Any segment at all, percent-decoded: what a type that checks nothing itself would read.
    struct AnySegment: PathParameter, Equatable {
        let value: String
        init?(pathSegment: Substring) { value = String(pathSegment).removingPercentEncoding ?? "" }
    }

    /// PostgreSQL cannot hold a NUL: a parameter with one, raw or `%00`, is no value, whatever its
    /// type would make of it, and the page answers 404 without asking the database.
    @Test func aNULInAParameterIsNoValueForAnyType() throws {
        for path in ["/items/CS-0%00", "/items/%00", "/items/a\u{0}b"] {
            guard case .route(_, let parameters) = resolve(.get, path) else {
                Issue.record("\(path) not routed")
                continue
            }
            let value: AnySegment? = parameters.get("id")
            #expect(value == nil, "\(path)")
        }
        guard case .route(_, let parameters) = resolve(.get, "/items/100%2500") else {
            Issue.record("not routed")
            return
        }
        let percent: AnySegment? = parameters.get("id")
        #expect(percent?.value == "100%00")
    }
}

extension Int: PathParameter {
    public init?(pathSegment: Substring) { self.init(pathSegment) }
}
