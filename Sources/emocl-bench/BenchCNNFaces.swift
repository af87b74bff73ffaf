import ArgumentParser
import Datasets
import Foundation
import Pipeline
import Vision

/// `emocl-bench cnn-faces`: times MTCNN face detection on a raw RGB image (8-bit, row-major,
/// interleaved, as written by Scripts/bench/41-cnn-faces.sh so that both sides see the same
/// pixels).
struct BenchCNNFaces: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cnn-faces",
    abstract: "Time MTCNN face detection on a raw RGB image."
  )

  @Option(help: "Raw 8-bit RGB pixels, row-major, interleaved.") var raw: String
  @Option(help: "Image width in pixels.") var width: Int
  @Option(help: "Image height in pixels.") var height: Int
  @Option(help: "MTCNN model file (default: the repository's Models/mtcnn.safetensors).")
  var model: String?
  @Option(help: "Smallest face side searched for, in pixels.") var minFace: Double = 20
  @Option(help: "Threads for P-Net's convolutions.") var threads: Int = 2
  @OptionGroup(title: "MTCNN") var mtcnn: MTCNNFlags
  @Option(help: "Timed runs (the median is printed).") var repeats: Int = 5
  @Option(
    help: """
      Also time this many detections started at once, each caller running `repeats` of them, \
      and print detections/s (0: skip).
      """)
  var concurrent: Int = 0
  @Option(help: "Detections the detector runs at once (default: one per core).")
  var concurrentCalls: Int?

  func run() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))
    guard width > 0, height > 0, bytes.count == width * height * 3 else {
      throw ValidationError("\(raw) holds \(bytes.count) bytes, not \(width)x\(height)x3")
    }
    let image = Image(width: width, height: height, channels: 3, pixels: bytes)
    let detector: MTCNNDetector
    if let model {
      detector = try MTCNNDetector(
        file: try ModelFile.read(from: URL(fileURLWithPath: model)), minFaceSize: minFace,
        threads: threads, concurrentCalls: concurrentCalls, retriesTurned: mtcnn.turnedLooks,
        quantizedPNet: mtcnn.int8PNet,
        quantizedRefinement: mtcnn.int8Refine, planarKernels: try mtcnn.planarKernels())
    } else {
      detector = try MTCNNDetector.standard(
        minFaceSize: minFace, threads: threads, concurrentCalls: concurrentCalls,
        retriesTurned: mtcnn.turnedLooks, quantizedPNet: mtcnn.int8PNet,
        quantizedRefinement: mtcnn.int8Refine, planarKernels: try mtcnn.planarKernels())
    }
    // The first call builds the P-Net instances for this image's pyramid sizes.
    let firstStart = DispatchTime.now().uptimeNanoseconds
    var found = try detector.detect(in: image)
    let firstMs = Double(DispatchTime.now().uptimeNanoseconds - firstStart) / 1e6
    var times: [Double] = []
    for _ in 0..<max(repeats, 1) {
      let start = DispatchTime.now().uptimeNanoseconds
      found = try detector.detect(in: image)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    print(
      String(
        format: "ms %.2f first_ms %.2f faces %d", times[times.count / 2], firstMs, found.count)
        + " pnet \(detector.runsQuantizedPNet ? "int8" : "float")"
        + " refine \(detector.runsQuantizedRefinement ? "int8" : "float")"
        + " pnet_kernels \(detector.pnetKernels.map(String.init(describing:)) ?? "generic")")
    guard concurrent > 0 else { return }
    // A server's case: several requests at once, each a whole detection.
    let calls = concurrent * max(repeats, 1)
    let start = DispatchTime.now().uptimeNanoseconds
    DispatchQueue.concurrentPerform(iterations: concurrent) { _ in
      for _ in 0..<max(repeats, 1) { _ = try? detector.detect(in: image) }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(
      String(
        format: "concurrent %d calls_at_once %d detections_per_s %.2f", concurrent,
        detector.concurrentCalls, Double(calls) / seconds))
  }
}
