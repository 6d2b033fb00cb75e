// swift-tools-version:6.1
import PackageDescription

/// One set of compiler settings for every target: Swift 6 language mode with strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "abctl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "abctl", targets: ["abctl"]),
        .library(name: "Spec", targets: ["Spec"]),
        .library(name: "Stats", targets: ["Stats"]),
        .library(name: "Metrics", targets: ["Metrics"]),
        .library(name: "Bandits", targets: ["Bandits"]),
        .library(name: "Strategies", targets: ["Strategies"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "PostgresClient", targets: ["PostgresClient"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Sim", targets: ["Sim"]),
        .library(name: "Remote", targets: ["Remote"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "CLI", targets: ["CLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.0.0"),
    ],
    targets: [
        // Pure layers: no I/O.
        .target(name: "Spec", dependencies: ["Yams", "Strategies"], swiftSettings: swiftSettings),
        .target(
            name: "Stats",
            dependencies: [.product(name: "Numerics", package: "swift-numerics")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Metrics", dependencies: ["Stats"], swiftSettings: swiftSettings),
        .target(name: "Bandits", dependencies: ["Stats"], swiftSettings: swiftSettings),
        .target(name: "Strategies", dependencies: ["CHNSW"], swiftSettings: swiftSettings),
        // hnswlib (Debian libhnswlib-dev, header-only C++) behind a C interface, for the
        // embedding strategies' nearest-neighbour index. Optimised even in debug builds: the
        // graph search at -O0 is 10× slower, and tests build indexes of thousands of items.
        .target(name: "CHNSW", cxxSettings: [.define("NDEBUG"), .unsafeFlags(["-O2"])]),
        .target(
            name: "Engine",
            dependencies: ["Spec", "Stats", "Metrics", "Bandits", "Strategies"],
            swiftSettings: swiftSettings
        ),
        .target(name: "Sim", dependencies: ["Engine"], swiftSettings: swiftSettings),

        // Edge: PostgreSQL over libpq.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "PostgresClient",
            dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: ["PostgresClient", "Engine", "Stats", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings,
            plugins: ["EmbedMigrations"]
        ),
        // sql/ compiled into Storage before every build (scripts/embed-migrations.sh), so the
        // binary carries its migrations.
        .plugin(name: "EmbedMigrations", capability: .buildTool()),

        // Edge: strategies served by another process over HTTP.
        .target(name: "Remote", dependencies: ["Strategies", "Engine", "Spec"], swiftSettings: swiftSettings),

        // The experiment report: loaded over a given connection, analysed without I/O; shared by
        // `abctl report` and the built-in dashboard so both show the same numbers.
        .target(
            name: "Reporting",
            dependencies: ["Spec", "Stats", "Storage", "PostgresClient"],
            swiftSettings: swiftSettings
        ),

        // The decision service: HTTP on Hummingbird, state from PostgreSQL.
        .target(
            name: "Server",
            dependencies: [
                "Spec", "Stats", "Engine", "Strategies", "Remote", "PostgresClient", "Storage", "Reporting",
                .product(name: "Hummingbird", package: "hummingbird", moduleAliases: ["Metrics": "SwiftMetrics"]),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The command line.
        .target(
            name: "CLI",
            dependencies: [
                "Spec", "Stats", "Metrics", "Bandits", "Strategies", "Engine", "Sim",
                "PostgresClient", "Storage", "Remote", "Reporting", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "abctl",
            dependencies: ["CLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "SpecTests", dependencies: ["Spec"], swiftSettings: swiftSettings),
        .testTarget(name: "StatsTests", dependencies: ["Stats"], swiftSettings: swiftSettings),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], swiftSettings: swiftSettings),
        .testTarget(name: "BanditsTests", dependencies: ["Bandits"], swiftSettings: swiftSettings),
        .testTarget(name: "StrategiesTests", dependencies: ["Strategies"], swiftSettings: swiftSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine"], swiftSettings: swiftSettings),
        .testTarget(name: "SimTests", dependencies: ["Sim"], swiftSettings: swiftSettings),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "Strategies", "TestSupport"], swiftSettings: swiftSettings),
        // Test helpers without PostgreSQL: an executor with its own threads, a stand-in model endpoint.
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: swiftSettings),
        // Shared by the test targets that need a real PostgreSQL server; never shipped.
        .target(
            name: "PostgresTestSupport",
            dependencies: ["PostgresClient"],
            path: "Tests/PostgresTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PostgresClientTests",
            dependencies: ["PostgresClient", "PostgresTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "PostgresTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Stats", "Storage"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Storage", "Spec", "Strategies", "Engine", "PostgresTestSupport", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird", moduleAliases: ["Metrics": "SwiftMetrics"]),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CLITests", dependencies: ["CLI", "Storage", "PostgresTestSupport"], swiftSettings: swiftSettings),
    ]
)
