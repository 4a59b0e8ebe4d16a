import Foundation
import Glibc

/// Runs a program (to completion, or in the background) and collects its exit status and output.
///
/// posix_spawn and waitpid rather than Foundation's `Process`, which waits for every holder of the
/// child's descriptors: a program here may leave PostgreSQL or a responder running behind it.
public enum Subprocess {
    public struct Outcome: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// `stdin`: what the program reads on its standard input (nothing, by default).
    public static func run(_ argv: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Outcome {
        try start(argv, environment: environment, stdin: stdin).wait()
    }

    /// Starts a program and returns at once; `wait` collects it. `stdinDescriptor`: a descriptor of
    /// this process to hand over as the program's fd 0 instead (a listening socket, as systemd does).
    public static func start(
        _ argv: [String], environment: [String: String] = [:], stdin: String? = nil, stdinDescriptor: Int32? = nil
    ) throws -> Running {
        let base = NSTemporaryDirectory() + "subprocess-\(UUID().uuidString)"
        if let stdin { try stdin.write(toFile: base + ".in", atomically: false, encoding: .utf8) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinDescriptor {
            posix_spawn_file_actions_adddup2(&actions, stdinDescriptor, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdin == nil ? "/dev/null" : base + ".in", O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArguments + cEnvironment).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw TestSetupError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))") }
        return Running(pid: pid, base: base)
    }

    /// A program started by `start`.
    public struct Running: Sendable {
        public let pid: pid_t
        fileprivate let base: String

        public func signal(_ number: Int32) { kill(pid, number) }

        /// Waits for the program to exit and collects its status and output.
        public func wait() -> Outcome {
            defer { unlink(base + ".out"); unlink(base + ".err"); unlink(base + ".in") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
            // WIFEXITED/WEXITSTATUS are macros: a normal exit has the low 7 bits clear.
            let exitStatus = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return Outcome(status: exitStatus, stdout: read(base + ".out"), stderr: read(base + ".err"))
        }
    }
}
