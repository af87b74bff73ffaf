extension EmoclRequestContext {
  /// The `{id}` path parameter as a record id, written as the service writes ids: digits only,
  /// without a sign or leading zeros (`01` and `+1` are not another spelling of 1: a `DELETE`
  /// must name exactly what it removes); a 400 `bad-parameter` otherwise.
  func recordID() throws(Problem) -> Int64 {
    guard let text = parameters.get("id"), let id = Self.canonicalID(text) else {
      throw Problem.badParameter(
        "id", "expected a whole number ≥ 1 without a sign or leading zeros")
    }
    return id
  }

  /// `text` as an id ≥ 1 when it is one in canonical form, else nil.
  static func canonicalID(_ text: String) -> Int64? {
    guard let id = QueryParameters.canonicalInteger(text[...]), id >= 1 else { return nil }
    return id
  }
}
