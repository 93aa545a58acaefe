// The entry editor: locale and channel tabs, override toggles, pickers and repeatable rows.
// Everything works from the server-rendered form; this script only shows/hides and adds/removes inputs.
(() => {
  const form = document.getElementById("entry-form");
  if (!form) return;

  const changed = () => window.htmx && htmx.trigger(form, "entry-changed");

  function show(attribute, value) {
    // Panels of the active locale or channel are shown; the hidden inputs still post with the form.
    for (const element of form.querySelectorAll(`[${attribute}]`)) {
      if (element.matches("[role=tab]")) continue;
      element.hidden = element.getAttribute(attribute) !== value;
    }
  }

  function selectLocale(locale) {
    form.dataset.locale = locale;
    form.elements._locale.value = locale;
    show("data-locale", locale);
    for (const tab of form.querySelectorAll("[data-locale-tab]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.localeTab === locale));
    }
    changed();
  }

  function selectChannel(channel) {
    form.dataset.channel = channel;
    form.elements._channel.value = channel;
    for (const panel of form.querySelectorAll(".panel[data-channel], [data-channel-hint]")) {
      const name = panel.dataset.channel ?? panel.dataset.channelHint;
      panel.hidden = name !== channel;
    }
    for (const tab of form.querySelectorAll("[data-channel-tab]")) {
      tab.setAttribute("aria-selected", String(tab.dataset.channelTab === channel));
    }
    changed();
  }

  function reveal(target) {
    // Open the tabs holding an element (an error link may point into another locale or channel).
    const panel = target.closest(".panel[data-channel]");
    if (panel && panel.hidden) selectChannel(panel.dataset.channel);
    const localized = target.closest("[data-locale]");
    if (localized && localized.hidden) selectLocale(localized.dataset.locale);
    const override = target.closest("fieldset.override");
    if (override && override.disabled) toggleOverride(override.id.replace(/^override-/, ""), true);
  }

  function toggleOverride(id, on) {
    const box = form.querySelector(`[data-override-toggle="${CSS.escape(id)}"]`);
    const fieldset = document.getElementById(`override-${id}`);
    if (box) box.checked = on;
    fieldset.hidden = !on;
    fieldset.disabled = !on;
    if (on) fieldset.querySelector("input:not([type=hidden]), textarea, select")?.focus();
    changed();
  }

  function addChip(picker, id, label, isAsset) {
    const name = picker.dataset.picker;
    const chosen = picker.querySelector(".chosen");
    if (picker.dataset.multiple !== "1") chosen.replaceChildren();
    if ([...chosen.querySelectorAll("input")].some((input) => input.value === id)) return;
    const item = document.createElement("li");
    item.className = "chip";
    const input = Object.assign(document.createElement("input"), { type: "hidden", name, value: id });
    item.append(input);
    if (isAsset) {
      const image = Object.assign(document.createElement("img"), { src: `/media/${id}/web_400`, alt: "", width: 48, height: 36 });
      item.append(image);
    }
    const text = document.createElement("span");
    text.textContent = label;
    const remove = Object.assign(document.createElement("button"), { type: "button", className: "chip-remove", textContent: "×" });
    remove.dataset.removeChip = "";
    remove.setAttribute("aria-label", `${document.body.dataset.lang === "fr" ? "Retirer" : "Remove"}: ${label}`);
    item.append(" ", text, " ", remove);
    chosen.append(item);
  }

  function removeChip(chip) {
    // Focus stays in the picker: on the next chip's remove button, else the previous one's, else the search box.
    const picker = chip.closest("[data-picker]");
    const neighbour = chip.nextElementSibling ?? chip.previousElementSibling;
    chip.remove();
    (neighbour?.querySelector("[data-remove-chip]") ?? picker.querySelector("input[type=search]"))?.focus();
    changed();
  }

  function addRow(id) {
    const rows = form.querySelector(`[data-rows="${CSS.escape(id)}"]`);
    const template = document.getElementById(`template-${id}`);
    const used = [...rows.querySelectorAll("[name]")].map((input) => Number(input.name.match(/\.(\d+)\.(?:options\.)?[^.]+(?:\.(?:amount|currency))?$/)?.[1] ?? -1));
    const next = Math.max(-1, ...used) + 1;
    const holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replaceAll("__INDEX__", String(next));
    const row = holder.firstElementChild;
    rows.append(row);
    row.querySelector("input, textarea, select")?.focus();
  }

  form.addEventListener("click", (event) => {
    const target = event.target.closest("button, a");
    if (!target) return;
    if (target.dataset.localeTab !== undefined) selectLocale(target.dataset.localeTab);
    else if (target.dataset.channelTab !== undefined) selectChannel(target.dataset.channelTab);
    else if (target.dataset.addRow) addRow(target.dataset.addRow);
    else if (target.dataset.removeRow !== undefined) { target.closest(".object-row").remove(); changed(); }
    else if (target.dataset.removeChip !== undefined) removeChip(target.closest(".chip"));
    else if (target.dataset.pick !== undefined) {
      const picker = form.querySelector(`[data-picker="${CSS.escape(target.dataset.pick)}"]`);
      addChip(picker, target.dataset.id, target.dataset.label, target.dataset.asset === "1");
      picker.querySelector(".pick-results").replaceChildren();
      const search = picker.querySelector("input[type=search]");
      search.value = "";
      search.focus();
      changed();
    }
  });

  form.addEventListener("submit", (event) => {
    // A read-only editor (a viewer's) has no Save button; Enter in one of its fields must not post it either.
    if (form.dataset.readonly === "1") event.preventDefault();
  });

  form.addEventListener("change", (event) => {
    const toggle = event.target.closest("[data-override-toggle]");
    if (toggle) toggleOverride(toggle.dataset.overrideToggle, toggle.checked);
  });

  form.addEventListener("input", (event) => {
    // The "falls back to …" note goes away as soon as this language has its own value.
    const note = form.querySelector(`[data-fallback-for="${CSS.escape(event.target.id || "")}"]`);
    if (note) note.hidden = event.target.value.trim() !== "";
  });

  form.addEventListener("keydown", (event) => {
    // Enter in a picker's search box picks its first suggestion; it never submits (and saves) the whole form.
    const search = event.key === "Enter" && event.target.closest(".picker input[type=search]");
    if (search) {
      event.preventDefault();
      search.closest(".picker").querySelector(".pick-results button.pick")?.click();
      return;
    }
    // Arrow keys move between tabs, as in every tab list.
    const tab = event.target.closest("[role=tab]");
    if (!tab || !["ArrowLeft", "ArrowRight"].includes(event.key)) return;
    const tabs = [...tab.parentElement.querySelectorAll("[role=tab]")];
    const next = tabs[(tabs.indexOf(tab) + (event.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
    next.focus();
    next.click();
  });

  document.body.addEventListener("htmx:afterSettle", () => {
    // The live feedback redraws what channels inherit; an empty override shows that value as its placeholder.
    for (const line of form.querySelectorAll("[data-inherits-for]")) {
      const input = document.getElementById(line.dataset.inheritsFor);
      if (input && "placeholder" in input && input.placeholder !== line.dataset.placeholder) {
        input.placeholder = line.dataset.placeholder;
      }
    }
  });


  // Unsaved changes survive an ended session, a crash or a closed tab: a copy of the form in localStorage,
  // per entry and the version it started from (`cms-draft:<type>:<id>:<version>`), offered back when the page
  // opens with other values. A copy made on an older version than the one now loaded is restored with that
  // older version as the form's base, so saving it merges with what was saved since instead of overwriting it.
  const [typeName, entryId] = form.dataset.draftKey.split(":");
  const entryPrefix = `cms-draft:${typeName}:${entryId}:`;
  const draftKey = () => `${entryPrefix}${form.elements.base_version.value}`;
  const notDraft = new Set(["_csrf", "_locale", "_channel", "base_version", "q", "conflict", "merge_base"]);
  const refusedSave = form.dataset.unsaved === "1"; // typed values shown again: they are not stored anywhere

  function snapshot() {
    const fields = [...new FormData(form)].filter(([name]) => !notDraft.has(name) && !name.startsWith("resolve.")).map(([name, value]) => [name, String(value)]);
    const chips = Object.fromEntries([...form.querySelectorAll(".chip")].map((chip) => [chip.querySelector("input").value, chip.querySelector("span")?.textContent ?? ""]));
    return { fields, chips };
  }
  const loaded = JSON.stringify(snapshot().fields);

  function keepDraft() {
    if (form.dataset.readonly === "1") return;
    const now = snapshot();
    try {
      if (JSON.stringify(now.fields) === loaded && !refusedSave) localStorage.removeItem(draftKey());
      else localStorage.setItem(draftKey(), JSON.stringify({ savedAt: Date.now(), ...now }));
    } catch { /* storage full or disabled: the form still works */ }
  }

  function entryDrafts() {
    // [version, key] of every copy kept for this entry, newest version first.
    const found = [];
    for (let index = 0; index < localStorage.length; index++) {
      const key = localStorage.key(index);
      if (key?.startsWith(entryPrefix)) found.push([Number(key.slice(entryPrefix.length)), key]);
    }
    return found.sort((a, b) => b[0] - a[0]);
  }
  function restoreDraft(draft) {
    const values = new Map();
    for (const [name, value] of draft.fields) values.set(name, [...(values.get(name) ?? []), value]);
    for (const row of form.querySelectorAll(".object-row")) {
      if (![...row.querySelectorAll("[name]")].some((input) => values.has(input.name))) row.remove();
    }
    for (const picker of form.querySelectorAll("[data-picker]")) {
      picker.querySelector(".chosen").replaceChildren();
      for (const id of values.get(picker.dataset.picker) ?? []) addChip(picker, id, draft.chips[id] ?? id, picker.dataset.asset === "1");
    }
    for (const [name, list] of values) {
      let inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]:not([type=hidden])`);
      const rowOf = name.match(/^(.*)\.\d+\.(?:options\.)?[^.]+(?:\.(?:amount|currency))?$/);
      for (let tries = 0; !inputs.length && rowOf && tries < 50; tries++) {
        const rowsId = rowOf[1].replaceAll(".", "-");
        if (!form.querySelector(`[data-rows="${CSS.escape(rowsId)}"]`)) break;
        addRow(rowsId);
        inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]:not([type=hidden])`);
      }
      inputs.forEach((input, index) => {
        const override = input.closest("fieldset.override");
        if (override?.disabled) toggleOverride(override.id.replace(/^override-/, ""), true);
        if (input.type === "checkbox") input.checked = list.includes(input.value);
        else input.value = list[index] ?? list[0];
      });
    }
    changed();
    keepDraft();
  }

  (() => {
    const offer = document.getElementById("draft-offer");
    if (new URLSearchParams(location.search).has("saved")) {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith(entryPrefix) || key.startsWith(`cms-draft:${typeName}:new:`)) localStorage.removeItem(key);
      }
      return;
    }
    if (form.dataset.readonly === "1") return;
    if (refusedSave) {
      // The form already holds everything typed (and, after a conflict, what merged): that is the copy to keep.
      for (const [, key] of entryDrafts()) localStorage.removeItem(key);
      keepDraft();
      return;
    }
    const current = Number(form.elements.base_version.value);
    const [version, key] = entryDrafts().find(([number]) => number <= current) ?? [];
    let draft = null;
    try { draft = key ? JSON.parse(localStorage.getItem(key) ?? "null") : null; } catch { draft = null; }
    if (!draft || (version === current && JSON.stringify(draft.fields) === loaded)) return;
    const time = new Date(draft.savedAt).toLocaleString(document.documentElement.lang || undefined);
    let text = offer.dataset.text.replace("{time}", time);
    if (version < current) text += " " + offer.dataset.olderText.replace("{number}", String(version));
    offer.querySelector("[data-draft-text]").textContent = text;
    offer.hidden = false;
    offer.querySelector("[data-draft-restore]").addEventListener("click", () => {
      form.elements.base_version.value = String(version); // an older copy merges on save (module comment above)
      localStorage.removeItem(key);
      restoreDraft(draft);
      offer.hidden = true;
    });
    offer.querySelector("[data-draft-discard]").addEventListener("click", () => {
      localStorage.removeItem(key);
      offer.hidden = true;
    });
  })();
  form.addEventListener("input", keepDraft);
  form.addEventListener("entry-changed", keepDraft);

  for (const link of document.querySelectorAll("[data-jump]")) {
    link.addEventListener("click", () => {
      const target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) reveal(target);
    });
  }
  document.getElementById("error-summary")?.focus();
})();
