// swift-tools-version: 6.1
import PackageDescription

// Linux only: the engine and the CLI call Glibc directly and the console needs ncursesw, so no
// Apple platform is declared (none would build).
let package = Package(
    name: "convtui",
    products: [
        .executable(name: "convtui", targets: ["ConvTUI"]),
        .executable(name: "convtui-bench", targets: ["ConvBench"]),
        .executable(name: "convtui-fuzz", targets: ["ConvFuzz"]),
        .library(name: "ConvEngine", targets: ["ConvEngine"]),
    ],
    // Minimums: the versions built and tested against for the direct dependencies; for the
    // packages Hummingbird also uses, the floor hummingbird 2.28.1 itself requires (nothing
    // older resolves), which is above what convtui's own calls need (NIOAsyncChannel,
    // EventLoop.assumeIsolated, NIOThreadPool.singleton, swift-log's Logger, HTTPTypes' fields).
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .systemLibrary(
            name: "CPulse",
            pkgConfig: "libpulse-simple",
            providers: [.apt(["libpulse-dev"])]
        ),
        .target(
            name: "ConvEngine",
            dependencies: [
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "SimServer",
            dependencies: [
                "ConvEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .target(name: "ConsoleCore", dependencies: ["ConvEngine"]),
        // `convtui agent`: the HTTP/WebSocket API and Prometheus metrics over a board.
        .target(
            name: "FleetAgent",
            dependencies: [
                "ConvEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .executableTarget(
            name: "ConvTUI",
            dependencies: [
                "ConvEngine",
                "ConsoleCore",
                "CNcurses",
                "CPulse",
                "SimServer",
                "FleetAgent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ConvBench",
            dependencies: [
                "ConvEngine",
                "ConsoleCore",
                "FleetAgent",
                "SimServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ConvFuzz",
            dependencies: [
                "ConsoleCore",
                "ConvEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["ConvEngine"], path: "Tests/TestSupport"),
        .testTarget(
            name: "ConvEngineTests",
            // Histogram: LatencyDistribution's figures are checked against the library's own.
            // NIO: the WebSocket handler is driven on a testing event loop, whose time the test moves.
            dependencies: [
                "ConvEngine", "TestSupport", .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ], exclude: ["Fixtures"]),
        .testTarget(name: "ConsoleCoreTests", dependencies: ["ConsoleCore", "ConvEngine", "TestSupport"]),
        .testTarget(name: "ConvTUITests", dependencies: ["ConvTUI", "ConsoleCore", "ConvEngine", "TestSupport"]),
        .testTarget(
            name: "FleetAgentTests",
            dependencies: [
                "FleetAgent", "ConvEngine", "TestSupport",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SimServerTests",
            dependencies: [
                "SimServer", "ConvEngine", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
