/// An invariant a harness checks beyond "no crash" did not hold. Under libFuzzer it becomes a
/// crash (so the input is saved); the regression tests report it as a failure.
public struct FuzzFailure: Error, Sendable, CustomStringConvertible {
  /// What did not hold, with the values involved.
  public var description: String

  /// A failure saying `description`.
  public init(_ description: String) { self.description = description }

  /// Throws a failure with `message` unless `condition` holds.
  static func require(_ condition: Bool, _ message: @autoclosure () -> String)
    throws(FuzzFailure)
  {
    if !condition { throw FuzzFailure(message()) }
  }
}
