// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("change", (event) => {
  const input = event.target.closest("input[type=file][data-preview]");
  if (!input) return;
  const list = document.getElementById(input.getAttribute("data-preview"));
  if (!list) return;
  list.replaceChildren();
  for (const file of input.files) {
    const item = document.createElement("li");
    item.textContent = `${file.name} (${Math.ceil(file.size / 1024)} KB)`;
    list.appendChild(item);
  }
});
// One-click choices (a suggested category): fill the named input with the button's value.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-fill][data-value]");
  if (!button) return;
  const input = document.getElementById(button.getAttribute("data-fill"));
  if (input) {
    input.value = button.getAttribute("data-value");
    input.focus();
  }
});
