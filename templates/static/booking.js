// The booking form's free starts, refreshed without a reload when studio, date or length change.
// Without this script the form still works: "Tampilkan jam kosong" asks the server for them.
// The change of a booking's time names its own source (data-free-starts): the starts it may move to.
(function () {
  "use strict";
  var form = document.querySelector("form.booking");
  if (!form || !window.fetch) return;
  var studio = form.elements.studio_id, day = form.elements.tanggal_booking, length = form.elements.durasi_jam;
  var start = form.elements.jam_booking, note = document.getElementById("jam_booking-note");
  var refresh = form.querySelector("[data-schedule-refresh]");
  if (!studio || !day || !length || !start || !note) return;
  if (refresh) refresh.hidden = true;
  var source = form.getAttribute("data-free-starts") || "/booking/jam";
  var asked = 0;

  function say(text) { note.textContent = text; }

  function options(starts) {
    var kept = start.value;
    while (start.options.length > 1) start.remove(1);
    starts.forEach(function (jam) {
      var option = new Option(jam.replace(":", "."), jam);  // read as 13.00, sent as 13:00
      if (jam === kept) option.selected = true;
      start.add(option);
    });
  }

  function update() {
    if (!studio.value || !day.value) {
      options([]);
      say("Pilih studio, tanggal dan lama sesi dulu: jam yang masih kosong muncul di sini.");
      return;
    }
    var query = new URLSearchParams({ studio_id: studio.value, tanggal_booking: day.value, durasi_jam: length.value || "1" });
    var mine = ++asked;
    say("Mencari jam yang masih kosong…");
    fetch(source + "?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (reply) { return reply.json().then(function (body) { return { ok: reply.ok, body: body }; }); })
      .then(function (answer) {
        if (mine !== asked) return;  // a later choice is on its way
        if (!answer.ok) { options([]); say(answer.body.error || "Jadwal tidak dapat dibaca."); return; }
        options(answer.body.jam);
        say(answer.body.jam.length ? "" : "Tidak ada jam kosong untuk sesi " + answer.body.durasi_jam +
          " jam pada tanggal ini. Coba tanggal lain.");
      })
      .catch(function () {
        if (mine !== asked) return;
        if (refresh) refresh.hidden = false;  // the server can still be asked the old way
        say("Jam kosong tidak dapat dimuat. Tekan \u201cTampilkan jam kosong\u201d.");
      });
  }

  [studio, day, length].forEach(function (input) { input.addEventListener("change", update); });
})();
