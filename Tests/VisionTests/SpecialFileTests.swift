import Foundation
import Synchronization
import TestSupport
import Testing
import Vision

#if canImport(Glibc)
  import Glibc
#endif

/// Paths that are not regular files (a FIFO, a device, a directory) are refused at once by the
/// image reader, the video sniffer and the video reader: opening a FIFO for reading used to
/// wait for a writer for ever (`emocl predict fifo` hung).
@Suite struct SpecialFileTests {
  /// Runs `body` on a thread of its own and waits at most 5 s for it; on a timeout, opens
  /// `fifo` for writing so that a reader blocked in `open` is let go.
  static func promptly(_ fifo: String, _ body: @escaping @Sendable () -> Void) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread {
      body()
      done.signal()
    }.start()
    guard done.wait(timeout: .now() + 5) == .success else {
      let writer = open(fifo, O_WRONLY | O_NONBLOCK)
      if writer >= 0 { close(writer) }
      _ = done.wait(timeout: .now() + 5)
      return false
    }
    return true
  }

  @Test func fifoIsRefusedWithoutWaiting() throws {
    let directory = try TemporaryDirectory()
    defer { directory.cleanup() }
    for name in ["pipe", "pipe.mp4"] {
      let fifo = directory.url.appendingPathComponent(name).path
      #expect(mkfifo(fifo, 0o600) == 0)
      let messages = Mutex<[String]>([])
      let read = Self.promptly(fifo) {
        let message: String
        do {
          _ = try ImageFile.read(fifo)
          message = "read"
        } catch {
          message = "\(error)"
        }
        messages.withLock { $0.append(message) }
      }
      let sniffed = Self.promptly(fifo) { _ = VideoFile.isVideo(path: fifo) }
      let opened = Self.promptly(fifo) {
        let message: String
        do {
          _ = try VideoReader(path: fifo)
          message = "opened"
        } catch {
          message = "\(error)"
        }
        messages.withLock { $0.append(message) }
      }
      #expect(
        read && sniffed && opened, "\(name): read \(read), isVideo \(sniffed), opened \(opened)")
      let all = messages.withLock { $0 }
      #expect(all.count == 2 && all.allSatisfy { $0.contains("not a regular file") }, "\(all)")
    }
  }

  @Test func devicesAndDirectoriesAreRefused() throws {
    for path in ["/dev/zero", "/dev/null"] {
      #expect(throws: ImageError.self) { try ImageFile.read(path) }
      #expect(throws: VideoError.self) { try VideoReader(path: path) }
    }
    #expect(throws: VideoError.self) { try VideoReader(path: "/tmp") }
  }
}
