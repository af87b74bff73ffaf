import Hummingbird
import Pipeline
import Service

/// The bytes are the query string of a request to `/api/v1/analyses`, read with the service's
/// `QueryParameters` exactly as the routes read them. Checks that every typed read either throws
/// a 400 problem naming the parameter or returns a value within its documented limits.
enum QueryHarness {
  static func run(_ data: [UInt8]) throws(FuzzFailure) {
    let head = HTTPRequest(
      method: .get, scheme: "http", authority: "localhost",
      path: "/api/v1/analyses?" + FuzzInput.text(data))
    let query = QueryParameters(Request(head: head, body: RequestBody(buffer: .init())))

    try check("tag") {
      if let tag = try query.string("tag") {
        try FuzzFailure.require(tag.count <= 200, "tag of \(tag.count) characters")
        try FuzzFailure.require(!tag.contains { $0.isNewline || $0 == "\0" }, "tag has a newline")
      }
    }
    try check("flip") { _ = try query.bool("flip", default: true) }
    try check("max_faces") {
      if let n = try query.int("max_faces", in: 1...256) {
        try FuzzFailure.require((1...256).contains(n), "max_faces \(n)")
      }
    }
    try check("after") {
      if let n = try query.int64("after", minimum: 0) {
        try FuzzFailure.require(n >= 0, "after \(n)")
      }
    }
    try check("format") {
      let format = try query.oneOf("format", ["json", "csv"], default: "json")
      try FuzzFailure.require(["json", "csv"].contains(format), "format \(format)")
    }
    try check("boxes") {
      if let boxes = try query.boxes("boxes") {
        try FuzzFailure.require(boxes.count <= 256, "\(boxes.count) boxes")
        for box in boxes {
          try FuzzFailure.require(
            box.x >= 0 && box.y >= 0 && box.width >= 1 && box.height >= 1
              && [box.x, box.y, box.width, box.height].allSatisfy { $0 <= 1_000_000 },
            "box \(box)")
        }
      }
    }
    try check("from") {
      let filter = try query.filter()
      if let from = filter.from, let to = filter.to {
        try FuzzFailure.require(from < to, "from \(from) not before to \(to)")
      }
      if let from = filter.from {
        try FuzzFailure.require(RFC3339.parse(RFC3339.format(micros: from)) == from, "from")
      }
    }
  }

  /// Runs `read`; a thrown problem must be a 400 that names `parameter`'s kind of fault.
  /// A `FuzzFailure` thrown by `read`'s own checks passes through.
  private static func check(_ parameter: String, _ read: () throws -> Void) throws(FuzzFailure) {
    do {
      try read()
    } catch let failure as FuzzFailure {
      throw failure
    } catch let problem as Problem {
      try FuzzFailure.require(
        problem.status == .badRequest && !problem.detail.isEmpty,
        "\(parameter): \(problem.status) '\(problem.detail)'")
    } catch {
      throw FuzzFailure("\(parameter): unexpected error \(error)")
    }
  }
}
