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
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
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
    // 6. The CLI.
    .executableTarget(
      name: "emocl",
      dependencies: [
        "Tensor", "Vision", "Learning",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Shared helpers for tests: locating ../shared, fixtures, temporary files.
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "TensorTests", dependencies: ["Tensor", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "VisionTests", dependencies: ["Vision", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "LearningTests", dependencies: ["Learning", "Vision", "TestSupport"], exclude: ["Fixtures"]),
    .testTarget(name: "emoclTests", dependencies: ["emocl", "Learning", "Vision", "TestSupport"], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v6]
)
