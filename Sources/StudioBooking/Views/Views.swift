import Foundation
import HTTPMessages
import HTTPTypes
import Mustache

/// The page templates, loaded once at start-up. A missing or broken template stops the start:
/// swift-mustache would otherwise render an unknown name as nil, silently.
public struct Views: Sendable {
    static let required = [
        "layout", "booking_form", "booking_schedule", "booking_confirmation", "booking_change", "message", "staff_nav",
        "staff_login", "staff_customers", "staff_customer", "staff_bookings", "staff_message", "staff_studios",
        "staff_studio", "staff_libur",
        "booking_person", "staff_booking_new", "staff_booking",
        // Issue 16: the customer master by staff.
        "staff_customer_changes",
        "staff_booking_messages",
        // The studios' <option>s, rendered apart and kept (StudioOptions).
        "booking_studio_options",
        // The start's field, rendered apart (JamField).
        "booking_jam_field",
    ]
        // The accounts page (admins).
        + ["staff_akun"]
    private let library: MustacheLibrary
    private let studioOptionsKept = StudioOptions.Kept()

    public init(directory: String) throws(ConfigError) {
        var library = MustacheLibrary()
        for name in Self.required {
            let path = "\(directory)/\(name).mustache"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigError("template \(path) is missing or unreadable")
            }
            do {
                try library.register(text, named: name)
            } catch {
                throw ConfigError("template \(path) does not parse: \(error)")
            }
        }
        self.library = library
    }

    func render(_ page: some Page) -> String {
        // Every name in `required` was registered at start-up, so this cannot be nil.
        library.render(page, withTemplate: type(of: page).template)!
    }

    /// The `<option>`s of these studio choices, rendered at their first ask and kept.
    func studioOptions(_ studios: [Choice]) -> String {
        studioOptionsKept.html(StudioOptions(studios: studios)) { render($0) }
    }
}

/// A view model: one struct per page, rendered by the template its type names.
protocol Page {
    static var template: String { get }
}

// MARK: - Answers

extension Views {
    /// A page, never cached: every page carries a form token or a customer's data.
    func page(_ page: some Page, status: HTTPResponse.Status = .ok) -> Response {
        .html(status: status, render(page))
    }

    /// A short page with a heading and one message.
    func message(_ status: HTTPResponse.Status, heading: String, _ text: String) -> Response {
        self.page(MessagePage(heading: heading, message: text), status: status)
    }

    func notFound() -> Response {
        message(.notFound, heading: "Halaman tidak ditemukan", "Alamat ini tidak ada atau booking tidak ditemukan.")
    }

    func methodNotAllowed(allow: [HTTPRequest.Method]) -> Response {
        var response = message(.methodNotAllowed, heading: "Metode tidak didukung", "Permintaan ini tidak dapat diproses.")
        response.headerFields[.allow] = allow.map(\.rawValue).joined(separator: ", ")
        return response
    }
}

extension Response {
    static func html(status: HTTPResponse.Status, _ body: String) -> Response {
        html(status: status, Array(body.utf8))
    }

    static func html(status: HTTPResponse.Status, _ body: [UInt8]) -> Response {
        Response(
            status: status, headerFields: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: body)
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headerFields: [.location: location, .contentType: "text/plain; charset=utf-8"])
    }

    static func text(status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headerFields: [.contentType: "text/plain; charset=utf-8"], body: Array(body.utf8))
    }
}
