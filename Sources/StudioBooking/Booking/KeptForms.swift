/// The booking form's pages kept for one studio list and day (BookingController): the empty form,
/// around the CSRF token, and the form of each studio and length asked for, around the token, the
/// date and the start field. `GET /booking` then costs no template work, and the form with free
/// starts only the start field's. A studio list or a day that differs starts them anew.
struct KeptForms: Sendable {
    /// A studio and length asked for; nil: the empty form.
    struct Key: Hashable, Sendable {
        let studio: Int
        let durasi: Int
    }

    let studios: [BookingStore.Studio]
    let day: Day
    private var pages: [Key?: PageSkeleton] = [:]

    init(studios: [BookingStore.Studio], day: Day) {
        self.studios = studios
        self.day = day
    }

    func page(_ key: Key?, studios: [BookingStore.Studio], day: Day) -> PageSkeleton? {
        guard self.studios == studios, self.day == day else { return nil }
        return pages[key]
    }

    /// Keeps `page`, first starting anew when the studios or the day are not these. The keys are
    /// bounded: a studio of the list and a length it allows, checked before anything is kept.
    static func keep(_ page: PageSkeleton, _ key: Key?, studios: [BookingStore.Studio], day: Day, in kept: inout KeptForms?) {
        if kept?.studios != studios || kept?.day != day { kept = KeptForms(studios: studios, day: day) }
        kept?.pages[key] = page
    }
}
