import CLibCurl

/// A libcurl call that failed, or an answer that was not a success: the text stored as the
/// message's last error and shown to staff. Never carries the SMTP password (libcurl's messages
/// name the host, not the URL's credentials).
struct CurlError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// `code`, unless it is CURLE_OK: then libcurl's words for it, with the detail it wrote.
    static func check(_ what: String, _ code: CURLcode, detail: String = "") throws(CurlError) {
        guard code != CURLE_OK else { return }
        let text = String(cString: curl_easy_strerror(code))
        throw CurlError(detail.isEmpty ? "\(what): \(text)" : "\(what): \(text) (\(detail))")
    }
}
