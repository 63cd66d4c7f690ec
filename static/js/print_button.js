// Printing needs a script; the button stays hidden without one (the browser's own Print still
// works), and the Content-Security-Policy rules out an inline onclick.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
