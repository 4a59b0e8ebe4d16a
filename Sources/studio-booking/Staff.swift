import ArgumentParser
import Foundation
import Postgres
import StudioBooking

struct Staff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff accounts for the staff area (/staff/).", subcommands: [Add.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a staff account, or set a new password on an existing one (ending its sessions).",
            discussion: """
                The password is read from stdin (one line); at a terminal it is asked for without echo. \
                A new account is `staf` (the desk) unless --admin is given; --admin on an existing account \
                also makes it an admin, and without it the account keeps its role.
                """)

        @Argument(help: "The user name: 1 to 50 letters, digits, dots, dashes, underscores or @.")
        var username: String

        @Flag(help: "Make the account an admin: it may also edit studios, opening hours and closed days.")
        var admin = false

        func validate() throws {
            guard StaffAccount.isValid(username: username) else {
                throw ValidationError("USERNAME must be 1 to 50 letters, digits, '.', '-', '_' or '@'")
            }
        }

        func run() throws {
            let config = loadConfig()
            guard let password = readPassword() else { fail("no password on stdin") }
            if let problem = StaffAccount.problem(password: password) { fail(problem) }
            let db = migratedDatabase(config, failure: "cannot save the staff account")
            do {
                let created = try StaffStore.setPassword(
                    db, username: username, passwordHash: try StaffAccount.hash(password), admin: admin)
                print(created ? "staff add: created \(username)" : "staff add: new password set for \(username)")
            } catch {
                fail("cannot save the staff account: \(error)")
            }
        }

        /// One line from stdin, without its line end. At a terminal, asked for without echo.
        private func readPassword() -> String? {
            guard isatty(STDIN_FILENO) == 1 else { return readLine(strippingNewline: true) }
            FileHandle.standardError.write(Data("Password for \(username): ".utf8))
            var saved = termios()
            tcgetattr(STDIN_FILENO, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
            defer {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
            return readLine(strippingNewline: true)
        }
    }
}
