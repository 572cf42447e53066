// swift-tools-version:6.1
// The libFuzzer targets: built apart from the product, with coverage and AddressSanitizer, by
// scripts/fuzz.sh (`swift build --package-path Fuzz --sanitize=fuzzer --sanitize=address`).
// Each target feeds hostile bytes to one parser the gateway or the analyzer exposes to the outside world.
import Foundation
import PackageDescription

/// The main package's identity is the name of the folder it is checked out in.
let main = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("FuzzJSON", [.product(name: "Reprise", package: main)]),
    ("FuzzServerSentEvents", [.product(name: "RepriseGateway", package: main), .product(name: "Reprise", package: main), .product(name: "NIOCore", package: "swift-nio")]),
    ("FuzzRESP", [.product(name: "RepriseRedis", package: main), .product(name: "NIOCore", package: "swift-nio")]),
    ("FuzzMemcached", [.product(name: "RepriseMemcached", package: main), .product(name: "NIOCore", package: "swift-nio")]),
    ("FuzzConfiguration", [.product(name: "RepriseServer", package: main), .product(name: "RepriseGateway", package: main), .product(name: "Reprise", package: main), "FuzzSupport"]),
    ("FuzzLogReaders", [.product(name: "RepriseAnalysis", package: main), .product(name: "Reprise", package: main), "FuzzSupport"]),
    ("FuzzCacheEntry", [.product(name: "Reprise", package: main)]),
]

let package = Package(
    name: "RepriseFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    ],
    targets: [.target(name: "FuzzSupport", path: "Sources/FuzzSupport")]
        + fuzzTargets.map { target in
            .executableTarget(name: target.name, dependencies: target.dependencies, path: "Sources/\(target.name)")
        }
)
