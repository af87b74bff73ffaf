/// Reads the parsed XML of an OpenCV cascade into `HaarCascade`'s tables, validating every index
/// and rectangle so that evaluation can never read outside a window or loop forever.
struct CascadeModelReader {
  struct Model {
    var windowWidth = 0
    var windowHeight = 0
    var stages: [HaarCascade.Stage] = []
    var trees: [HaarCascade.Tree] = []
    var nodes: [HaarCascade.Node] = []
    var leaves: [Float] = []
    var features: [HaarCascade.Feature] = []
    var maxNodesPerTree = 0
  }

  /// OpenCV subtracts this (in Float) from every stage threshold when loading.
  static let stageThresholdEpsilon: Float = 1e-5
  /// Largest accepted training window side; real cascades use 20–45 pixels.
  static let maximumWindowSide = 1024

  let xml: CascadeXML

  init(_ xml: CascadeXML) { self.xml = xml }

  private func invalid(_ reason: String) -> HaarCascadeError { .invalidCascade(reason: reason) }

  private func require(_ node: Int, _ name: String, _ context: String) throws -> Int {
    guard let child = xml.child(node, name) else { throw invalid("\(context) has no <\(name)>") }
    return child
  }

  /// The numbers in `node`'s text.
  private func numbers(_ node: Int, _ context: String) throws -> [Double] {
    guard let values = xml.numbers(node) else {
      throw invalid("\(context): '\(xml.text(node).prefix(80))' is not a list of numbers")
    }
    return values
  }

  private func integer(_ value: Double, _ context: String) throws -> Int {
    guard value == value.rounded(), abs(value) < 1e9 else {
      throw invalid("\(context): \(value) is not an integer")
    }
    return Int(value)
  }

  private func integer(_ node: Int, _ name: String, _ context: String) throws -> Int {
    let values = try numbers(try require(node, name, context), "\(context)/\(name)")
    guard values.count == 1 else { throw invalid("\(context)/\(name) must hold one integer") }
    return try integer(values[0], "\(context)/\(name)")
  }

  func read() throws -> Model {
    // OpenCV reads the first top-level node under the document root (`opencv_storage`).
    guard let root = xml.nodes[0].children.first else {
      throw invalid("the document has no top-level node")
    }
    let rootName = xml.nodes[root].name
    guard let stageTypeNode = xml.child(root, "stageType") else {
      if xml.child(root, "size") != nil || xml.child(root, "stages") != nil {
        throw HaarCascadeError.unsupported(
          reason: "<\(rootName)> is in OpenCV's old (pre-2.4) cascade format; "
            + "convert it with opencv_traincascade or use the files of opencv-data")
      }
      throw invalid("<\(rootName)> has no <stageType>")
    }
    let stageType = xml.text(stageTypeNode)
    guard stageType == "BOOST" else {
      throw HaarCascadeError.unsupported(reason: "stage type \(stageType) (only BOOST)")
    }
    let featureType = xml.text(try require(root, "featureType", rootName))
    guard featureType == "HAAR" else {
      throw HaarCascadeError.unsupported(
        reason: "feature type \(featureType) (only HAAR; LBP and HOG cascades are not evaluated)")
    }
    var model = Model()
    model.windowWidth = try integer(root, "width", rootName)
    model.windowHeight = try integer(root, "height", rootName)
    guard (1...Self.maximumWindowSide).contains(model.windowWidth),
      (1...Self.maximumWindowSide).contains(model.windowHeight)
    else {
      throw invalid("window \(model.windowWidth)x\(model.windowHeight) out of range")
    }
    if let params = xml.child(root, "featureParams"), xml.child(params, "maxCatCount") != nil {
      let categories = try integer(params, "maxCatCount", "featureParams")
      guard categories == 0 else {
        throw HaarCascadeError.unsupported(reason: "categorical splits (maxCatCount \(categories))")
      }
    }
    try readFeatures(root, into: &model)
    try readStages(root, into: &model)
    return model
  }

