/// A value bound to or read from SQL; the few types the schema uses.
enum SQLValue: Sendable, Equatable {
  case integer(Int64)
  case real(Double)
  case text(String)
  case null

  var int64: Int64? {
    switch self {
    case .integer(let v): v
    case .real(let v): Int64(exactly: v)
    default: nil
    }
  }

  var double: Double? {
    switch self {
    case .integer(let v): Double(v)
    case .real(let v): v
    default: nil
    }
  }

  var string: String? {
    if case .text(let s) = self { return s }
    return nil
  }

  init(_ value: String?) { self = value.map { .text($0) } ?? .null }
  init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
  init(_ value: Int) { self = .integer(Int64(value)) }
  init(_ value: Double) { self = .real(value) }
}
