// The editor's shortcuts and guides: the slug proposed from the name, Ctrl/Cmd+S to save, and the
// consistency panel as a sheet on narrow screens. Like entries.js, it only enhances the server-rendered form.
(() => {
  const form = document.getElementById("entry-form");
  if (!form || form.dataset.readonly === "1") return;

  // The slug follows the name (as python-slugify writes it, GET /admin/slug) until the editor types in the
  // slug; emptying the slug makes it follow again. An entry that already has a slug keeps it: links use it.
  const name = document.getElementById(form.dataset.slugFrom || "");
  const slug = document.getElementById(form.dataset.slugTo || "");
  if (name && slug) {
    let following = slug.value.trim() === "";
    let asked = 0;
    let timer = 0;
    slug.addEventListener("input", () => {
      following = slug.value.trim() === "";
      slug.removeAttribute("data-proposed");
    });
    name.addEventListener("input", () => {
      if (!following) return;
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const ask = ++asked;
        const response = await fetch(`/admin/slug?text=${encodeURIComponent(name.value)}`, { headers: { "HX-Request": "true" } });
        if (!response.ok || ask !== asked || !following) return; // a later keystroke, or the editor took over
        slug.value = (await response.json()).slug;
        slug.dataset.proposed = "1";
        slug.dispatchEvent(new Event("input", { bubbles: true })); // live feedback and the local draft see it
        following = true; // that input event was ours, not the editor's
      }, 150);
    });
  }

  // Ctrl+S (Cmd+S on a Mac) saves from anywhere on the page, as the Save button does (the bar announces it).
  const save = form.querySelector(".save-bar button[type=submit]");
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== "s") return;
    event.preventDefault();
    if (save) form.requestSubmit(save);
  });

  // On a phone the consistency panel is a sheet opened from the save bar, so it is reachable while typing.
  const toggle = document.querySelector("[data-toggle-feedback]");
  const panel = document.getElementById("feedback");
  if (toggle && panel) {
    toggle.addEventListener("click", () => {
      const open = !panel.classList.contains("open");
      panel.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", String(open));
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && panel.classList.contains("open")) {
        panel.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }
})();

// Uploading from an image field: each file goes to the media library's upload endpoint, and the new (or already
// known) asset is attached to the field the way a picked one is (entries.js handles the pick button's click).
(() => {
  const form = document.getElementById("entry-form");
  if (!form || form.dataset.readonly === "1") return;

  async function uploadOne(file, picker, status) {
    const body = new FormData();
    body.append("file", file, file.name);
    let response;
    try {
      response = await fetch("/admin/media/upload", { method: "POST", body, headers: { "X-CSRF-Token": document.body.dataset.csrf } });
    } catch {
      status.textContent = status.dataset.failed;
      return;
    }
    let answer = {};
    try { answer = await response.json(); } catch { answer = { error: response.statusText }; }
    if (!response.ok) {
      status.textContent = `${status.dataset.refused}: ${file.name}: ${answer.error || response.status}`;
      return;
    }
    const pick = Object.assign(document.createElement("button"), { type: "button", hidden: true });
    Object.assign(pick.dataset, { pick: picker.dataset.picker, id: answer.id, label: answer.filename, asset: "1" });
    picker.querySelector(".pick-results").append(pick);
    pick.click();
    status.textContent = "";
  }

  form.addEventListener("change", async (event) => {
    const input = event.target.closest("input[type=file][data-upload-to]");
    if (!input || !input.files.length) return;
    const picker = input.closest("[data-picker]");
    const status = picker.querySelector(".upload-status");
    status.textContent = status.dataset.uploading;
    for (const file of [...input.files]) await uploadOne(file, picker, status);
    input.value = "";
  });
})();
