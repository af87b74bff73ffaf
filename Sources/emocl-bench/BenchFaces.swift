import ArgumentParser
import Foundation
import Vision

/// `emocl-bench faces`: times face detection on a raw grey image (8-bit, row-major, as written
/// by Scripts/bench/40-faces.sh so that both sides see the same pixels).
struct BenchFaces: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "faces",
    abstract: "Time Haar-cascade face detection on a raw grey image."
  )

  @Option(help: "Raw 8-bit grey pixels, row-major.") var raw: String
  @Option(help: "Image width in pixels.") var width: Int
  @Option(help: "Image height in pixels.") var height: Int
  @Option(help: "Cascade XML (default: OpenCV's frontalface_default).") var cascade: String?
  @Option(help: "Scale factor between pyramid levels.") var scaleFactor: Double = 1.1
  @Option(help: "OpenCV minNeighbors.") var minNeighbors: Int = 3
  @Option(help: "Minimum box side in pixels.") var minSize: Int = 24
  @Option(help: "Maximum box side in pixels (0: none).") var maxSize: Int = 0
  @Option(help: "Worker threads.") var threads: Int = 2
  @Option(help: "Timed runs (the median is printed).") var repeats: Int = 5
  @Option(help: "Detect on a copy with at most this longer side (0: full size).")
  var maxWorkingSide: Int = 0
  @Option(help: "Minimum box side as a fraction of the shorter image side.")
  var minRelativeSize: Double = 0
  @Flag(help: "Keep only boxes in which the eye cascade finds an eye.") var requireEye = false
  @Flag(help: "Keep the best supported of overlapping boxes.") var suppressOverlaps = false
  @Flag(help: "Use DetectionOptions.default instead of the options above.") var defaults = false
  @Flag(help: "Print the boxes as JSON.") var boxes = false

  func run() throws {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: raw)))
    guard width > 0, height > 0, bytes.count == width * height else {
      throw ValidationError("\(raw) holds \(bytes.count) bytes, not \(width)x\(height)")
    }
    let image = Image(width: width, height: height, channels: 1, pixels: bytes)
    let loadStart = DispatchTime.now().uptimeNanoseconds
    let haar =
      try cascade.map { try HaarCascade(contentsOf: URL(fileURLWithPath: $0)) }
      ?? HaarCascade.frontalFaceDefault()
    let loadMs = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
    let eyes = defaults || requireEye ? try HaarCascade.eye() : nil
    let detector = FaceDetector(cascade: haar, eyeCascade: eyes)
    var options = DetectionOptions(
      scaleFactor: scaleFactor, minNeighbors: minNeighbors, minSize: minSize,
      maxSize: maxSize > 0 ? maxSize : nil,
      maxWorkingSide: maxWorkingSide > 0 ? maxWorkingSide : nil,
      minRelativeSize: minRelativeSize, requireEye: requireEye,
      suppressOverlaps: suppressOverlaps, threads: threads)
    if defaults {
      options = DetectionOptions.default
      options.threads = threads
    }
    var times: [Double] = []
    var found: [FaceBox] = []
    for _ in 0..<max(repeats, 1) {
      let start = DispatchTime.now().uptimeNanoseconds
      found = try detector.detect(in: image, options: options)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    let median = times[times.count / 2]
    print(String(format: "ms %.2f load_ms %.2f faces %d", median, loadMs, found.count))
    if boxes {
      let rows = found.map { "[\($0.x),\($0.y),\($0.width),\($0.height),\($0.neighbors)]" }
      print("[" + rows.joined(separator: ",") + "]")
    }
  }
}
