import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The page's files (Sources/Service/Public), read into memory once at start. Serving only these
/// names means no request path can reach another file.
struct PublicFiles: Sendable {
  /// The pages' Content-Security-Policy: scripts, styles and requests to this server only;
  /// images and video also from `blob:` and `data:` (a chosen file shown before upload, the
  /// webcam's frames); no plugins, no `<base>`, forms to this server, never framed.
  static let pagePolicy =
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; object-src 'none'; "
    + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

  struct File: Sendable {
    var bytes: [UInt8]
    var contentType: String

    func response() -> Response {
      var headers: HTTPFields = [
        .contentType: contentType, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff",
      ]
      if contentType.hasPrefix("text/html") {
        // The pages load only their own scripts and styles, and no other site may frame them:
        // a framed page could trick a visitor into the webcam's consent click.
        headers[.contentSecurityPolicy] = PublicFiles.pagePolicy
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
      }
      return Response(
        status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
  }

  var files: [String: File]
  var directory: URL?

  static let contentTypes = [
    "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8",
    "js": "text/javascript; charset=utf-8", "json": "application/json",
    "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon",
  ]

  /// A file name without path separators or leading dots.
  static func isPlainName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix(".")
      && name.allSatisfy { c in
        c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_")
      }
  }

  /// Where the files are: `EMOCL_PUBLIC_DIR`, else the resource bundle SwiftPM puts beside the
  /// executable (`Emocl_Service.resources/Public`), else this source tree (development).
  static func locate() -> URL? {
    var candidates: [URL] = []
    if let dir = ProcessInfo.processInfo.environment["EMOCL_PUBLIC_DIR"], !dir.isEmpty {
      candidates.append(URL(fileURLWithPath: dir))
    }
    let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
      .resolvingSymlinksInPath()
    for base in [executable.deletingLastPathComponent(), Bundle.main.bundleURL] {
      candidates.append(base.appendingPathComponent("Emocl_Service.resources/Public"))
      candidates.append(
        base.deletingLastPathComponent().appendingPathComponent("Emocl_Service.resources/Public"))
    }
    candidates.append(
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Public"))
    return candidates.first { url in
      FileManager.default.fileExists(atPath: url.appendingPathComponent("index.html").path)
    }
  }

  static func load(logger: Logger) -> PublicFiles {
    guard let directory = locate(),
      let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else {
      logger.warning("page files not found; set EMOCL_PUBLIC_DIR")
      return PublicFiles(files: [:], directory: nil)
    }
    var files: [String: File] = [:]
    for name in names where isPlainName(name) {
      let url = directory.appendingPathComponent(name)
      guard let data = try? Data(contentsOf: url) else { continue }
      let type = contentTypes[url.pathExtension.lowercased()] ?? "application/octet-stream"
      files[name] = File(bytes: Array(data), contentType: type)
    }
    return PublicFiles(files: files, directory: directory)
  }
}
