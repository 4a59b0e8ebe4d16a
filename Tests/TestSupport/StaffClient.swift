import HTTPMessages
import HTTPTypes
import Foundation
import StudioBooking

/// Signs in to the staff area through the router the way a browser does: GET the sign-in form for
/// the visitor cookie and the CSRF token, POST the credentials, then keep the session cookie.
public struct StaffClient {
    public var responder: AppResponder
    /// `name=value` pairs, as a browser would send them back.
    public private(set) var cookies: [String: String] = [:]

    public init(_ responder: AppResponder) { self.responder = responder }

    public var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: "; ") }

    public mutating func get(_ path: String) -> Response {
        let parts = path.split(separator: "?", maxSplits: 1)
        return send(
            Request(method: .get, path: String(parts[0]), query: parts.count > 1 ? String(parts[1]) : "",
                    headerFields: [.cookie: cookieHeader]))
    }

    public mutating func post(_ path: String, _ fields: [String: String]) -> Response {
        send(
            Request(
                method: .post, path: path,
                headerFields: [.contentType: "application/x-www-form-urlencoded", .cookie: cookieHeader],
                body: .complete(Array(BookingClient.urlEncode(fields).utf8))))
    }

    /// Opens the sign-in form and sends these credentials with its token.
    public mutating func signIn(_ username: String, _ password: String) -> Response {
        let form = get("/staff/login")
        return post("/staff/login", ["username": username, "password": password, "csrf_token": BookingClient.csrfToken(in: form.text)])
    }

    /// Sends the sign-out form of a staff page.
    public mutating func signOut() -> Response {
        let page = get("/staff/customers")
        return post("/staff/logout", ["csrf_token": BookingClient.csrfToken(in: page.text)])
    }

    public mutating func send(_ request: Request) -> Response {
        let response = responder.respond(to: request)
        for value in response.headerFields[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let cookieName = String(pair[0])
            let cookieValue = pair.count > 1 ? String(pair[1]) : ""
            if cookieValue.isEmpty || value.contains("Max-Age=0") { cookies[cookieName] = nil } else { cookies[cookieName] = cookieValue }
        }
        return response
    }
}
