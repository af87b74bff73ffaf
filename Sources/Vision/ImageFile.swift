#if canImport(Glibc)
  import Glibc
  private let systemRead = Glibc.read
  private let systemWrite = Glibc.write
#elseif canImport(Darwin)
  import Darwin
  private let systemRead = Darwin.read
  private let systemWrite = Darwin.write
#endif

/// Whole-file reads and writes with POSIX calls, so that failures carry the system's reason.
public enum ImageFile {
  /// Largest file ``read(_:)`` accepts: 256 MiB, far above any image within the pixel limit.
  public static let maxBytes = 256 << 20

  /// The bytes of the regular file at `path`. Anything else (a directory, a FIFO, a device) is
  /// refused before it is read; the file is opened without blocking, since opening a FIFO for
  /// reading waits for a writer.
  public static func read(_ path: String) throws(ImageError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { throw .file(path: path, reason: systemReason()) }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .file(path: path, reason: systemReason()) }
    if let refusal = FileKind(info).refusal { throw .file(path: path, reason: refusal) }
    let size = Int(info.st_size)
    guard size <= maxBytes else {
      throw .file(path: path, reason: "file has \(size) bytes, more than the \(maxBytes) allowed")
    }
    var failure: String?
    let bytes = [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, initialized in
      var done = 0
      while done < size {
        let n = systemRead(fd, buffer.baseAddress! + done, size - done)
        if n < 0 {
          if errno == EINTR { continue }
          failure = systemReason()
          break
        }
        if n == 0 { break }  // the file shrank while reading
        done += n
      }
      initialized = done
    }
    if let failure { throw .file(path: path, reason: failure) }
    return bytes
  }

  /// Writes `bytes` to `path`, creating or truncating the file.
  public static func write(_ bytes: [UInt8], to path: String) throws(ImageError) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .file(path: path, reason: systemReason()) }
    var failure: String?
    bytes.withUnsafeBytes { buffer in
      var done = 0
      while done < buffer.count {
        let n = systemWrite(fd, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          failure = systemReason()
          return
        }
        done += n
      }
    }
    if close(fd) != 0, failure == nil { failure = systemReason() }
    if let failure { throw .file(path: path, reason: failure) }
  }

  private static func systemReason() -> String { String(cString: strerror(errno)) }
}
