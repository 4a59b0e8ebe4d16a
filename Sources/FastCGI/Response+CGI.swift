import HTTPMessages

extension Response {
    /// The CGI head: a FastCGI responder names its status in a `Status:` header, not an HTTP line.
    func head() -> String {
        let reason = status.reasonPhrase.isEmpty ? "Status" : status.reasonPhrase
        var head = "Status: \(status.code) \(reason)\r\n"
        for field in headerFields { head += "\(field.name.rawName): \(field.value)\r\n" }
        // A streamed body's length is not known ahead: the web server frames it (chunked).
        if stream == nil { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return head
    }
}
