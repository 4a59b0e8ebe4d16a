// TestSupport is a plain library target, built by `swift build` as well: only the test build
// needs this trait, and only there is Swift Testing sure to be at hand.
#if canImport(Testing)
import Testing

/// A suite trait: each test of the suite fails, naming the variables `make test` would have set,
/// when one is missing. Run by hand, a suite that needs PostgreSQL or the stack then fails loudly
/// instead of being skipped and counted as a pass.
public struct Needs: SuiteTrait, TestTrait, TestScoping {
    let requirements: [TestEnvironment.Requirement]

    public var isRecursive: Bool { true }

    /// One check per test case; none for the suite itself, so every test reports its own failure.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let missing = TestEnvironment.missing(requirements)
        guard missing.isEmpty else {
            throw TestSetupError("\(missing.joined(separator: ", ")) not set: run through `make test`")
        }
        try await function()
    }
}

extension Trait where Self == Needs {
    /// `@Suite(.needs(.database))`: the suite cannot run without these.
    public static func needs(_ requirements: TestEnvironment.Requirement...) -> Self {
        Needs(requirements: requirements)
    }
}
#endif
