import Foundation
import Hummingbird

/// The JSON bodies of the API (see `Public/openapi.json`): snake_case keys, RFC 3339 times, and
/// `null` written out where the document says a key is nullable.
enum Wire {
  static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func text(_ text: String, contentType: String, headers: HTTPFields = [:]) -> Response {
    var headers = headers
    headers[.contentType] = contentType
    return Response(
      status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }
}
