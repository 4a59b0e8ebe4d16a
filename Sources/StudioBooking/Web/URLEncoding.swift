import Foundation

extension String {
    /// Percent-encoded for a URL's path segment or query: everything but unreserved characters.
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .urlUnreserved) ?? ""
    }
}

extension CharacterSet {
    static let urlUnreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
