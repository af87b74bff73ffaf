import Datasets
import Foundation

/// One data set's per-class image counts, for the report's class-distribution chart.
public struct ReportDataSet: Sendable, Equatable {
  /// A short title for legends (e.g. `train`).
  public var title: String
  /// The folder it was loaded from.
  public var path: String
  /// Images per class, in `Emotion.allCases` order.
  public var counts: [Int]

  /// A data set titled `title`, loaded from `path`, with `counts` per class.
  public init(title: String, path: String, counts: [Int]) {
    self.title = title
    self.path = path
    self.counts = counts
  }

  /// Images in all classes.
  public var total: Int { counts.reduce(0, +) }
}
