// libFuzzer target for what parses untrusted bytes: the CGI request, the form body, the phone,
// the date, and validation on top. Built by .ci/fuzz with `-sanitize=fuzzer -D FUZZING`; in an
// ordinary build it is an executable that does nothing. Invariants are checked, not only crashes.
import CFuzzing
import FastCGI
import HTTPMessages
import Foundation
import StudioBooking

let calendar = BookingCalendar(
    timeZone: TimeZone(identifier: "Asia/Jakarta")!, now: { Date(timeIntervalSince1970: 1_795_577_400) })
let validator = BookingValidator(calendar: calendar)


func fuzz(_ bytes: [UInt8]) -> CInt {
    // First line: CGI environment entries separated by NUL; the rest: the body stream.
    let split = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let environment = bytes[..<split].split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    var stream = bytes.count > split ? Array(bytes[(split + 1)...]) : []
    let request = Request(cgiEnvironment: environment, maxBodySize: 64 * 1024) { length in
        let taken = Array(stream.prefix(length))
        stream.removeFirst(taken.count)
        return taken
    }
    if case .complete(let body) = request.body {
        let declared = environment.last { $0.hasPrefix("CONTENT_LENGTH=") }.flatMap { Int($0.dropFirst(15)) } ?? 0
        precondition(body.count == declared, "a complete body has exactly CONTENT_LENGTH bytes")
    }

    let form = FormData(urlEncoded: Array(bytes[min(split + 1, bytes.count)...]))
    for (key, value) in form.values {
        precondition(!key.isEmpty)
        // PostgreSQL cannot hold a NUL: no value read from a form carries one (issue 14).
        precondition(!value.utf8.contains(0), "a NUL in \(key)")
    }
    for value in form.values.values {
        if let phone = Phone.normalize(value) {
            precondition(phone.allSatisfy { $0.isASCII && $0.isNumber } && !phone.hasPrefix("62"), "normalized phone \(phone)")
        }
        if let day = Day(iso: value) {
            precondition(day.iso == value, "date round trip \(value)")
        }
    }
    let booking = BookingForm(form)
    if case .success(let valid) = validator.validate(booking, studios: [1: 4, 2: 4, 3: 12]) {
        precondition((10...15).contains(valid.telp.count) && valid.telp.hasPrefix("0"))
        precondition(valid.nama.unicodeScalars.count <= 100 && !valid.nama.isEmpty)
        precondition(valid.alamat.unicodeScalars.count <= 500 && !valid.alamat.isEmpty)
        precondition(valid.telpEntered.unicodeScalars.count <= 20)
        precondition(valid.email.map { $0.unicodeScalars.count <= 100 } ?? true)
        precondition((1...12).contains(valid.durasi) && BookingValidator.hour(valid.jam) != nil)
        precondition(!valid.nama.utf8.contains(0) && !valid.alamat.utf8.contains(0))
    }
    return 0
}

/// The entry libFuzzer's runtime refers to by name.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(Array(UnsafeBufferPointer(start: data, count: size)))
}

#if FUZZING
// SwiftPM links an executable's entry point under its own name, so hand libFuzzer the arguments
// from here instead of letting it bring its own main.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
#endif
