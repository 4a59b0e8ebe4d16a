import HTTPTypes
import HTTPMessages

/// The header every signed-in page shows: who is signed in, the sign-out form's token, and for
/// admins the links to their own pages.
struct StaffChrome {
    let username: String
    let csrfToken: String
    let isAdmin: Bool
}

extension StaffChrome {
    init(_ context: RequestContext) {
        let staff = context.signedIn
        self.init(username: staff.username, csrfToken: context.csrfToken(), isAdmin: staff.isAdmin)
    }
}

/// A short page inside the staff area, with its header: a refusal, a page that is not there.
struct StaffMessagePage: Page {
    static let template = "staff_message"
    let staff: StaffChrome
    let heading: String
    let message: String
}

extension Views {
    /// A heading and one message, with the staff header, for a signed-in staff member.
    func staffMessage(_ status: HTTPResponse.Status, heading: String, _ text: String, _ context: RequestContext) -> Response {
        page(StaffMessagePage(staff: StaffChrome(context), heading: heading, message: text), status: status)
    }
}
