// Program builder: prefill a row's dose from the exercise's defaults, show its caution for this
// patient's condition before saving (the server enforces it too), add rows, and search the
// library (a combobox over a listbox) to add exercises without scrolling a long select.
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

  // "From"/"To" carry the unit of the dose: reps, seconds or minutes.
  function showUnits(row, d) {
    for (const [name, word] of [["target_low", "From"], ["target_high", "To"]]) {
      const label = row.querySelector(`label[for="${field(row, name).id}"]`);
      label.textContent = d && d.unit ? `${word} (${d.unit})` : word;
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
    showUnits(row, d);
    showCaution(row, d);
  }

  function wire(row) {
    const select = field(row, "exercise");
    select.addEventListener("change", () => onExerciseChange(row, true));
    if (select.value) onExerciseChange(row, false);
  }

  function rows() {
    return Array.from(document.querySelectorAll("#items .item-form"));
  }

  function addRow() {
    const index = Number(total.value);
    const html = document.getElementById("empty-item").innerHTML.replace(/__prefix__/g, index);
    const holder = document.createElement("div");
    holder.innerHTML = html;
    const row = holder.firstElementChild;
    document.getElementById("items").appendChild(row);
    total.value = index + 1;
    row.querySelector(".item-number").textContent = rows().length;
    wire(row);
    return row;
  }

  rows().forEach(wire);
  document.getElementById("add-item").addEventListener("click", () => {
    field(addRow(), "exercise").focus();
  });

  // The search: every exercise is in the page already, so filtering is instant for hundreds.
  const picker = document.getElementById("picker");
  const search = document.getElementById("picker-search");
  const region = document.getElementById("picker-region");
  const caution = document.getElementById("picker-caution");
  const list = document.getElementById("picker-results");
  const status = document.getElementById("picker-status");
  const entries = Object.entries(defaults);
  let active = -1;

  function haystack(d) {
    return [d.name, d.progression, d.region_label, ...d.cautions].join(" ").toLowerCase();
  }

  function matches(d) {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const text = haystack(d);
    if (!words.every((w) => text.includes(w))) return false;
    if (region.value && d.region !== region.value) return false;
    if (caution.value === "safe" && d.caution) return false;
    if (caution.value === "any" && d.cautions.length === 0) return false;
    return true;
  }

  function option(pk, d) {
    const item = document.createElement("li");
    item.className = "list-group-item";
    item.id = `picker-option-${pk}`;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.pk = pk;
    if (d.img) {
      const img = document.createElement("img");
      img.src = d.img;
      img.alt = "";
      img.className = "picker-thumb";
      img.addEventListener("error", () => img.remove());
      item.appendChild(img);
    }
    const body = document.createElement("div");
    const name = document.createElement("div");
    name.className = "fw-semibold";
    name.textContent = d.name;
    const meta = document.createElement("div");
    meta.className = "small";
    const level = d.level ? `level ${d.level}, ` : "";
    meta.textContent = `${d.progression}: ${level}${d.region_label}. Default ${d.dose}.`;
    body.append(name, meta);
    for (const label of d.cautions) {
      const badge = document.createElement("span");
      const conflict = d.caution.split(", ").includes(label);
      badge.className = `badge me-1 ${conflict ? "text-bg-warning" : "text-bg-light border"}`;
      badge.textContent = conflict ? `Caution for this patient: ${label}` : `Caution: ${label}`;
      body.appendChild(badge);
    }
    item.appendChild(body);
    item.addEventListener("click", () => pick(pk));
    return item;
  }

  function render() {
    list.replaceChildren(...entries.filter(([, d]) => matches(d)).map(([pk, d]) => option(pk, d)));
    highlight(list.children.length ? 0 : -1);
    status.textContent = `${list.children.length} exercises match.`;
  }

  function highlight(index, scroll = false) {
    const options = list.children;
    if (active >= 0 && options[active]) {
      options[active].classList.remove("active-option");
      options[active].setAttribute("aria-selected", "false");
    }
    active = index;
    if (index < 0 || !options[index]) {
      search.removeAttribute("aria-activedescendant");
      return;
    }
    options[index].classList.add("active-option");
    options[index].setAttribute("aria-selected", "true");
    if (scroll) options[index].scrollIntoView({ block: "nearest" });
    search.setAttribute("aria-activedescendant", options[index].id);
  }

  function pick(pk) {
    const empty = rows().find((row) => !field(row, "exercise").value);
    const row = empty || addRow();
    const select = field(row, "exercise");
    select.value = pk;
    select.dispatchEvent(new Event("change"));
    const number = rows().indexOf(row) + 1;
    status.textContent = `${defaults[pk].name} added as exercise ${number}.`;
  }

  search.addEventListener("keydown", (event) => {
    const count = list.children.length;
    if (event.key === "ArrowDown" && count) {
      highlight(Math.min(active + 1, count - 1), true);
    } else if (event.key === "ArrowUp" && count) {
      highlight(Math.max(active - 1, 0), true);
    } else if ((event.key === "Home" || event.key === "End") && count && event.ctrlKey) {
      highlight(event.key === "Home" ? 0 : count - 1, true);
    } else if (event.key === "Enter") {
      // Enter here adds the highlighted exercise; it never submits the program half-built.
      if (active >= 0) pick(list.children[active].dataset.pk);
    } else {
      return;
    }
    event.preventDefault();
  });
  search.addEventListener("input", render);
  region.addEventListener("change", render);
  caution.addEventListener("change", render);
  picker.classList.remove("d-none");
  render();
})();
