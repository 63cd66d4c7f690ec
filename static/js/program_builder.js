// Program builder: prefill a row's dose from the exercise's defaults, show its caution for this
// patient's condition before saving (the server enforces it too), and add rows.
(function () {
  const defaults = JSON.parse(document.getElementById("exercise-defaults").textContent);
  const total = document.getElementById("id_items-TOTAL_FORMS");

  function field(row, name) {
    return row.querySelector(`[name="${row.dataset.prefix}-${name}"]`);
  }

  function showCaution(row, d) {
    const box = row.querySelector(".caution-box");
    if (d && d.caution) {
      box.classList.remove("d-none");
      row.querySelector(".caution-text").textContent =
        `Caution: this exercise loads ${d.caution.toLowerCase()}, which this patient's condition ` +
        "may not tolerate. Tick the box to prescribe it anyway.";
    } else if (!field(row, "caution_acknowledged").checked) {
      box.classList.add("d-none");
    }
  }

  function onExerciseChange(row, prefill) {
    const d = defaults[field(row, "exercise").value];
    row.querySelector(".default-dose").textContent = d ? `Default dose: ${d.dose}` : "";
    if (d && prefill) {
      field(row, "sets").value = d.sets;
      field(row, "target_low").value = d.low;
      field(row, "target_high").value = d.high;
      field(row, "rep_hold_seconds").value = d.hold ?? "";
    }
    // Step rates only mean something for a run; the server ignores hidden values elsewhere.
    row.querySelector(".step-rates").classList.toggle("d-none", !(d && d.run));
    showCaution(row, d);
  }

  function wire(row) {
    const select = field(row, "exercise");
    select.addEventListener("change", () => onExerciseChange(row, true));
    if (select.value) onExerciseChange(row, false);
  }

  document.querySelectorAll(".item-form").forEach(wire);
  document.getElementById("add-item").addEventListener("click", () => {
    const index = Number(total.value);
    const html = document.getElementById("empty-item").innerHTML.replace(/__prefix__/g, index);
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    document.getElementById("items").appendChild(row);
    total.value = index + 1;
    wire(row);
    field(row, "exercise").focus();
  });
})();
