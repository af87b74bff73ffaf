import Datasets
import Foundation
import NeuralNet
import Tensor

/// Identifies a training (and validation) set well enough to refuse resuming on other data.
public struct DataSummary: Codable, Sendable, Equatable, CustomStringConvertible {
  public var trainCount: Int
  public var validationCount: Int
  public var classes: [String]
  public var width: Int
  public var height: Int
  /// FNV-1a hash of the training labels in order.
  public var labelHash: UInt64

  init(train: TrainingImages, validation: TrainingImages?) {
    trainCount = train.count
    validationCount = validation?.count ?? 0
    classes = train.classes
    width = train.width
    height = train.height
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for l in train.labels {
      hash ^= UInt64(l)
      hash &*= 0x100_0000_01B3
    }
    labelHash = hash
  }

  public var description: String {
    "\(trainCount) training and \(validationCount) validation images of \(width)×\(height)"
  }
}
