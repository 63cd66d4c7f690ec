// Time-zone pickers: about 420 places, so a box above the list filters it by city, country or
// region. On a new record the browser's own zone is chosen; the server's choice stays the fallback
// without JavaScript and when the browser names a zone the list does not offer.
(function () {
  // Browsers name some zones by their old alias (Chromium says Asia/Calcutta for Asia/Kolkata):
  // failing an exact match, take the option the browser itself resolves to the same name.
  function browserName(zone) {
    try {
      return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
    } catch (error) {
      return "";
    }
  }

  function preselectBrowserZone(select) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const options = [...select.options];
    const option = options.find((o) => o.value === zone)
      || options.find((o) => o.value !== "UTC" && browserName(o.value) === zone);
    if (option) select.value = option.value;
  }

  function matches(option, words) {
    const group = option.parentElement.label || "";
    const text = (option.value.replace(/_/g, " ") + " " + option.text + " " + group).toLowerCase();
    return words.every((word) => text.includes(word));
  }

  function filter(select, query) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    for (const option of select.options) option.hidden = !matches(option, words);
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = ![...group.children].some((option) => !option.hidden);
    }
    // The closed list shows its choice: keep that choice among the matches.
    const first = [...select.options].find((option) => !option.hidden);
    if (first && select.selectedOptions[0]?.hidden) select.value = first.value;
  }

  function addFilterBox(select) {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control mb-2";
    box.id = select.id + "_filter";
    box.autocomplete = "off";
    box.placeholder = "Find a city, country or region";
    box.setAttribute("aria-label", "Find a time zone");
    box.setAttribute("aria-controls", select.id);
    box.addEventListener("input", () => filter(select, box.value));
    // Enter in the box would send the whole form half filled.
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    select.before(box);
  }

  document.querySelectorAll("select[data-timezone-picker]").forEach((select) => {
    if (select.hasAttribute("data-browser-default")) preselectBrowserZone(select);
    addFilterBox(select);
  });
})();
