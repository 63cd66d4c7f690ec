// Going back needs the browser's history, which only a script reaches; the button stays hidden
// without one, and the Content-Security-Policy rules out an inline onclick.
document.querySelectorAll("[data-go-back]").forEach((button) => {
  if (window.history.length > 1) {
    button.hidden = false;
    button.addEventListener("click", () => window.history.back());
  }
});
