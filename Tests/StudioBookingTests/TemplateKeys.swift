import Foundation

/// A Mustache template read as its tags, and walked against a filled view model the way
/// swift-mustache looks names up: through the context stack, innermost first, each section pushing
/// its value (every element of an array; a Bool pushes nothing). The view model's fields are read
/// with a `Mirror`, so a tag whose name no stored property has is reported, not rendered blank.
struct TemplateKeys {
    indirect enum Node {
        /// `{{name}}`; `at` is the tag's offset in its file, to tell two tags of one name apart.
        case variable(String, at: Int)
        /// `{{#name}}` or `{{^name}}`, with a transform like `empty(bookings)` kept in the name.
        case section(String, inverted: Bool, [Node])
        /// `{{> name}}`
        case partial(String)
        /// `{{<name}}…{{/name}}`: the blocks given to a parent template.
        case parent(String, [Node])
        /// `{{$name}}…{{/name}}`
        case block(String, [Node])
    }

    /// A variable a walk reached: where it is, the field it read, and the text it must render.
    struct Reached {
        let tag: String
        let field: String
        let text: String
    }

    let directory: String
    private(set) var trees: [String: [Node]] = [:]

    init(directory: String) { self.directory = directory }

    /// The tags of `name.mustache`, as a tree of sections.
    mutating func tree(_ name: String) throws -> [Node] {
        if let tree = trees[name] { return tree }
        let text = try String(contentsOfFile: "\(directory)/\(name).mustache", encoding: .utf8)
        var stack: [(sigil: Character, name: String, nodes: [Node])] = [(" ", name, [])]
        for match in text.matches(of: /\{\{([#^\/!>&<$]?)\s*([^}]*?)\s*\}\}/) {
            let sigil = match.1.first ?? " ", tag = String(match.2)
            let at = text.utf8.distance(from: text.startIndex, to: match.range.lowerBound)
            switch sigil {
            case "#", "^", "<", "$": stack.append((sigil, tag, []))
            case "/":
                let open = stack.removeLast()
                guard open.name == tag else { throw TemplateKeysError("\(name): {{/\(tag)}} closes {{\(open.sigil)\(open.name)}}") }
                let node: Node = switch open.sigil {
                case "<": .parent(tag, open.nodes)
                case "$": .block(tag, open.nodes)
                default: .section(tag, inverted: open.sigil == "^", open.nodes)
                }
                stack[stack.count - 1].nodes.append(node)
            case ">": stack[stack.count - 1].nodes.append(.partial(tag))
            case "!": break
            default: stack[stack.count - 1].nodes.append(.variable(tag, at: at))
            }
        }
        guard stack.count == 1 else { throw TemplateKeysError("\(name): {{\(stack.last!.sigil)\(stack.last!.name)}} is never closed") }
        trees[name] = stack[0].nodes
        for partial in Self.includes(stack[0].nodes) { _ = try tree(partial) }
        return stack[0].nodes
    }

    /// Every variable tag of the template and the templates it includes, as `file@offset name`.
    mutating func variables(_ name: String) throws -> Set<String> {
        func collect(_ nodes: [Node], _ file: String) -> [String] {
            nodes.flatMap { node -> [String] in
                switch node {
                case .variable(let tag, let at): ["\(file)@\(at) {{\(tag)}}"]
                case .section(_, _, let children), .parent(_, let children), .block(_, let children): collect(children, file)
                case .partial: []
                }
            }
        }
        var files = [name]
        var all: Set<String> = []
        while let file = files.popLast() {
            let nodes = try tree(file)
            all.formUnion(collect(nodes, file))
            files += Self.includes(nodes)
        }
        return all
    }

    /// The templates `nodes` include as partials or parents, directly.
    static func includes(_ nodes: [Node]) -> [String] {
        nodes.flatMap { node -> [String] in
            switch node {
            case .partial(let name): [name]
            case .parent(let name, let children): [name] + includes(children)
            case .section(_, _, let children), .block(_, let children): includes(children)
            case .variable: []
            }
        }
    }

    // MARK: - Walking a view model

    /// One context: a value and the path of fields that led to it.
    typealias Frame = (value: Any, path: String)

    /// Walks `name` against `model`: every variable reached, and every tag naming no field.
    mutating func walk(_ name: String, model: Any) throws -> (reached: [Reached], unknown: [String]) {
        var reached: [Reached] = [], unknown: [String] = []
        func visit(_ nodes: [Node], _ file: String, _ stack: [Frame], overridden: Set<String>) throws {
            for node in nodes {
                switch node {
                case .variable(let tag, let at):
                    guard let (value, path) = Self.resolve(tag, in: stack) else {
                        unknown.append("\(file): {{\(tag)}}")
                        continue
                    }
                    switch value {
                    case let text as String: reached.append(Reached(tag: "\(file)@\(at) {{\(tag)}}", field: path, text: text))
                    case let number as Int: reached.append(Reached(tag: "\(file)@\(at) {{\(tag)}}", field: path, text: String(number)))
                    default: unknown.append("\(file): {{\(tag)}} is \(value.map { "a \(type(of: $0))" } ?? "nil") in the filling")
                    }
                case .section(let tag, let inverted, let children):
                    if let open = tag.firstIndex(of: "("), tag.hasPrefix("empty(") {
                        let argument = String(tag[tag.index(after: open)..<tag.index(before: tag.endIndex)])
                        guard let (value, _) = Self.resolve(argument, in: stack) else {
                            unknown.append("\(file): {{\(tag)}}")
                            continue
                        }
                        let isEmpty = (value.map(Self.elements) ?? []).isEmpty
                        if isEmpty != inverted { try visit(children, file, stack, overridden: overridden) }
                        continue
                    }
                    guard let (value, path) = Self.resolve(tag, in: stack) else {
                        unknown.append("\(file): {{\(inverted ? "^" : "#")\(tag)}}")
                        continue
                    }
                    let pushed = Self.contexts(value, path: path)
                    if inverted {
                        if pushed.isEmpty { try visit(children, file, stack, overridden: overridden) }
                    } else {
                        for frame in pushed { try visit(children, file, stack + (frame.map { [$0] } ?? []), overridden: overridden) }
                    }
                case .partial(let partial):
                    try visit(try tree(partial), partial, stack, overridden: [])
                case .parent(let parent, let blocks):
                    try visit(blocks, file, stack, overridden: [])
                    let given = Set(blocks.compactMap { if case .block(let name, _) = $0 { name } else { nil } })
                    try visit(try tree(parent), parent, stack, overridden: given)
                case .block(let block, let children):
                    if !overridden.contains(block) { try visit(children, file, stack, overridden: overridden) }
                }
            }
        }
        try visit(try tree(name), name, [(model, "")], overridden: [])
        return (reached, unknown)
    }

    /// The value a dotted name finds, and its field path; nil when no context has the first name.
    static func resolve(_ name: String, in stack: [Frame]) -> (Any?, String)? {
        if name == "." { return stack.last.map { ($0.value, $0.path) } }
        let names = name.split(separator: ".").map(String.init)
        for frame in stack.reversed() {
            guard var found = field(names[0], of: frame.value) else { continue }
            var path = frame.path.isEmpty ? names[0] : "\(frame.path).\(names[0])"
            for next in names.dropFirst() {
                guard let value = found, let child = field(next, of: value) else { return nil }
                found = child
                path += ".\(next)"
            }
            return (found, path)
        }
        return nil
    }

    /// A stored property's value (nil for an empty Optional), or nil when there is no such property.
    static func field(_ name: String, of value: Any) -> Any?? {
        guard let child = Mirror(reflecting: value).children.first(where: { $0.label == name }) else { return nil }
        return .some(unwrapped(child.value))
    }

    static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrapped($0.value) } ?? nil
    }

    static func elements(_ value: Any) -> [Any] {
        Mirror(reflecting: value).displayStyle == .collection ? Mirror(reflecting: value).children.map(\.value) : [value]
    }

    /// What a section renders with: nothing when the value is false, nil or an empty array; once per
    /// element of an array; once with nothing pushed for `true`; else once with the value pushed.
    static func contexts(_ value: Any?, path: String) -> [Frame?] {
        guard let value else { return [] }
        if let flag = value as? Bool { return flag ? [nil] : [] }
        guard Mirror(reflecting: value).displayStyle == .collection else { return [(value, path)] }
        return elements(value).enumerated().map { ($0.element, "\(path)[\($0.offset)]") }
    }
}

struct TemplateKeysError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
