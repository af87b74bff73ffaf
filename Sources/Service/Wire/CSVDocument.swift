import Hummingbird

/// A CSV export: `text/csv` offered for download under `filename`.
struct CSVDocument: ResponseGenerator {
  var text: String
  var filename: String

  func response(from request: Request, context: some RequestContext) throws -> Response {
    Wire.text(
      text, contentType: "text/csv; charset=utf-8",
      headers: [.contentDisposition: "attachment; filename=\"\(filename)\""])
  }
}
