// A slider is easier on a phone than typing a number, but it needs a script to show its value
// and to leave a question unanswered until it is touched. Without one, the number box alone
// is the answer; with one, the slider appears and both stay in step (only the box is sent).
document.querySelectorAll("[data-range-answer]").forEach((answer) => {
  const slider = answer.querySelector("[data-range-slider]");
  const number = answer.querySelector("[data-range-number]");
  slider.classList.remove("d-none");
  slider.addEventListener("input", () => {
    number.value = slider.value;
  });
  number.addEventListener("input", () => {
    if (number.value !== "") slider.value = number.value;
  });
});