  private func readFeatures(_ root: Int, into model: inout Model) throws {
    let featuresNode = try require(root, "features", "cascade")
    let width = model.windowWidth
    let height = model.windowHeight
    for (index, featureNode) in xml.nodes[featuresNode].children.enumerated() {
      let context = "feature \(index)"
      let rectsNode = try require(featureNode, "rects", context)
      var tilted = false
      if xml.child(featureNode, "tilted") != nil {
        tilted = try integer(featureNode, "tilted", context) != 0
      }
      var rects: [HaarCascade.Rect] = []
      for rectNode in xml.nodes[rectsNode].children {
        let tokens = try numbers(rectNode, context)
        guard tokens.count == 5 else {
          throw invalid("\(context): a rectangle needs 'x y width height weight'")
        }
        let rect = HaarCascade.Rect(
          x: try integer(tokens[0], context), y: try integer(tokens[1], context),
          width: try integer(tokens[2], context), height: try integer(tokens[3], context),
          weight: Float(tokens[4]))
        guard rect.width >= 0, rect.height >= 0 else {
          throw invalid("\(context): negative rectangle size")
        }
        // The corners read from the (upright or tilted) integral must lie in the window's
        // (width+1) x (height+1) integral.
        let inside: Bool
        if tilted {
          inside =
            rect.x - rect.height >= 0 && rect.x + rect.width <= width && rect.y >= 0
            && rect.y + rect.width + rect.height <= height
        } else {
          inside =
            rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= width
            && rect.y + rect.height <= height
        }
        guard inside else {
          throw invalid(
            "\(context): rectangle \(rect.x) \(rect.y) \(rect.width) \(rect.height) "
              + "leaves the \(width)x\(height) window")
        }
        rects.append(rect)
      }
      guard (1...3).contains(rects.count) else {
        throw invalid("\(context) has \(rects.count) rectangles (1 to 3 expected)")
      }
      model.features.append(HaarCascade.Feature(rects: rects, tilted: tilted))
    }
    guard !model.features.isEmpty else { throw invalid("no features") }
  }

  private func readStages(_ root: Int, into model: inout Model) throws {
    let stagesNode = try require(root, "stages", "cascade")
    let featureCount = model.features.count
    for (stageIndex, stageNode) in xml.nodes[stagesNode].children.enumerated() {
      let context = "stage \(stageIndex)"
      let thresholdTokens = try numbers(
        try require(stageNode, "stageThreshold", context), context)
      guard thresholdTokens.count == 1 else { throw invalid("\(context): bad stageThreshold") }
      let threshold = Float(thresholdTokens[0]) - Self.stageThresholdEpsilon
      let weakNode = try require(stageNode, "weakClassifiers", context)
      let firstTree = model.trees.count
      for (treeIndex, treeNode) in xml.nodes[weakNode].children.enumerated() {
        let treeContext = "\(context), tree \(treeIndex)"
        let nodeTokens = try numbers(
          try require(treeNode, "internalNodes", treeContext), treeContext)
        let leafTokens = try numbers(try require(treeNode, "leafValues", treeContext), treeContext)
        guard !nodeTokens.isEmpty, nodeTokens.count % 4 == 0 else {
          throw invalid("\(treeContext): internalNodes must hold groups of 4 numbers")
        }
        let nodeCount = nodeTokens.count / 4
        guard leafTokens.count == nodeCount + 1 else {
          throw invalid("\(treeContext): \(nodeCount) splits need \(nodeCount + 1) leaf values")
        }
        let tree = HaarCascade.Tree(
          firstNode: model.nodes.count, nodeCount: nodeCount, firstLeaf: model.leaves.count)
        for local in 0..<nodeCount {
          let base = local * 4
          let node = HaarCascade.Node(
            feature: try integer(nodeTokens[base + 2], treeContext),
            threshold: Float(nodeTokens[base + 3]),
            left: try integer(nodeTokens[base], treeContext),
            right: try integer(nodeTokens[base + 1], treeContext))
          guard (0..<featureCount).contains(node.feature) else {
            throw invalid("\(treeContext): feature index \(node.feature) out of range")
          }
          // Children point forward (so traversal ends) or at an existing leaf.
          for child in [node.left, node.right] {
            let valid = child > 0 ? (child > local && child < nodeCount) : (-child <= nodeCount)
            guard valid else { throw invalid("\(treeContext): child index \(child) out of range") }
          }
          model.nodes.append(node)
        }
        for value in leafTokens { model.leaves.append(Float(value)) }
        model.trees.append(tree)
        model.maxNodesPerTree = max(model.maxNodesPerTree, nodeCount)
      }
      let treeCount = model.trees.count - firstTree
      guard treeCount > 0 else { throw invalid("\(context) has no weak classifiers") }
      model.stages.append(
        HaarCascade.Stage(threshold: threshold, firstTree: firstTree, treeCount: treeCount))
    }
    guard !model.stages.isEmpty else { throw invalid("no stages") }
  }
}
