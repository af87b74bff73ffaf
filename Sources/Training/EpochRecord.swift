import Foundation

/// One finished epoch, as written to the run's CSV log.
public struct EpochRecord: Codable, Sendable, Equatable {
  /// 1-based epoch number.
  public var epoch: Int
  public var trainLoss: Double
  public var trainAccuracy: Double
  public var validationLoss: Double?
  public var validationAccuracy: Double?
  public var validationMacroF1: Double?
  /// Learning rate of the epoch's last step.
  public var learningRate: Double
  /// Wall time of the epoch (training and validation).
  public var seconds: Double

  /// The CSV header matching ``csvRow``.
  public static let csvHeader =
    "epoch,train_loss,train_acc,val_loss,val_acc,val_macro_f1,lr,seconds"

  /// One CSV line (no newline); absent validation values are empty fields.
  public var csvRow: String {
    func f(_ v: Double?, _ digits: Int = 6) -> String {
      v.map { String(format: "%.\(digits)f", $0) } ?? ""
    }
    return [
      String(epoch), f(trainLoss), f(trainAccuracy), f(validationLoss), f(validationAccuracy),
      f(validationMacroF1), String(format: "%.6g", learningRate), f(seconds, 1),
    ].joined(separator: ",")
  }
}
