/// The part of a customer's page that changes the customer (docs/behaviour.md: Editing, merging and
/// erasing customers): the edit form, the change history, and for admins the merge, the data
/// download and the erasure. The partial `staff_customer_changes` renders it.
struct CustomerChangesView {
    let editURL, mergeURL, eraseURL, dataURL: String
    let isAdmin: Bool
    /// Erased: nothing left to edit, merge or erase; the page says so.
    let erased: Bool
    /// What the last POST came to, when it was refused.
    let alert: String?
    let nama, jenisKelamin, telp, email, alamat: FieldView
    /// The customer's version the form was made from (`CustomerForm.versi`), sent back hidden.
    let versi: String
    let genders: [Choice]
    /// A 409 of the edit: the customer that holds the phone or e-mail, to merge into.
    let holder: Holder?
    /// The merge form's `ke` and the erasure's `konfirmasi`, as typed when refused.
    let ke, konfirmasi: FieldView
    let history: [ChangeView]
    /// Changes older than those shown.
    let moreHistory: Int?

    struct Holder {
        let kodeCS, url, field: String
    }
}

extension CustomerChangesView {
    /// `form`: the edit form as typed (a refused edit), or nil for the customer as saved.
    init(
        _ customer: CustomerChangeStore.Locked, history: (changes: [CustomerChangeStore.Change], total: Int),
        isAdmin: Bool, refusal: CustomerChangeRefusal? = nil
    ) {
        let base = "/staff/customers/\(customer.kodeCS.urlQueryEncoded)"
        (editURL, mergeURL, eraseURL, dataURL) = (base, base + "/gabung", base + "/hapus", base + "/data.json")
        self.isAdmin = isAdmin
        erased = customer.erased
        alert = refusal?.alert
        let form = refusal?.form ?? CustomerForm(customer)
        let errors = refusal?.errors ?? [:]
        func field(_ name: CustomerForm.Field, _ value: String) -> FieldView { FieldView(value: value, error: errors[name]) }
        nama = field(.nama, form.nama)
        jenisKelamin = field(.jenisKelamin, form.jenisKelamin)
        telp = field(.telp, form.telp)
        email = field(.email, form.email)
        alamat = field(.alamat, form.alamat)
        versi = form.versi
        genders = BookingValidator.genders.map { Choice(value: $0, label: $0, selected: $0 == form.jenisKelamin) }
        holder = refusal?.holder.map { held in
            Holder(
                kodeCS: held.kodeCS, url: "/staff/customers/\(held.kodeCS.urlQueryEncoded)",
                field: held.field == "telp" ? "nomor telepon" : "email")
        }
        ke = FieldView(value: refusal?.ke ?? refusal?.holder?.kodeCS ?? "", error: refusal?.keError)
        konfirmasi = FieldView(value: refusal?.konfirmasi ?? "", error: refusal?.konfirmasiError)
        self.history = history.changes.map(ChangeView.init)
        moreHistory = history.total > history.changes.count ? history.total - history.changes.count : nil
    }
}

/// Why a POST to a customer was refused, and what was typed, for the page shown again.
struct CustomerChangeRefusal {
    var alert: String
    var form: CustomerForm? = nil
    var errors: [CustomerForm.Field: String] = [:]
    var holder: (field: String, kodeCS: String)? = nil
    var ke: String? = nil
    var keError: String? = nil
    var konfirmasi: String? = nil
    var konfirmasiError: String? = nil
}

/// One row of the change history.
struct ChangeView {
    let kolom, lama, baru, pada, oleh: String
    /// The booking that made the change, when it has a page.
    let olehURL: String?

    static let labels = [
        "nama_cs": "Nama", "jenis_kelamin": "Jenis kelamin", "telp": "Telepon", "email": "Email", "alamat": "Alamat",
        "tanggal_booking": "Booking terakhir", "digabung_ke": "Digabung ke",
    ]
}

extension ChangeView {
    init(_ change: CustomerChangeStore.Change) {
        kolom = Self.labels[change.kolom] ?? change.kolom
        lama = change.lama.shown
        baru = change.baru.shown
        pada = IndonesianDate.dateTime(change.pada)
        if let staf = change.olehStaf {
            oleh = "staf \(staf)"
            olehURL = nil
        } else if let ref = change.olehRef {
            oleh = "booking \(ref)"
            // A booking without a ref (the legacy system's) is named by its id, and has no page of its own.
            olehURL = ref.allSatisfy(\.isNumber) ? nil : "/booking/\(ref.urlQueryEncoded)"
        } else {
            (oleh, olehURL) = ("—", nil)
        }
    }
}
