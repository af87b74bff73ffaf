import Foundation
import Hummingbird
import Vision

/// Streams a request body into a new file in the upload folder, chunk by chunk (memory stays
/// at one chunk whatever the size), refusing it as soon as it passes the size limit, the
/// deadline, or turns out not to start like a video. The file is removed on any failure.
struct VideoUploadWriter {
  let directory: String
  let limit: Int
  let timeout: Duration

  /// What was written: the file's name in the folder, its full path and its size.
  struct Upload {
    var name: String
    var path: String
    var bytes: Int64
  }

  func write(_ request: Request, context: EmoclRequestContext) async throws -> Upload {
    if let length = request.headers[.contentLength].flatMap({ Int64($0) }), length > limit {
      throw Problem(
        .contentTooLarge, kind: "video-too-large",
        detail: "the video is \(length) bytes; the limit is \(limit)")
    }
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true)
    } catch {
      context.logger.error(
        "upload folder cannot be created",
        metadata: ["folder": "\(directory)", "reason": "\(FileErrorReason.describe(error))"])
      throw Problem(
        .internalServerError, kind: "upload-folder",
        detail: "the upload folder cannot be created; see the server log")
    }
    let name = UUID().uuidString.lowercased()
    let partial = (directory as NSString).appendingPathComponent("\(name).part")
    let final = (directory as NSString).appendingPathComponent("\(name).video")
    guard FileManager.default.createFile(atPath: partial, contents: nil),
      let handle = FileHandle(forWritingAtPath: partial)
    else {
      context.logger.error(
        "upload cannot be written",
        metadata: ["file": "\(partial)", "reason": "\(String(cString: strerror(errno)))"])
      throw Problem(
        .internalServerError, kind: "upload-folder",
        detail: "the upload cannot be written; see the server log")
    }
    var finished = false
    defer {
      try? handle.close()
      if !finished { try? FileManager.default.removeItem(atPath: partial) }
    }
    let deadline = BodyDeadline(timeout, for: "the upload")
    var written: Int64 = 0
    var prefix: [UInt8] = []
    for try await chunk in request.body {
      try deadline.check()
      guard written + Int64(chunk.readableBytes) <= Int64(limit) else {
        throw Problem(
          .contentTooLarge, kind: "video-too-large",
          detail: "the video exceeds the limit of \(limit) bytes")
      }
      if prefix.count < VideoContainerSniffer.prefixLength {
        prefix.append(
          contentsOf: chunk.readableBytesView.prefix(
            VideoContainerSniffer.prefixLength - prefix.count))
        if prefix.count == VideoContainerSniffer.prefixLength,
          VideoContainerSniffer.container(prefix) == nil
        {
          throw Self.notAVideo
        }
      }
      do {
        try handle.write(contentsOf: chunk.readableBytesView)
      } catch {
        throw Problem(
          .init(code: 507, reasonPhrase: "Insufficient Storage"), kind: "upload-not-stored",
          detail: "the upload could not be written to disk (full?); try again later")
      }
      written += Int64(chunk.readableBytes)
    }
    guard written > 0 else {
      throw Problem(.badRequest, kind: "missing-video", detail: "the body is empty")
    }
    // A body shorter than the sniffer's prefix is judged on what there is.
    guard VideoContainerSniffer.container(prefix) != nil else { throw Self.notAVideo }
    try handle.synchronize()
    do {
      try FileManager.default.moveItem(atPath: partial, toPath: final)
    } catch {
      throw Problem(
        .init(code: 507, reasonPhrase: "Insufficient Storage"), kind: "upload-not-stored",
        detail: "the upload could not be stored; try again later")
    }
    finished = true
    return Upload(name: "\(name).video", path: final, bytes: written)
  }

  static let notAVideo = Problem(
    .unsupportedMediaType, kind: "not-a-video",
    detail: "the body does not start like a video file (MP4, MOV, MKV, WebM, AVI or MPEG-TS)")
}
