import Foundation

/// Counts for `emocl-bench detector-scenes`: faces found overall and by size, angle and cover;
/// detections that match no face; detection time.
struct DetectionTally {
  /// Upper bounds (exclusive, px) of the face-size bands; the last band takes the rest.
  static let sizeBands = [48, 96, 200]
  /// Upper bounds (exclusive, degrees of |angle|) of the angle bands.
  static let angleBands = [10.0, 20.0]

  private(set) var faces = 0
  private(set) var found = 0
  private(set) var falsePositives = 0
  /// (found, total) per size band, per angle band, and for uncovered / covered faces.
  private var bySize = [(Int, Int)](repeating: (0, 0), count: sizeBands.count + 1)
  private var byAngle = [(Int, Int)](repeating: (0, 0), count: angleBands.count + 1)
  private var byCover = [(Int, Int)](repeating: (0, 0), count: 2)
  /// Detection time over all scenes.
  var seconds = 0.0

  /// Adds one scene's faces, which of them were `found`, and its unmatched detections.
  mutating func add(_ sceneFaces: [DetectorScene.Face], found hits: [Bool], falsePositives: Int) {
    for (face, hit) in zip(sceneFaces, hits) {
      faces += 1
      found += hit ? 1 : 0
      let size = Self.sizeBands.firstIndex { face.box.width < $0 } ?? Self.sizeBands.count
      let angle = Self.angleBands.firstIndex { abs(face.degrees) < $0 } ?? Self.angleBands.count
      Self.count(&bySize[size], hit)
      Self.count(&byAngle[angle], hit)
      Self.count(&byCover[face.covered ? 1 : 0], hit)
    }
    self.falsePositives += falsePositives
  }

  private static func count(_ cell: inout (Int, Int), _ hit: Bool) {
    cell.0 += hit ? 1 : 0
    cell.1 += 1
  }

  /// Prints the figures as `name<TAB>value` lines.
  func print(scenes: Int, megapixels: Double) {
    func percent(_ cell: (Int, Int)) -> String {
      cell.1 == 0
        ? "n/a"
        : String(format: "%d/%d\t%.1f%%", cell.0, cell.1, 100 * Double(cell.0) / Double(cell.1))
    }
    Swift.print("faces_found\t\(percent((found, faces)))")
    let sizeNames = ["24-47", "48-95", "96-199", "200-400"]
    for (k, cell) in bySize.enumerated() {
      Swift.print("found_px_\(sizeNames[k])\t\(percent(cell))")
    }
    let angleNames = ["0-9", "10-19", "20-30"]
    for (k, cell) in byAngle.enumerated() {
      Swift.print("found_deg_\(angleNames[k])\t\(percent(cell))")
    }
    Swift.print("found_uncovered\t\(percent(byCover[0]))")
    Swift.print("found_covered\t\(percent(byCover[1]))")
    Swift.print(
      String(
        format: "false_positives\t%d\t%.2f per 20 scenes", falsePositives,
        20 * Double(falsePositives) / Double(max(scenes, 1))))
    let perScene = 1000 * seconds / Double(max(scenes, 1))
    Swift.print(
      String(
        format: "detection_ms\t%.1f per scene\t%.1f per megapixel", perScene,
        perScene / max(megapixels, 1e-9)))
  }
}
