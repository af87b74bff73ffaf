import Hummingbird

/// A JSON body of the API: returned by a handler, it is encoded as `Wire.json` does.
protocol WireBody: Encodable, ResponseGenerator {}

extension WireBody {
  func response(from request: Request, context: some RequestContext) throws -> Response {
    try Wire.json(self)
  }
}
