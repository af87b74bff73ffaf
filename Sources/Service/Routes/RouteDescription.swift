/// One path the service answers, as registered with the router: the list that tests walk so
/// that every route, including one added later, is checked for the API key guard.
public struct RouteDescription: Sendable, Hashable, CustomStringConvertible {
  /// The path as registered, e.g. `/api/v1/analyses/:id`.
  public let path: String
  /// The methods with a handler (plus `HEAD` where `GET` exists), sorted.
  public let methods: [String]
  /// True when the route sits behind the API key check and the rate limit.
  public let requiresKey: Bool

  public var description: String {
    "\(methods.joined(separator: ",")) \(path)\(requiresKey ? " (key)" : "")"
  }
}
