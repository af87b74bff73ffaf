// swift-tools-version: 6.1
import PackageDescription

// Layers, each using only those before it (see README "Architecture"):
// CBLAS, CCodecs, CFreeType (C shims) -> Tensor -> Vision -> Learning -> (Service) -> emocl (CLI).
let package = Package(
  name: "Emocl",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "EmoclKit", targets: ["Tensor", "Vision", "Learning"]),
    .executable(name: "emocl", targets: ["emocl"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    // The web service (Service target) only.
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    // SHA-256 of API keys; postgres-nio builds it anyway (SCRAM authentication).
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // 1. C shims: OpenBLAS + LAPACKE as a system library; image codecs behind small C wrappers
    //    that contain libjpeg/libpng's longjmp error paths.
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    // FreeType for drawing labels on annotated images; pkg-config adds /usr/include/freetype2.
    .systemLibrary(
      name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
      providers: [.apt(["libfreetype-dev"])]),
    .target(
      name: "CCodecs",
      path: "Sources/CCodecs",
      linkerSettings: [.linkedLibrary("turbojpeg"), .linkedLibrary("png16"), .linkedLibrary("webp")]
    ),
    // 2. Tensor: Float32 tensors, sgemm, im2col, reductions, LAPACK decompositions.
    .target(name: "Tensor", dependencies: ["CBLAS"]),
    // 3. Vision: decoding, pixel ops, EXIF orientation, Haar-cascade face detection, drawing.
    .target(name: "Vision", dependencies: ["CCodecs", "CFreeType", "Tensor"]),
    // 4. Learning: datasets, models, layers, optimisers, metrics, model files, charts.
    .target(name: "Learning", dependencies: ["Tensor", "Vision"]),
    // 5. Service: the Hummingbird web app, its page and its storage (SQLite via Debian's
    //    libsqlite3, or PostgreSQL).
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
    .target(
      name: "Service",
      dependencies: [
        "Vision", "Learning", "CSQLite",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      resources: [.copy("Public")]
    ),
    // 6. The CLI.
    .executableTarget(
      name: "emocl",
      dependencies: [
        "Tensor", "Vision", "Learning", "Service",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Fuzzing (docs/fuzzing.md): one harness per parser, and `emocl-fuzz TARGET`, which runs
    // libFuzzer when built with `-sanitize=fuzzer,address -DFUZZING` and replays inputs otherwise.
    .target(name: "CFuzzerDriver", path: "Sources/Fuzz/CFuzzerDriver"),
    .target(
      name: "FuzzHarness", dependencies: ["Vision", "Learning", "Service"],
      path: "Sources/Fuzz/FuzzHarness"),
    .executableTarget(
      name: "emocl-fuzz", dependencies: ["FuzzHarness", "CFuzzerDriver"],
      path: "Sources/Fuzz/emocl-fuzz"),
    // Shared helpers for tests: locating ../shared, fixtures, temporary files.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    // Test models built with Learning, shared by the Learning, service and CLI tests.
    .target(name: "LearningTestSupport", dependencies: ["Learning", "Tensor"], path: "Tests/LearningTestSupport"),
    .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "LearningTests", dependencies: ["Learning", "Vision", "TestSupport", "LearningTestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "ServiceTests",
      dependencies: [
        "Service", "Learning", "TestSupport", "LearningTestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        // Creates a fresh PostgreSQL database per storage test.
        .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "FuzzRegressionTests", dependencies: ["FuzzHarness", "Service"],
      path: "Tests/FuzzRegressionTests"),
    .testTarget(name: "emoclTests", dependencies: ["emocl", "Learning", "Vision", "TestSupport", "LearningTestSupport"], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
