// Listing Copy: live length counters. Each box names its unit (characters as a reader counts them, UTF-8 bytes,
// double-byte where ASCII is 1 and everything else 2, or items) and its limit in data- attributes; the counter turns
// over-limit past it. Only a guide while typing: the server counts again when the edit is saved.
(() => {
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
  const encoder = new TextEncoder();

  function measure(text, unit, separator) {
    switch (unit) {
      case "bytes":
        return encoder.encode(text).length;
      case "double-bytes": {
        let count = 0;
        for (const ch of text) count += ch.codePointAt(0) < 0x80 ? 1 : 2;
        return count;
      }
      case "items": {
        const parts = separator === "\n" ? text.split("\n") : text.split(separator === "," ? /,/ : /[\s,]+/);
        return parts.filter((p) => p.trim().length > 0).length;
      }
      default:
        if (segmenter) {
          let count = 0;
          for (const _ of segmenter.segment(text)) count++;
          return count;
        }
        return [...text].length;
    }
  }

  function update(box) {
    const counter = document.getElementById(box.getAttribute("data-counter"));
    if (!counter) return;
    const limit = parseInt(box.getAttribute("data-limit") || "0", 10);
    // Textareas report line breaks as \n, as the server stores them.
    let text = box.value;
    // A caption is posted with its hashtags ("#tag" each, space-separated) and its limit counts both.
    const partner = box.getAttribute("data-with") ? document.getElementById(box.getAttribute("data-with")) : null;
    if (partner) {
      const tags = partner.value.split(/[\s,，]+/).map((t) => t.replace(/^#+/, "")).filter((t) => t.length > 0);
      text = [text.trim(), ...tags.map((t) => "#" + t)].join(" ");
    }
    const count = measure(text, box.getAttribute("data-unit"), box.getAttribute("data-separator"));
    const over = limit > 0 && count > limit;
    const number = counter.querySelector("[data-count]");
    if (number) number.textContent = String(count);
    counter.classList.toggle("over", over);
    counter.setAttribute("data-over", over ? "true" : "false");
    box.classList.toggle("over-limit", over);
  }

  document.addEventListener("input", (event) => {
    const box = event.target.closest("textarea[data-unit][data-counter]");
    if (!box) return;
    update(box);
    document.querySelectorAll(`textarea[data-with="${box.id}"]`).forEach(update);
  });

  function all() {
    document.querySelectorAll("textarea[data-unit][data-counter]").forEach(update);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", all);
  else all();
})();
