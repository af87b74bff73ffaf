/// Checks a package's targets against a layer order: every target sits in one layer, depends
/// only on targets of lower layers, imports only modules it declares, and no dependency
/// cycle exists.
struct LayerCheck {
  /// Layers from the bottom (C shims) up; a target may use targets of earlier layers only.
  var layers: [[String]]
  var manifest: PackageManifest
  /// Imported modules of each target's files, by target name, then by file.
  var imports: [String: [String: Set<String>]]

  /// Everything wrong, one sentence each; empty when the package keeps to its layers.
  func violations() -> [String] {
    var problems: [String] = []
    var layerOf: [String: Int] = [:]
    for (index, layer) in layers.enumerated() {
      for name in layer { layerOf[name] = index }
    }
    let targets = manifest.byName
    let products = Set(manifest.targets.flatMap(\.products))
    for target in manifest.targets.sorted(by: { $0.name < $1.name }) {
      if !target.isTest {
        guard let own = layerOf[target.name] else {
          problems.append("\(target.name) is in no layer")
          continue
        }
        for dependency in target.targets.sorted() {
          guard let theirs = layerOf[dependency] else {
            problems.append("\(target.name) depends on \(dependency), which is in no layer")
            continue
          }
          if theirs >= own {
            problems.append(
              "\(target.name) (layer \(own)) depends on \(dependency) (layer \(theirs)), "
                + "not a lower layer")
          }
        }
      }
      // Imports: a module of this package or a product it names must be declared.
      for (file, modules) in (imports[target.name] ?? [:]).sorted(by: { $0.key < $1.key }) {
        for module in modules.sorted() where module != target.name {
          let known = targets[module] != nil || products.contains(module)
          let declared = target.targets.contains(module) || target.products.contains(module)
          if known && !declared {
            problems.append("\(file) imports \(module), which \(target.name) does not declare")
          }
        }
      }
    }
    problems += cycles(targets)
    return problems
  }

  /// One sentence per dependency cycle found by a depth-first search.
  private func cycles(_ targets: [String: PackageManifest.Target]) -> [String] {
    var problems: [String] = []
    var state: [String: Bool] = [:]  // false: on the current path; true: finished.
    func visit(_ name: String, path: [String]) {
      if state[name] == true { return }
      if state[name] == false {
        let loop = path.drop { $0 != name } + [name]
        problems.append("dependency cycle: \(loop.joined(separator: " -> "))")
        return
      }
      state[name] = false
      for next in (targets[name]?.targets ?? []).sorted() where targets[next] != nil {
        visit(next, path: path + [name])
      }
      state[name] = true
    }
    for name in targets.keys.sorted() { visit(name, path: []) }
    return problems
  }
}
