import ArgumentParser
import Foundation
import Vision

/// `emocl-bench decode`: JPEG decode throughput of FER2013-style 48x48 grey JPEGs, from bytes
/// already in memory (file reading excluded). Prints images per second (best of `--repeats`).
struct BenchDecode: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decode", abstract: "Decode JPEGs to grey; print images per second.")

  @Argument(help: "Folder searched recursively for .jpg files.")
  var folder: String

  @Option(help: "Number of files to decode per repeat.")
  var count = 3000

  @Option(help: "Repeats; the best is printed.")
  var repeats = 5

  func run() throws {
    let files = jpegFiles(in: folder).prefix(count)
    guard !files.isEmpty else { throw ValidationError("no .jpg files under \(folder)") }
    let inputs = try files.map { try ImageFile.read($0) }
    var best = Double.infinity
    var checksum = 0
    for _ in 0..<max(1, repeats) {
      let start = DispatchTime.now().uptimeNanoseconds
      for bytes in inputs {
        let image = try Image(decoding: bytes, options: .init(colour: .grey))
        checksum &+= Int(image.pixels[image.pixels.count / 2])
      }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      best = min(best, seconds)
    }
    // The checksum keeps the decoding observable; it goes to stderr.
    FileHandle.standardError.write(
      "decoded \(inputs.count) images, checksum \(checksum)\n".data(using: .utf8)!)
    print(String(format: "%.0f", Double(inputs.count) / best))
  }

  private func jpegFiles(in folder: String) -> [String] {
    let root = URL(fileURLWithPath: folder)
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.lowercased().hasSuffix(".jpg") {
        found.append(root.appendingPathComponent(relative).path)
      }
    }
    return found.sorted()
  }
}
