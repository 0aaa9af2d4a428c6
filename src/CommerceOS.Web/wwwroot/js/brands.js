// Brand form: keeps each palette colour picker and its hex text field in step. Without JavaScript
// the text fields alone work; the pickers carry no name and are never posted.
document.addEventListener("input", (event) => {
  const target = event.target;
  if (target.matches("input[type=color][data-palette-picker]")) {
    const text = document.getElementById(target.getAttribute("data-palette-picker"));
    if (text) text.value = target.value.toUpperCase();
    return;
  }
  if (target.matches(".palette-slot input[type=text]")) {
    const picker = target.parentElement.querySelector("input[type=color]");
    const value = target.value.trim();
    if (picker && /^#[0-9a-fA-F]{6}$/.test(value)) picker.value = value.toLowerCase();
  }
});
