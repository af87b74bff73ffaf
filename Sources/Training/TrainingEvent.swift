import Datasets
import Foundation
import NeuralNet
import Tensor

/// What a trainer reports while it runs.
public enum TrainingEvent: Sendable {
  /// Every few seconds during an epoch.
  case step(StepReport)
  /// After each epoch, with the validation report when there is a validation set.
  case epoch(EpochRecord, ClassificationReport?)
}
