/// Which face detector finds the faces: `cnn` (``MTCNNDetector``, boxes, scores and landmarks)
/// or `haar` (OpenCV's Haar cascades, ``HaarFaceLocator``). The CLI's `--detector` and the
/// API's `detector=` take these names.
public enum FaceDetectorKind: String, Sendable, Hashable, CaseIterable, Codable {
  case cnn
  case haar

  /// The default detector, chosen by face counts on the shared photos (docs in the README).
  public static let standard: FaceDetectorKind = .cnn

  /// The names, for messages: `cnn, haar`.
  public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
