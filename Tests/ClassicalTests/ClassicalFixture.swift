import Foundation
import Tensor
import TestSupport

/// The scikit-learn reference values of Scripts/fixtures/classical_reference.py, loaded once.
enum ClassicalFixture {
  /// The decoded JSON document.
  nonisolated(unsafe) static let root: [String: Any] = {
    let url = SharedData.fixture("ClassicalTests", "classical_reference.json")
    let data = try! Data(contentsOf: url)
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
  }()

  /// The object at a path of keys.
  static func object(_ keys: String...) -> [String: Any] {
    var node: Any = root
    for key in keys { node = (node as! [String: Any])[key]! }
    return node as! [String: Any]
  }
}

extension Dictionary where Key == String, Value == Any {
  /// A matrix `[[Double]]` as a `[rows, columns]` Float tensor.
  func matrix(_ key: String) -> Tensor {
    let rows = (self[key] as! [[Any]]).map { $0.map { ($0 as! NSNumber).floatValue } }
    return Tensor(shape: [rows.count, rows.first?.count ?? 0], storage: rows.flatMap { $0 })
  }

  /// A flat numeric array as Doubles.
  func doubles(_ key: String) -> [Double] {
    (self[key] as! [Any]).map { ($0 as! NSNumber).doubleValue }
  }

  /// A flat integer array.
  func ints(_ key: String) -> [Int] { (self[key] as! [Any]).map { ($0 as! NSNumber).intValue } }

  /// A number.
  func number(_ key: String) -> Double { (self[key] as! NSNumber).doubleValue }

  /// A nested object.
  func object(_ key: String) -> [String: Any] { self[key] as! [String: Any] }
}

/// Largest absolute difference between two equally long sequences.
func maxAbsDifference<A: Sequence, B: Sequence>(_ a: A, _ b: B) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
  zip(a, b).reduce(0) { max($0, abs(Double($1.0) - Double($1.1))) }
}
