// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "studio-booking",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "studio-booking", targets: ["studio-booking"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // System libraries: a modulemap and a shim header each.
        .systemLibrary(
            name: "CFastCGI",
            pkgConfig: "fcgi",
            providers: [.apt(["libfcgi-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // Staff passwords: argon2id through libsodium's crypto_pwhash_str.
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // E-mail (SMTP, STARTTLS, SMTPS, MIME) and the webhook's POST: the messages to customers.
        .systemLibrary(
            name: "CLibCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The product's HTTP values: Request and Response over swift-http-types, no transport.
        .target(
            name: "HTTPMessages",
            dependencies: [.product(name: "HTTPTypes", package: "swift-http-types")]),
        // The transport: FastCGI requests in, plain Request/Response values out.
        .target(name: "FastCGI", dependencies: ["CFastCGI", "HTTPMessages"]),
        // The database client over libpq.
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        // The product.
        .target(
            name: "StudioBooking",
            dependencies: [
                "HTTPMessages",
                "Postgres",
                "CSodium",
                "CLibCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                // PBKDF2, for staff passwords stored before argon2id (they still verify).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            resources: [.copy("Store/Migrations"), .copy("Store/Functions")]
        ),
        .executableTarget(
            name: "studio-booking",
            dependencies: [
                "StudioBooking",
                "FastCGI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "StudioBookingTests",
            dependencies: [
                "StudioBooking", "HTTPMessages", .product(name: "HTTPTypes", package: "swift-http-types"),
                // The repository's root, for the templates the render test fills.
                "TestSupport",
                // To derive a staff password's key again, independently of the code under test.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // libFuzzer target over the parsers (.ci/fuzz builds it with -sanitize=fuzzer).
        .target(name: "CFuzzing", path: "Tests/Fuzz/CFuzzing"),
        .executableTarget(
            name: "studio-booking-fuzz", dependencies: ["StudioBooking", "FastCGI", "HTTPMessages", "CFuzzing"], path: "Tests/Fuzz/Target"),
        // What the integration and end-to-end tests share: throw-away databases, the fixture, clients.
        .target(
            name: "TestSupport",
            dependencies: [
                "StudioBooking", "Postgres", "FastCGI", "HTTPMessages", .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport", "HTTPMessages"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport", "HTTPMessages",
                // To check the webhook's signature independently of the code under test.
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
    ]
)
