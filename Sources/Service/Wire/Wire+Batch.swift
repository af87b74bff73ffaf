import Datasets
import Foundation
import Hummingbird

extension Wire {
  /// One image of a batch: its analysis, or the problem it had.
  enum BatchItem: Encodable {
    case analysis(Analysis)
    case failure(image: String?, problem: [String: Any])

    func encode(to encoder: any Encoder) throws {
      switch self {
      case .analysis(let analysis):
        try analysis.encode(to: encoder)
      case .failure(let image, let problem):
        var c = encoder.container(keyedBy: FailureKeys.self)
        try c.encode(image, forKey: .image)
        try c.encode(ProblemBody(problem), forKey: .error)
      }
    }

    enum FailureKeys: String, CodingKey { case image, error }
  }

  /// A problem's members (strings and integers only) as an Encodable.
  struct ProblemBody: Encodable {
    var members: [String: Any]
    init(_ members: [String: Any]) { self.members = members }

    struct Key: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: Key.self)
      for (key, value) in members {
        if let n = value as? Int {
          try c.encode(n, forKey: Key(stringValue: key))
        } else {
          try c.encode("\(value)", forKey: Key(stringValue: key))
        }
      }
    }
  }

  struct Batch: WireBody {
    var model: String
    var elapsedMs: Double
    var results: [BatchItem]

    enum CodingKeys: String, CodingKey {
      case model, results
      case elapsedMs = "elapsed_ms"
    }
  }
}
