// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Reprise",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Reprise", targets: ["Reprise"]),
        .library(name: "RepriseProviders", targets: ["RepriseProviders"]),
        .library(name: "RepriseGateway", targets: ["RepriseGateway"]),
        .library(name: "RepriseServer", targets: ["RepriseServer"]),
        .library(name: "RepriseTesting", targets: ["RepriseTesting"]),
        .library(name: "RepriseSQLite", targets: ["RepriseSQLite"]),
        .library(name: "RepriseMemcached", targets: ["RepriseMemcached"]),
        .library(name: "RepriseRedis", targets: ["RepriseRedis"]),
        .library(name: "RepriseSemantic", targets: ["RepriseSemantic"]),
        .library(name: "RepriseSemanticRemote", targets: ["RepriseSemanticRemote"]),
        .library(name: "RepriseAnalysis", targets: ["RepriseAnalysis"]),
        .executable(name: "reprise", targets: ["RepriseCLI"]),
        // Development tools (the fake upstream, benchmark drivers); not part of what `reprise` links.
        .executable(name: "reprise-dev", targets: ["RepriseDevCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.30.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.9.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
    ],
    targets: [
        .target(
            name: "Reprise",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Collections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseProviders",
            dependencies: ["Reprise"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseSQLite",
            dependencies: [
                "Reprise",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseMemcached",
            dependencies: [
                "Reprise",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseGateway",
            dependencies: [
                "Reprise",
                "RepriseProviders",
                "RepriseSemantic",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The composition root: settings to stores, embedder, providers and upstreams, and a running gateway.
        .target(
            name: "RepriseServer",
            dependencies: [
                "Reprise",
                "RepriseProviders",
                "RepriseGateway",
                "RepriseSQLite",
                "RepriseMemcached",
                "RepriseRedis",
                "RepriseSemantic",
                "RepriseSemanticRemote",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseRedis",
            dependencies: [
                "Reprise",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseTesting",
            dependencies: [
                "Reprise",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "RepriseAnalysis",
            dependencies: [
                "Reprise",
                "RepriseSemantic",
                "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The dense layers' AVX2 and FMA kernel, chosen at run time (RepriseSemantic's DenseLayer).
        .target(name: "CRepriseKernels", path: "Sources/CRepriseKernels"),
        .target(
            name: "RepriseSemantic",
            dependencies: [
                "Reprise",
                "CZlib",
                "CRepriseKernels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // What of semantic matching speaks HTTP: the OpenAI-compatible embeddings client, the model download.
        .target(
            name: "RepriseSemanticRemote",
            dependencies: [
                "Reprise",
                "RepriseSemantic",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Benchmark drivers (embedder, vector indexes), run by `reprise-dev`; not shipped.
        .target(
            name: "RepriseBenchmarking",
            dependencies: ["Reprise", "RepriseSemantic"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RepriseDemo",
            dependencies: [
                "Reprise",
                "RepriseGateway",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RepriseCLI",
            dependencies: [
                "Reprise",
                "RepriseGateway",
                "RepriseServer",
                "RepriseAnalysis",
                "RepriseDemo",
                "RepriseSemantic",
                "RepriseSemanticRemote",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RepriseDevCLI",
            dependencies: [
                "Reprise",
                "RepriseBenchmarking",
                "RepriseGateway",
                "RepriseServer",
                "RepriseSemantic",
                "RepriseTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseTests",
            dependencies: [
                "Reprise",
                "RepriseTesting",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseProvidersTests",
            dependencies: ["RepriseProviders", "Reprise"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseSQLiteTests",
            dependencies: ["RepriseSQLite", "RepriseTesting", .product(name: "SQLiteNIO", package: "sqlite-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseRedisTests",
            dependencies: [
                "RepriseRedis",
                "RepriseTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseMemcachedTests",
            dependencies: [
                "RepriseMemcached", "RepriseTesting",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseAnalysisTests",
            dependencies: ["RepriseAnalysis", "RepriseTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseSemanticTests",
            dependencies: [
                "RepriseSemantic",
                "RepriseSemanticRemote",
                "RepriseBenchmarking",
                "RepriseMemcached",
                "Reprise",
                "RepriseTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseDemoTests",
            dependencies: ["RepriseDemo"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseServerTests",
            dependencies: [
                "Reprise",
                "RepriseGateway",
                "RepriseServer",
                "RepriseSemantic",
                "RepriseTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RepriseGatewayTests",
            dependencies: [
                "RepriseGateway",
                "RepriseServer",
                "RepriseProviders",
                "RepriseTesting",
                "RepriseSQLite",
                "RepriseMemcached",
                "RepriseRedis",
                "RepriseSemantic",
                "RepriseSemanticRemote",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
