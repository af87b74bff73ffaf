import Foundation

/// A trained Viola–Jones cascade of boosted Haar-feature trees, read from OpenCV's cascade XML
/// (the format written by `opencv_traincascade`: `cascade/stages/_/weakClassifiers/_/
/// internalNodes, leafValues` and `features/_/rects, tilted`).
///
/// Evaluation follows OpenCV's `CascadeClassifier` exactly (same float/double arithmetic, same
/// stage threshold epsilon), so a `FaceDetector` using it reproduces `detectMultiScale`.
public struct HaarCascade: Sendable {
  /// Width of the training window in pixels (24 for the frontal face cascades).
  public let windowWidth: Int
  /// Height of the training window in pixels.
  public let windowHeight: Int
  /// Number of stages; a window is accepted when it passes all of them.
  public var stageCount: Int { stages.count }
  /// Number of distinct Haar features.
  public var featureCount: Int { features.count }
  /// True when some feature is a 45° rotated one (needs the tilted integral image).
  public let hasTiltedFeatures: Bool
  /// True when every weak classifier is a single split (stump); evaluated by a faster path.
  public var isStumpBased: Bool { maxNodesPerTree == 1 }

  struct Stage: Sendable {
    /// The file's threshold minus 1e-5 (in Float), as OpenCV stores it.
    var threshold: Float
    var firstTree: Int
    var treeCount: Int
  }

  struct Tree: Sendable {
    var firstNode: Int
    var nodeCount: Int
    var firstLeaf: Int
  }

  /// A split: go `left` when the feature value is below `threshold`. A child > 0 is a node index
  /// within the tree; a child <= 0 is leaf `-child`.
  struct Node: Sendable {
    var feature: Int
    var threshold: Float
    var left: Int
    var right: Int
  }

  struct Rect: Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
    var weight: Float
  }

  struct Feature: Sendable {
    /// One to three weighted rectangles in window coordinates.
    var rects: [Rect]
    var tilted: Bool
  }

  let stages: [Stage]
  let trees: [Tree]
  let nodes: [Node]
  let leaves: [Float]
  let features: [Feature]
  let maxNodesPerTree: Int

  /// Loads the cascade in the XML file at `url`.
  /// - Throws: `HaarCascadeError.fileNotFound`, `.unreadable`, `.malformedXML`, `.invalidCascade`
  ///   or `.unsupported`.
  public init(contentsOf url: URL) throws {
    let path = url.path
    guard FileManager.default.fileExists(atPath: path) else {
      throw HaarCascadeError.fileNotFound(path: path)
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw HaarCascadeError.unreadable(path: path, reason: "\(error.localizedDescription)")
    }
    try self.init(xml: [UInt8](data))
  }

  /// Parses a cascade from the bytes of an OpenCV cascade XML file.
  public init(xml bytes: [UInt8]) throws {
    let document = try CascadeXML(bytes: bytes)
    let model = try CascadeModelReader(document).read()
    self.windowWidth = model.windowWidth
    self.windowHeight = model.windowHeight
    self.stages = model.stages
    self.trees = model.trees
    self.nodes = model.nodes
    self.leaves = model.leaves
    self.features = model.features
    self.maxNodesPerTree = model.maxNodesPerTree
    self.hasTiltedFeatures = model.features.contains { $0.tilted }
  }

  // MARK: - Standard cascades

  /// Debian's install location of OpenCV's cascades (package `opencv-data`).
  public static let debianDirectory = URL(fileURLWithPath: "/usr/share/opencv4/haarcascades")

  /// The directory searched for standard cascades: `directory` if given, else the environment
  /// variable `EMOCL_HAARCASCADES`, else `debianDirectory`.
  public static func standardDirectory(_ directory: URL? = nil) -> URL {
    if let directory { return directory }
    if let path = ProcessInfo.processInfo.environment["EMOCL_HAARCASCADES"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    return debianDirectory
  }

  /// Loads the standard cascade file `fileName` (e.g. `"haarcascade_eye.xml"`) from
  /// `standardDirectory(directory)`.
  public static func named(_ fileName: String, in directory: URL? = nil) throws -> HaarCascade {
    try HaarCascade(contentsOf: standardDirectory(directory).appendingPathComponent(fileName))
  }

  /// OpenCV's `haarcascade_frontalface_default.xml` (Lienhart's 25-stage stump cascade, 24×24):
  /// the default face cascade.
  public static func frontalFaceDefault(in directory: URL? = nil) throws -> HaarCascade {
    try named("haarcascade_frontalface_default.xml", in: directory)
  }

  /// OpenCV's `haarcascade_frontalface_alt2.xml` (20×20, two-split trees): fewer false positives
  /// on some photos, at some cost in recall.
  public static func frontalFaceAlt2(in directory: URL? = nil) throws -> HaarCascade {
    try named("haarcascade_frontalface_alt2.xml", in: directory)
  }

  /// OpenCV's `haarcascade_eye.xml` (20×20 stumps), used to confirm face candidates.
  public static func eye(in directory: URL? = nil) throws -> HaarCascade {
    try named("haarcascade_eye.xml", in: directory)
  }
}
