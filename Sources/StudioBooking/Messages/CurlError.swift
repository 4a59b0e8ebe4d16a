import CLibCurl

/// A libcurl call that failed, or an answer that was not a success: the text stored as the
/// message's last error and shown to staff. Never carries the SMTP password (libcurl's messages
/// name the host, not the URL's credentials).
struct CurlError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// `code`, unless it is CURLE_OK: then libcurl's words for it, with the detail it wrote.
    /// `what` and `detail` are made only on a failure: naming an option (`"\(CURLOPT_URL)"`, a C
    /// enum, printed through reflection) cost a sender more than the setting itself.
    static func check(_ what: @autoclosure () -> String, _ code: CURLcode, detail: @autoclosure () -> String = "") throws(CurlError) {
        guard code != CURLE_OK else { return }
        let text = String(cString: curl_easy_strerror(code))
        let detail = detail()
        throw CurlError(detail.isEmpty ? "\(what()): \(text)" : "\(what()): \(text) (\(detail))")
    }
}
