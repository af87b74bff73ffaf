import Pipeline
import Testing

/// `FaceTracker` on synthetic detections: a face moving across the frame, detections missed,
/// jitter, faces leaving and arriving.
@Suite struct FaceTrackerTests {
  /// A deterministic generator of jitter in [-1, 1].
  struct Jitter {
    var state: UInt64
    mutating func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53) * 2 - 1
    }
  }

  /// A 100 px face crossing a 640 px frame in 3 s (180 px/s) at 30 frames/s; detection every
  /// 5th frame, one detection in 5 missed, boxes jittered by ±6 px: one id for every frame.
  @Test func movingFaceKeepsOneID() {
    var tracker = FaceTracker(width: 640, height: 360)
    var jitter = Jitter(state: 7)
    var ids: [Int] = []
    var reported = 0
    for frame in 0..<90 {
      let time = Double(frame) / 30
      let x = 10 + 180 * time
      let truth = PixelBox(x: Int(x), y: 130, width: 100, height: 100)
      let positions: [FaceTracker.Position]
      if frame % 5 == 0 {
        let missed = frame % 25 == 10
        let noisy = PixelBox(
          x: truth.x + Int(6 * jitter.next()), y: truth.y + Int(6 * jitter.next()),
          width: 100 + Int(6 * jitter.next()), height: 100 + Int(6 * jitter.next()))
        positions = tracker.update(detections: missed ? [] : [noisy], at: time)
      } else {
        positions = tracker.predict(at: time)
      }
      if let position = positions.first {
        reported += 1
        ids.append(position.id)
        // The predicted box stays on the face between detections.
        #expect(position.box.intersectionOverUnion(truth) > 0.4, "frame \(frame)")
      }
    }
    #expect(reported == 90)
    let main = ids.filter { $0 == 1 }.count
    #expect(Double(main) / 90 >= 0.9)
    #expect(Set(ids) == [1])
  }

  /// A face leaves to the right; after it has gone, another arrives from the left: two ids,
  /// each on its own face.
  @Test func faceLeavesAndAnotherArrives() {
    var tracker = FaceTracker(width: 640, height: 360)
    var seen: [(time: Double, id: Int, x: Int)] = []
    for frame in 0..<150 {
      let time = Double(frame) / 30
      var detections: [PixelBox] = []
      if time < 2 {  // the first face moves right, out by 2 s
        detections.append(PixelBox(x: 400 + Int(150 * time), y: 100, width: 90, height: 90))
      }
      if time >= 3 {  // the second stands still at the left
        detections.append(PixelBox(x: 40, y: 120, width: 80, height: 80))
      }
      detections = detections.filter { $0.x + $0.width <= 640 }
      for position in tracker.update(detections: detections, at: time) {
        seen.append((time, position.id, position.box.x))
      }
    }
    let first = seen.filter { $0.id == 1 }
    let second = seen.filter { $0.id == 2 }
    #expect(Set(seen.map(\.id)) == [1, 2])
    #expect(first.allSatisfy { $0.time < 2.6 && $0.x >= 400 })
    #expect(second.allSatisfy { $0.time >= 3 && $0.x == 40 })
    #expect(second.count == 60)
  }

  /// Two faces side by side crossing each other's paths only vertically keep their ids.
  @Test func twoFacesKeepTheirIDs() {
    var tracker = FaceTracker(width: 640, height: 360)
    for frame in 0..<60 {
      let time = Double(frame) / 30
      let left = PixelBox(x: 100, y: 50 + frame * 2, width: 80, height: 80)
      let right = PixelBox(x: 400, y: 200 - frame * 2, width: 80, height: 80)
      // Detections in varying order.
      let detections = frame % 2 == 0 ? [left, right] : [right, left]
      let positions = tracker.update(detections: detections, at: time)
      #expect(positions.count == 2)
      #expect(positions.first { $0.id == 1 }?.box.x == 100)
      #expect(positions.first { $0.id == 2 }?.box.x == 400)
    }
  }
}
