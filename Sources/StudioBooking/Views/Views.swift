import Foundation
import Mustache

/// The page templates, loaded once at start-up. A missing or broken template stops the start:
/// swift-mustache would otherwise render an unknown name as nil, silently.
public struct Views: Sendable {
    static let required = [
        "layout", "booking_form", "booking_confirmation", "message", "staff_nav", "staff_login", "staff_customers",
        "staff_customer", "staff_bookings",
    ]
    private let library: MustacheLibrary

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
}

/// A view model: one struct per page, rendered by the template its type names.
protocol Page {
    static var template: String { get }
}

/// One input's value as typed and the message beside it.
struct FieldView {
    let value: String
    let error: String?
}

struct Choice {
    let value: String
    let label: String
    let selected: Bool
}

struct BookingFormPage: Page {
    static let template = "booking_form"
    let alert: String?
    let csrfToken: String
    let nama, telp, email, alamat, tanggal: FieldView
    let jenisKelamin, studio, jam: FieldView
    let genders: [Choice]
    let studios: [Choice]
    let slots: [Choice]
    let minDate: String
    let maxDate: String
}

struct ConfirmationPage: Page {
    static let template = "booking_confirmation"
    let kodeCS, studio, tanggal, jam, nama, jenisKelamin, telp: String
    let email: String?
    let alamat: String
}

struct MessagePage: Page {
    static let template = "message"
    let heading: String
    let message: String
}
