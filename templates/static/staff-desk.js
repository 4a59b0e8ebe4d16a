// The desk's customer search: as staff type a phone, code or name, the customers found are listed,
// and choosing one fills the booking form's fields. Without this script the search form asks the
// server, and each customer found is a link that opens the form filled in.
(function () {
  "use strict";
  var input = document.getElementById("cari"), list = document.getElementById("desk-found");
  var form = document.querySelector("form.booking.desk");
  if (!input || !list || !form || !window.fetch) return;
  var source = input.getAttribute("data-customer-search"), asked = 0, timer = null;

  function fill(customer) {
    ["nama_customer", "telp_customer", "email_customer", "alamat_customer", "jenis_kelamin"].forEach(function (name) {
      if (form.elements[name]) form.elements[name].value = customer[name] || "";
    });
    list.textContent = "";
    var chosen = document.createElement("li");
    chosen.textContent = "Data " + customer.kode_cs + " sudah diisi di formulir.";
    list.appendChild(chosen);
  }

  function show(customers) {
    list.textContent = "";
    if (!customers.length) {
      var none = document.createElement("li");
      none.textContent = "Tidak ada customer yang cocok.";
      list.appendChild(none);
      return;
    }
    customers.forEach(function (customer) {
      var item = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.setAttribute("data-kode", customer.kode_cs);
      button.textContent = customer.kode_cs + " " + customer.nama_customer + " · " + (customer.telp_customer || "—");
      button.addEventListener("click", function () { fill(customer); });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function search() {
    var text = input.value.trim(), mine = ++asked;
    if (text.length < 2) { list.textContent = ""; return; }
    fetch(source + "?" + new URLSearchParams({ q: text }).toString(), { headers: { Accept: "application/json" } })
      .then(function (reply) { return reply.ok ? reply.json() : []; })
      .then(function (customers) { if (mine === asked) show(customers); })
      .catch(function () { /* the search form still asks the server */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
})();
