import Foundation
import NeuralNet

/// How to counter class imbalance (FER2013 has 436 "disgust" images among 28,709).
public struct ClassBalance: Codable, Sendable, Hashable {
  public enum Mode: String, Codable, Sendable, CaseIterable {
    /// Plain loss, uniform sampling.
    case none
    /// Loss weight of class c ∝ (1/n_c)^power, scaled so the mean weight per image is 1.
    case loss
    /// Each epoch draws images with replacement, probability of an image of class c ∝
    /// n_c^(−power) (power 1 gives equal classes).
    case sampling
  }

  public var mode: Mode
  /// 0 is no correction, 1 full inverse-frequency; 0.5 (square root) is a common middle.
  public var power: Double

  public init(mode: Mode, power: Double = 0.5) {
    self.mode = mode
    self.power = power
  }

  public static let none = ClassBalance(mode: .none, power: 0)

  /// Per-class loss weights for `counts` images per class (nil unless `mode == .loss`).
  public func lossWeights(counts: [Int]) -> [Float]? {
    guard mode == .loss else { return nil }
    let raw = counts.map { $0 > 0 ? pow1(1 / Double($0), power) : 0 }
    let total = Double(counts.reduce(0, +))
    let weighted = zip(raw, counts).reduce(0.0) { $0 + $1.0 * Double($1.1) }
    return raw.map { Float($0 * total / max(weighted, .leastNormalMagnitude)) }
  }

  /// Per-class sampling weights of one image (nil unless `mode == .sampling`).
  public func samplingWeights(counts: [Int]) -> [Double]? {
    guard mode == .sampling else { return nil }
    return counts.map { $0 > 0 ? pow1(Double($0), -power) : 0 }
  }

  private func pow1(_ x: Double, _ y: Double) -> Double { y == 0 ? 1 : pow(x, y) }
}
