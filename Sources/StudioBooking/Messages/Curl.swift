import CLibCurl
import Synchronization

/// A libcurl easy handle and what one transfer hands it (header lists, the MIME tree, the strings
/// libcurl keeps pointers to), all freed in `deinit`, the one place. `reset` readies it for the next
/// transfer and keeps its connection cache: a sender that sends many messages to one server keeps
/// the connection open between them (libcurl: curl_easy_reset "does not change the following
/// information kept in the handle: live connections, …"), instead of a new TCP (and TLS)
/// connection for every message. Used by one thread at a time (libcurl: a handle is not shared
/// between threads at once).
final class Curl {
    private let handle: UnsafeMutableRawPointer
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var mime: OpaquePointer?
    /// The error text libcurl writes on a failure (CURLOPT_ERRORBUFFER: "at least CURL_ERROR_SIZE bytes big").
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))

    /// `curl_global_init` once per process (a Swift global's one-time initialization). libcurl:
    /// "you must not call it when any other thread in the program is running" (unless built
    /// thread-safe): `MessageSender.start` calls `initialize` before the workers start, and before
    /// its own thread, the one that makes handles.
    private static let global: CURLcode = curl_global_init(CLibCurl_GLOBAL_DEFAULT)

    static func initialize() throws(CurlError) {
        try CurlError.check("curl_global_init", global)
    }

    init() throws(CurlError) {
        try Self.initialize()
        guard let handle = curl_easy_init() else { throw CurlError("curl_easy_init failed") }
        self.handle = handle
        errorBuffer.initialize(to: 0)
        do throws(CurlError) {
            try setDefaults()
        } catch {
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
            throw error
        }
    }

    /// The options every transfer of this handle has.
    private func setDefaults() throws(CurlError) {
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        // Threads: no signals for timeouts (libcurl: "set CURLOPT_NOSIGNAL to 1" with several threads).
        try set(CURLOPT_NOSIGNAL, 1)
        try CurlError.check("CURLOPT_WRITEFUNCTION", CLibCurl_discard_body(handle))
    }

    /// Forgets the last transfer's options, lists and MIME tree, keeps the open connections. The
    /// handle lets go of the lists and the tree (curl_easy_reset) before they are freed.
    func reset() throws(CurlError) {
        curl_easy_reset(handle)
        if let mime { curl_mime_free(mime) }
        mime = nil
        for list in lists { curl_slist_free_all(list) }
        lists = []
        errorBuffer[0] = 0
        try setDefaults()
    }

    deinit {
        // libcurl: the handle is cleaned up before the MIME tree and lists it points to.
        curl_easy_cleanup(handle)
        if let mime { curl_mime_free(mime) }
        for list in lists { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try CurlError.check("\(option)", CLibCurl_setopt_long(handle, option, value))
    }

    /// A string option: libcurl copies it (CURLOPT_* strings are copied since 7.17.0).
    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        try CurlError.check("\(option)", CLibCurl_setopt_string(handle, option, value))
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlError) {
        try CurlError.check("\(option)", CLibCurl_setopt_pointer(handle, option, pointer))
    }

    /// A list option (headers, recipients), kept alive until `deinit`.
    func set(_ option: CURLoption, list values: [String]) throws(CurlError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for value in values {
            guard let longer = curl_slist_append(list, value) else {
                if let list { curl_slist_free_all(list) }
                throw CurlError("curl_slist_append failed")
            }
            list = longer
        }
        guard let list else { return }
        lists.append(list)
        try set(option, pointer: UnsafeMutableRawPointer(list))
    }

    /// The body of a POST, copied by libcurl (CURLOPT_COPYPOSTFIELDS, with its size set first).
    func post(_ body: [UInt8]) throws(CurlError) {
        try set(CURLOPT_POSTFIELDSIZE, body.count)
        let code = body.withUnsafeBytes { bytes in
            CLibCurl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
        }
        try CurlError.check("CURLOPT_COPYPOSTFIELDS", code)
    }

    /// A MIME part: its data (copied by libcurl), type, encoding, and a file name for an attachment.
    struct Part {
        let data: [UInt8]
        let type: String
        let encoder: String
        var filename: String? = nil
    }

    /// The message's MIME body (CURLOPT_MIMEPOST), owned here.
    func mime(_ parts: [Part]) throws(CurlError) {
        guard mime == nil, let tree = curl_mime_init(handle) else { throw CurlError("curl_mime_init failed") }
        mime = tree
        for part in parts {
            guard let node = curl_mime_addpart(tree) else { throw CurlError("curl_mime_addpart failed") }
            let code = part.data.withUnsafeBytes { bytes in
                curl_mime_data(node, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
            }
            try CurlError.check("curl_mime_data", code)
            try CurlError.check("curl_mime_type", curl_mime_type(node, part.type))
            try CurlError.check("curl_mime_encoder", curl_mime_encoder(node, part.encoder))
            if let filename = part.filename {
                try CurlError.check("curl_mime_filename", curl_mime_filename(node, filename))
            }
        }
        try set(CURLOPT_MIMEPOST, pointer: UnsafeMutableRawPointer(tree))
    }

    /// Runs the transfer; a failure carries libcurl's own detail.
    func perform() throws(CurlError) {
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        try CurlError.check("curl_easy_perform", code, detail: String(cString: errorBuffer))
    }

    /// The last answer's status: HTTP's, or SMTP's last reply code.
    func responseCode() throws(CurlError) -> Int {
        var code = 0
        try CurlError.check("CURLINFO_RESPONSE_CODE", CLibCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code))
        return code
    }
}
