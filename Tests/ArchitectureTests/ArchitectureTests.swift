import Foundation
import TestSupport
import Testing

/// The layer order of docs/architecture.md, from the bottom up: a target may depend on and
/// import targets of earlier layers only.
let emoclLayers: [[String]] = [
  ["CBLAS", "CCodecs", "CFreeType", "CSQLite", "CVideo", "CKernels", "CFuzzerDriver"],
  ["Tensor"],
  ["Vision"],
  ["Datasets"],
  ["Classical", "NeuralNet"],
  ["Training", "Pipeline"],
  ["Reporting"],
  ["Service"],
  ["emocl", "emocl-bench", "FuzzHarness"],
  ["emocl-fuzz"],
]

@Suite struct ArchitectureTests {
  /// Package.swift and every import line under Sources/ and Tests/.
  func emoclCheck() throws -> LayerCheck {
    let root = SharedData.repositoryRoot
    let manifest = PackageManifest(
      parsing: try String(
        contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8))
    var imports: [String: [String: Set<String>]] = [:]
    for target in manifest.targets {
      let folder = root.appendingPathComponent(target.path)
      imports[target.name] = try ImportScanner.imports(under: folder).reduce(into: [:]) {
        $0[String($1.key.dropFirst(root.path.count + 1))] = $1.value
      }
    }
    return LayerCheck(layers: emoclLayers, manifest: manifest, imports: imports)
  }

  @Test func packageKeepsToItsLayers() throws {
    let check = try emoclCheck()
    #expect(check.manifest.targets.count > 20)
    #expect(check.manifest.byName["Pipeline"]?.targets.contains("NeuralNet") == true)
    #expect(check.manifest.byName["Service"]?.products.contains("Hummingbird") == true)
    #expect(check.imports["Pipeline"]?.isEmpty == false)
    #expect(check.violations() == [])
  }

  @Test func everyLayeredTargetExists() throws {
    let names = Set(try emoclCheck().manifest.targets.map(\.name))
    #expect(Set(emoclLayers.flatMap { $0 }).subtracting(names) == [])
  }

  /// The checker itself fails on a package that breaks each rule.
  @Test func checkerFindsViolations() {
    let manifest = PackageManifest(
      parsing: """
        let package = Package(
          name: "Bad",
          targets: [
            .target(name: "Low", dependencies: ["High"]),  // upward
            .target(name: "High", dependencies: ["Low", .product(name: "Web", package: "web")]),
            .target(name: "Stray", path: "Elsewhere/Stray"),
            .testTarget(name: "LowTests", dependencies: ["Low"]),
          ]
        )
        """)
    #expect(manifest.byName["High"]?.products == ["Web"])
    #expect(manifest.byName["Stray"]?.path == "Elsewhere/Stray")
    #expect(manifest.byName["LowTests"]?.isTest == true)
    let check = LayerCheck(
      layers: [["Low"], ["High"]], manifest: manifest,
      imports: [
        "Low": ["Sources/Low/A.swift": ["Foundation", "Web"]],
        "LowTests": ["Tests/LowTests/T.swift": ["Low", "High"]],
      ])
    let problems = check.violations()
    #expect(problems.contains("Low (layer 0) depends on High (layer 1), not a lower layer"))
    #expect(problems.contains("Stray is in no layer"))
    #expect(problems.contains("Sources/Low/A.swift imports Web, which Low does not declare"))
    #expect(
      problems.contains("Tests/LowTests/T.swift imports High, which LowTests does not declare"))
    #expect(problems.contains { $0.hasPrefix("dependency cycle: ") })
    #expect(!problems.contains { $0.contains("Foundation") })
  }

  @Test func importScannerReadsEveryForm() {
    // Built from pieces so that this file itself holds no import-like lines.
    let text = [
      "import Foundation", "@preconcurrency import Dispatch", "import struct Tensor.Tensor",
      "// import Commented", "let x = \"import Quoted\"",
    ].joined(separator: "\n")
    #expect(ImportScanner.imports(in: text) == ["Foundation", "Dispatch", "Tensor"])
  }

  /// OpenBLAS's thread count is one setting per process: only executables set it (through
  /// `ThreadPolicy.configureProcess()`), library code takes a `ThreadPolicy` value instead.
  /// `SGEMMSpeed` sets and restores it for `emocl info`'s measurement only.
  @Test func onlyExecutablesSetTheBLASThreads() throws {
    let sources = SharedData.repositoryRoot.appendingPathComponent("Sources")
    let allowed: Set<String> = [
      "Tensor/ThreadPolicy.swift", "Tensor/SystemReport/SGEMMSpeed.swift",
    ]
    let executables = ["emocl/", "emocl-bench/"]
    var setters: [String] = []
    let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
      guard url.pathExtension == "swift" else { continue }
      let path = String(url.path.dropFirst(sources.path.count + 1))
      guard !allowed.contains(path), !executables.contains(where: path.hasPrefix) else {
        continue
      }
      let code = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").filter {
        !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//")
      }
      if code.contains(where: {
        $0.contains(".configureProcess()") || $0.contains("openblas_set_num_threads")
      }) {
        setters.append(path)
      }
    }
    #expect(setters == [])
    #expect(
      allowed.allSatisfy {
        FileManager.default.fileExists(atPath: sources.appendingPathComponent($0).path)
      })
  }
}

/// Tensor's public functions are its API to the layers above: each one has a caller in another
/// target. Kernels only Tensor and its tests use are `package`, and dead ones are deleted.
@Suite struct TensorAPITests {
  /// The elementwise algebra behind Tensor's public operators (`+`, `-=`, `*` …), public as
  /// named forms of those operators; and `reshape`, the in-place partner of `init(shape:)`.
  static let algebra: Set<String> = [
    "addInPlace", "subtractInPlace", "multiplyInPlace", "scaleInPlace", "mapInPlace", "zipMap",
    "zipMapInPlace", "reshape",
  ]

  @Test func everyPublicTensorFunctionHasACallerOutsideTensor() throws {
    let sources = SharedData.repositoryRoot.appendingPathComponent("Sources")
    var tensor: [String] = []
    var others: [String] = []
    let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
      guard url.pathExtension == "swift" else { continue }
      let text = try String(contentsOf: url, encoding: .utf8)
      if url.path.hasPrefix(sources.path + "/Tensor/") {
        tensor.append(text)
      } else {
        others.append(text)
      }
    }
    let declared = Set(tensor.flatMap(PublicAPIScanner.publicFunctionNames(in:)))
    #expect(declared.count > 20, "the scanner found \(declared.count) public functions")
    let used = PublicAPIScanner.identifiers(in: others.joined(separator: "\n"))
    let uncalled = declared.subtracting(used).subtracting(Self.algebra).sorted()
    #expect(uncalled == [], "public Tensor functions with no caller outside Tensor")
    #expect(Self.algebra.isSubset(of: declared), "the algebra list names a removed function")
  }

  @Test func scannerReadsDeclarations() {
    let text = """
      public func sgemm(_ a: Int) {}
        @inlinable public mutating func fill(_ v: Float) {}
        public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { lhs }
        package func hidden() {}
        func internalOne() {}
        // public func commented() {}
      """
    #expect(PublicAPIScanner.publicFunctionNames(in: text) == ["sgemm", "fill"])
    #expect(PublicAPIScanner.identifiers(in: "x.sgemm(a, b_2)") == ["x", "sgemm", "a", "b_2"])
  }
}
