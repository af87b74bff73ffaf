// swift-tools-version: 6.1
import PackageDescription

// Layers, each using only those before it (docs/architecture.md; Tests/ArchitectureTests checks
// this file and every import line against the same order):
// C shims -> Tensor -> Vision -> Datasets -> Classical, NeuralNet -> Training, Pipeline
//   -> Reporting -> Service -> emocl, emocl-bench.
let package = Package(
  name: "Emocl",
  platforms: [.macOS(.v15)],
  products: [
    // Everything the CLI does, as a library (without the web service's dependencies).
    .library(
      name: "EmoclKit",
      targets: [
        "Tensor", "Vision", "Datasets", "Classical", "NeuralNet", "Training", "Pipeline",
        "Reporting",
      ]),
    // The web service, for a program that embeds it.
    .library(name: "EmoclService", targets: ["Service"]),
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
    // A channel handler that answers `Expect: 100-continue` (hummingbird builds these anyway).
    .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
    .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.3.0"),
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
      linkerSettings: [
        .linkedLibrary("turbojpeg"), .linkedLibrary("png16"), .linkedLibrary("webp"),
      ]
    ),
    // FFmpeg (libavformat, libavcodec, libswscale, libavutil) behind a small C API: video
    //    decoding with rotation, and encoding of annotated videos; FFmpeg's log is silenced.
    .target(
      name: "CVideo",
      path: "Sources/CVideo",
      linkerSettings: [
        .linkedLibrary("avformat"), .linkedLibrary("avcodec"), .linkedLibrary("swscale"),
        .linkedLibrary("avutil"),
      ]
    ),
    // Int8 convolution kernels on AVX-512 VNNI, compiled for it whatever the build's target CPU
    //    and called only when the CPU has it (Swift cannot target one function at a CPU).
    .target(name: "CKernels", path: "Sources/CKernels"),
    // 2. Tensor: Float32 tensors, sgemm, im2col, reductions, LAPACK decompositions, int8
    //    convolutions.
    .target(name: "Tensor", dependencies: ["CBLAS", "CKernels"]),
    // 3. Vision: decoding (images and video), pixel ops, EXIF orientation, Haar-cascade face
    //    detection, drawing.
    .target(name: "Vision", dependencies: ["CCodecs", "CFreeType", "CVideo", "Tensor"]),
    // 4. Datasets: emotions, labelled image sets, model files (safetensors + model card) and the
    //    metrics a card records.
    .target(name: "Datasets", dependencies: ["Tensor", "Vision"]),
    // 5. The two model families, side by side: classical (scaler, PCA, logistic regression, SVM,
    //    and their training recipe) and the CNN engine (layers, workspace, inference).
    .target(name: "Classical", dependencies: ["Tensor", "Datasets"]),
    .target(name: "NeuralNet", dependencies: ["Tensor", "Datasets"]),
    // 6. Training the CNN (trainer, optimisers, augmentation, calibration, recipe) beside the
    //    photo pipeline (image -> faces -> emotions with any model).
    .target(name: "Training", dependencies: ["Tensor", "Datasets", "NeuralNet"]),
    .target(
      name: "Pipeline", dependencies: ["Tensor", "Vision", "Datasets", "Classical", "NeuralNet"]),
    // 7. Reporting: charts and the HTML evaluation report.
    .target(
      name: "Reporting",
      dependencies: ["Tensor", "Vision", "Datasets", "Classical", "NeuralNet", "Pipeline"]),
    // 8. Service: the Hummingbird web app, its page and its storage (SQLite via Debian's
    //    libsqlite3, or PostgreSQL).
    .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
    .target(
      name: "Service",
      dependencies: [
        "Vision", "Datasets", "Pipeline", "CSQLite",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdCore", package: "hummingbird"),
        .product(name: "HummingbirdTLS", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
      ],
      resources: [.copy("Public")]
    ),
    // 9. The CLI, and the benchmarks `make bench` runs (an executable that is not a product).
    .executableTarget(
      name: "emocl",
      dependencies: [
        "Tensor", "Vision", "Datasets", "Classical", "NeuralNet", "Training", "Pipeline",
        "Reporting", "Service",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    .executableTarget(
      name: "emocl-bench",
      dependencies: [
        "Tensor", "Vision", "Datasets", "Classical", "NeuralNet", "Training", "Pipeline",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Fuzzing (docs/fuzzing.md): one harness per parser, and `emocl-fuzz TARGET`, which runs
    // libFuzzer when built with `-sanitize=fuzzer,address -DFUZZING` and replays inputs otherwise.
    .target(name: "CFuzzerDriver", path: "Sources/Fuzz/CFuzzerDriver"),
    .target(
      name: "FuzzHarness",
      dependencies: [
        "Vision", "Datasets", "Pipeline", "Service",
        .product(name: "Hummingbird", package: "hummingbird"),
      ],
      path: "Sources/Fuzz/FuzzHarness"),
    .executableTarget(
      name: "emocl-fuzz", dependencies: ["FuzzHarness", "CFuzzerDriver"],
      path: "Sources/Fuzz/emocl-fuzz"),
    // Shared helpers for tests: locating ../shared, fixtures, temporary files.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    // Tiny models and generated faces shared by the model, pipeline, report, service and CLI tests.
    .target(
      name: "ModelTestSupport", dependencies: ["Tensor", "Datasets", "Classical"],
      path: "Tests/ModelTestSupport"),
    .testTarget(
      name: "TensorTests", dependencies: ["Tensor", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "VisionTests", dependencies: ["Vision", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(
      name: "DatasetsTests", dependencies: ["Datasets", "Tensor", "Vision", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "ClassicalTests",
      dependencies: [
        "Classical", "Datasets", "Pipeline", "Tensor", "Vision", "TestSupport", "ModelTestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "NeuralNetTests",
      dependencies: ["NeuralNet", "Training", "Datasets", "Tensor", "Vision", "TestSupport"],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "TrainingTests",
      dependencies: ["Training", "NeuralNet", "Datasets", "Tensor", "TestSupport"]),
    .testTarget(
      name: "PipelineTests",
      dependencies: [
        "Pipeline", "Classical", "NeuralNet", "Datasets", "Tensor", "Vision", "TestSupport",
        "ModelTestSupport",
      ],
      exclude: ["Fixtures"]),
    .testTarget(
      name: "ReportingTests",
      dependencies: [
        "Reporting", "Pipeline", "Classical", "NeuralNet", "Datasets", "Tensor", "Vision",
        "TestSupport", "ModelTestSupport",
      ]),
    // Package.swift and the import lines against the layer order of docs/architecture.md.
    .testTarget(name: "ArchitectureTests", dependencies: ["TestSupport"]),
    .testTarget(
      name: "ServiceTests",
      dependencies: [
        "Service", "Datasets", "Pipeline", "Classical", "Vision", "Tensor", "TestSupport",
        "ModelTestSupport",
        .product(name: "Logging", package: "swift-log"),
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
      name: "FuzzRegressionTests", dependencies: ["FuzzHarness", "Service", "CVideo"],
      path: "Tests/FuzzRegressionTests"),
    .testTarget(
      name: "emoclTests",
      dependencies: [
        "emocl", "Datasets", "Classical", "NeuralNet", "Pipeline", "Reporting", "Vision", "Tensor",
        "TestSupport", "ModelTestSupport",
      ],
      exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
