// swift-tools-version:6.1
import PackageDescription

/// Benchmarks live apart from the main build so a plain `swift build` never compiles them.
/// Run with `swift run -c release --package-path Benchmarks abctl-bench AREA`.
let package = Package(
    name: "abctl-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "abctl", path: "..")],
    targets: [
        .executableTarget(
            name: "abctl-bench",
            dependencies: [
                .product(name: "Spec", package: "abctl"),
                .product(name: "Stats", package: "abctl"),
                .product(name: "Metrics", package: "abctl"),
                .product(name: "Bandits", package: "abctl"),
                .product(name: "Strategies", package: "abctl"),
                .product(name: "Engine", package: "abctl"),
                .product(name: "PostgresClient", package: "abctl"),
                .product(name: "Storage", package: "abctl"),
                .product(name: "Sim", package: "abctl"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        )
    ]
)
