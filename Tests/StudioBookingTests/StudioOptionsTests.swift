import Testing
import TestSupport
@testable import StudioBooking

/// The studios' options, rendered apart and kept (StudioOptions): what the page prints is what the
/// template would, escaped, for the choice asked for, however many choices have been asked for.
@Suite struct StudioOptionsTests {
    static let views = Result { try Views(directory: TestEnvironment.root + "/templates") }

    static func studios(selected: String?) -> [Choice] {
        [("1", "Studio <1> & \"Foto\""), ("2", "Studio 2")].map { Choice(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }

    @Test func optionsAreEscapedAndFollowTheChoice() throws {
        let views = try Self.views.get()
        let first = views.studioOptions(Self.studios(selected: "1"))
        #expect(first.contains(#"<option value="1" selected>Studio &lt;1&gt; &amp; &quot;Foto&quot;</option>"#))
        #expect(first.contains(#"<option value="2">Studio 2</option>"#))
        // Kept, and kept apart per choice: the second ask is the same text, another choice another.
        #expect(views.studioOptions(Self.studios(selected: "1")) == first)
        let second = views.studioOptions(Self.studios(selected: "2"))
        #expect(second.contains(#"<option value="1">Studio &lt;1&gt;"#) && second.contains(#"<option value="2" selected>"#))
    }

    @Test func aStoreThatFillsUpStartsAgainAndStillAnswersRight() throws {
        let views = try Self.views.get()
        // Choices of studios that are not in the list (a form keeps what was asked for): more than
        // the store holds, then the first again.
        for n in 0...StudioOptions.Kept.limit {
            let choices = Self.studios(selected: nil) + [Choice(value: "x\(n)", label: "Studio x\(n)", selected: true)]
            #expect(views.studioOptions(choices).contains(#"<option value="x\#(n)" selected>Studio x\#(n)</option>"#))
        }
        #expect(views.studioOptions(Self.studios(selected: "2")).contains(#"<option value="2" selected>"#))
    }
}
