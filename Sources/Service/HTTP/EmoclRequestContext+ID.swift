extension EmoclRequestContext {
  /// The `{id}` path parameter as a record id (a whole number ≥ 1); a 400 `bad-parameter`
  /// otherwise.
  func recordID() throws(Problem) -> Int64 {
    guard let text = parameters.get("id"), let id = Int64(text), id >= 1 else {
      throw Problem.badParameter("id", "expected a whole number ≥ 1")
    }
    return id
  }
}
