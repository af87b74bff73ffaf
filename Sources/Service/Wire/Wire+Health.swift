extension Wire {
  /// `/healthz`: the process is up.
  struct Status: WireBody {
    var status: String
  }

  /// `/readyz`: models loaded and the database answering.
  struct Ready: WireBody {
    var status: String
    var models: [String]
    var database: String
  }
}
