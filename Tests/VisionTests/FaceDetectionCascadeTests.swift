import Foundation
import TestSupport
import Testing
import Vision

/// Loading OpenCV's cascade files, and the typed errors for missing, corrupt and unsupported ones.
@Suite struct FaceDetectionCascadeTests {
  @Test func defaultCascadeHasLienhartsShape() throws {
    let cascade = try HaarCascade.frontalFaceDefault()
    #expect(cascade.windowWidth == 24 && cascade.windowHeight == 24)
    #expect(cascade.stageCount == 25)
    #expect(cascade.featureCount == 2913)
    #expect(cascade.isStumpBased && !cascade.hasTiltedFeatures)
  }

  @Test func otherCascadesLoad() throws {
    let alt2 = try HaarCascade.frontalFaceAlt2()
    #expect(alt2.windowWidth == 20 && alt2.stageCount == 20 && !alt2.isStumpBased)
    let eye = try HaarCascade.eye()
    #expect(eye.windowWidth == 20 && eye.isStumpBased)
    let glasses = try HaarCascade.named("haarcascade_eye_tree_eyeglasses.xml")
    #expect(glasses.hasTiltedFeatures && !glasses.isStumpBased)
  }

  @Test func aConfiguredDirectoryIsUsed() throws {
    let temp = try TemporaryDirectory()
    defer { temp.cleanup() }
    let source = HaarCascade.debianDirectory.appendingPathComponent("haarcascade_eye.xml")
    try FileManager.default.copyItem(
      at: source, to: temp.url.appendingPathComponent("haarcascade_eye.xml"))
    let eye = try HaarCascade.eye(in: temp.url)
    #expect(eye.stageCount == (try HaarCascade.eye()).stageCount)
    #expect(HaarCascade.standardDirectory(temp.url) == temp.url)
    #expect(throws: HaarCascadeError.self) { try HaarCascade.frontalFaceDefault(in: temp.url) }
  }

  @Test func missingFileIsATypedError() {
    let path = "/nonexistent/emocl/haarcascade_frontalface_default.xml"
    #expect(throws: HaarCascadeError.fileNotFound(path: path)) {
      try HaarCascade(contentsOf: URL(fileURLWithPath: path))
    }
    let error = HaarCascadeError.fileNotFound(path: path)
    #expect(error.description.contains("opencv-data"))
  }

  /// A minimal valid cascade: one stage, one stump on a two-rectangle feature.
  static func cascadeXML(
    stageType: String = "BOOST", featureType: String = "HAAR", node: String = "0 -1 0 0.5",
    leaves: String = "-1. 1.", rect: String = "0 0 4 2 -1.", tilted: Int = 0
  ) -> [UInt8] {
    Array(
      """
      <?xml version="1.0"?>
      <!-- test cascade -->
      <opencv_storage>
      <cascade type_id="opencv-cascade-classifier"><stageType>\(stageType)</stageType>
        <featureType>\(featureType)</featureType>
        <height>4</height>
        <width>4</width>
        <featureParams><maxCatCount>0</maxCatCount></featureParams>
        <stageNum>1</stageNum>
        <stages>
          <_>
            <maxWeakCount>1</maxWeakCount>
            <stageThreshold>-0.5</stageThreshold>
            <weakClassifiers>
              <_>
                <internalNodes>\(node)</internalNodes>
                <leafValues>\(leaves)</leafValues></_></weakClassifiers></_></stages>
        <features>
          <_>
            <rects>
              <_>\(rect)</_>
              <_>0 2 4 2 2.</_></rects>
            <tilted>\(tilted)</tilted></_></features></cascade>
      </opencv_storage>
      """.utf8)
  }

  @Test func aHandWrittenCascadeLoads() throws {
    let cascade = try HaarCascade(xml: Self.cascadeXML())
    #expect(cascade.windowWidth == 4 && cascade.stageCount == 1 && cascade.featureCount == 1)
  }

  @Test func corruptFilesAreTypedErrors() throws {
    let good = Self.cascadeXML()
    // Truncated XML.
    #expect {
      try HaarCascade(xml: Array(good.prefix(good.count / 2)))
    } throws: { error in
      guard case .malformedXML = error as? HaarCascadeError else { return false }
      return true
    }
    // Empty file, mismatched tags, text soup.
    for bad in ["", "<a><b></a></b>", "not xml at all", "<opencv_storage></opencv_storage>"] {
      #expect(throws: HaarCascadeError.self, "\(bad)") { try HaarCascade(xml: Array(bad.utf8)) }
    }
    func expectInvalid(_ bytes: [UInt8], _ label: String) {
      #expect(Comment(rawValue: label)) {
        try HaarCascade(xml: bytes)
      } throws: { error in
        guard case .invalidCascade = error as? HaarCascadeError else { return false }
        return true
      }
    }
    expectInvalid(Self.cascadeXML(node: "0 -1 7 0.5"), "feature index out of range")
    expectInvalid(Self.cascadeXML(node: "0 -1 0"), "node of 3 numbers")
    expectInvalid(Self.cascadeXML(node: "0 -1 0 abc"), "non-numeric threshold")
    expectInvalid(Self.cascadeXML(node: "1 -1 0 0.5"), "child pointing at itself")
    expectInvalid(Self.cascadeXML(leaves: "1."), "missing leaf")
    expectInvalid(Self.cascadeXML(rect: "2 0 4 2 -1."), "rectangle leaving the window")
    expectInvalid(Self.cascadeXML(rect: "1 1 2 2 -1.", tilted: 1), "tilted rectangle leaving")
  }

  @Test func unsupportedCascadesAreTypedErrors() throws {
    func expectUnsupported(_ bytes: [UInt8], _ label: String) {
      #expect(Comment(rawValue: label)) {
        try HaarCascade(xml: bytes)
      } throws: { error in
        guard case .unsupported = error as? HaarCascadeError else { return false }
        return true
      }
    }
    expectUnsupported(Self.cascadeXML(featureType: "LBP"), "LBP")
    expectUnsupported(Self.cascadeXML(stageType: "OTHER"), "stage type")
    let old = Array(
      """
      <?xml version="1.0"?>
      <opencv_storage><old_face type_id="opencv-haar-classifier"><size>20 20</size>
      <stages><_><trees></trees></_></stages></old_face></opencv_storage>
      """.utf8)
    expectUnsupported(old, "old format")
    let lbp = URL(fileURLWithPath: "/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml")
    if FileManager.default.fileExists(atPath: lbp.path) {
      #expect(throws: HaarCascadeError.self) { try HaarCascade(contentsOf: lbp) }
    }
  }
}
