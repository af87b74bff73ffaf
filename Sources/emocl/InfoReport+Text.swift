import Foundation
import Tensor

extension InfoReport {
  /// The report for people: one labelled line (or block) per subject.
  var text: String {
    var lines: [String] = []
    func add(_ label: String, _ value: String) {
      lines.append(label.padding(toLength: 12, withPad: " ", startingAt: 0) + value)
    }
    let cpu = system.cpu
    add("Emocl", version)
    add(
      "CPU",
      "\(cpu.model.isEmpty ? "unknown model" : cpu.model) (\(cpu.vendor), family \(cpu.family) "
        + "model \(cpu.modelNumber) stepping \(cpu.stepping))")
    let present = CPUFeature.allCases.filter(cpu.features.contains).map(\.rawValue)
    let absent = CPUFeature.allCases.filter { !cpu.features.contains($0) }.map(\.rawValue)
    add("features", present.isEmpty ? "none of interest" : present.joined(separator: " "))
    if !absent.isEmpty { add("", "absent: " + absent.joined(separator: " ")) }
    add("BLAS", system.blasLibrary + (system.blasPath.map { " (\($0))" } ?? ""))
    add("", system.blasConfiguration)
    add("kernels", kernelSummary)
    if let warning = system.kernel.warning { add("", "WARNING: \(warning)") }
    add("", "this CPU runs: " + system.supportedCores.joined(separator: " "))
    add(
      "",
      Int8Convolution.isSupported
        ? "int8 convolutions: AVX-512 VNNI (the emotion CNN unless --float-cnn; MTCNN's P-Net "
          + "with --int8-pnet, its R- and O-Net with --int8-refine)"
        : "int8 convolutions: not on this CPU (no AVX-512 VNNI); float everywhere")
    add(
      "",
      detectorKernels.map {
        "face detector (MTCNN): \($0) planar and pixel-major float kernels"
      } ?? "face detector (MTCNN): the networks' generic layers (no AVX2 with FMA)")
    add(
      "threads",
      "\(system.cores) cores; OpenBLAS \(system.blasThreads) thread\(system.blasThreads == 1 ? "" : "s")"
    )
    if let speed = system.sgemm {
      add(
        "sgemm",
        "\(speed.size)³: \(Self.fixed(speed.oneThread)) GFLOP/s on 1 thread, "
          + "\(Self.fixed(speed.allThreads)) GFLOP/s on \(speed.threads) threads")
    }
    add("models", "\(modelsFolder) (\(modelsFolderSource))")
    if let modelsError { add("", modelsError) }
    if models.isEmpty && modelsError == nil { add("", "no *.safetensors files") }
    for model in models {
      add("", "\(model.name)  \(model.bytes) bytes  sha256 \(model.sha256)")
      if int8Models.contains(model.name) {
        add(
          "",
          "  8-bit ranges in its card: "
            + (Int8Convolution.isSupported
              ? "runs in 8 bits here (--float-cnn for floats)" : "floats here (no AVX-512 VNNI)"))
      }
    }
    add("database", "\(database) (\(databaseSource))")
    let variables = environment.keys.sorted().map { "\($0)=\(environment[$0]!)" }
    add(
      "environment",
      variables.isEmpty ? "no BLAS or thread variables set" : variables.joined(separator: " "))
    return lines.joined(separator: "\n")
  }

  /// The report as JSON, keys sorted.
  var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
  }

  static func fixed(_ value: Double) -> String { String(format: "%.1f", value) }
}
