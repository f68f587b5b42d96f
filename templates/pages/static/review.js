// Reviewer wellness: a reported image stays blurred and greyscale until its reveal button ([data-reveal]) is used.
// Without this file the button is a plain link to the image, which opens it unblurred.
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element ? event.target.closest("[data-reveal]") : null;
  if (!button) return;
  var figure = document.getElementById(button.getAttribute("data-reveal"));
  if (!figure) return;
  event.preventDefault();
  var shown = figure.classList.toggle("revealed");
  button.setAttribute("aria-pressed", shown ? "true" : "false");
  button.textContent = shown ? "Blur again" : "Reveal image";
});
// "Select all" for the bulk decision.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) return;
  document.querySelectorAll("input[name=item][form=bulk-form]").forEach(function (other) { other.checked = box.checked; });
});
