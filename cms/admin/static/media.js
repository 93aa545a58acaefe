// Media library and admin tools pages: drag-and-drop upload with progress per file, the focal-point picker,
// and copy buttons. Each part only acts when its markup is on the page; the pages work without it too.
"use strict";

function uploadOne(file, url, list) {
  // XMLHttpRequest rather than fetch: only it reports upload progress.
  const texts = list.dataset;
  const row = document.createElement("li");
  const name = document.createElement("span");
  name.className = "upload-name";
  name.textContent = file.name;
  const progress = document.createElement("progress");
  progress.max = 100;
  progress.value = 0;
  progress.setAttribute("aria-label", `${texts.uploading}: ${file.name}`);
  const status = document.createElement("span");
  status.className = "upload-status";
  status.textContent = texts.uploading;
  row.append(name, " ", progress, " ", status);
  list.prepend(row);
  const form = new FormData();
  form.append("file", file, file.name);
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRF-Token", document.body.dataset.csrf);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => {
      let answer = {};
      try { answer = JSON.parse(request.responseText); } catch { answer = { error: request.statusText }; }
      progress.value = 100;
      if (request.status === 200 || request.status === 201) {
        row.classList.add("upload-ok");
        status.textContent = request.status === 201 ? texts.done : texts.known;
        const link = document.createElement("a");
        link.href = answer.url;
        link.textContent = texts.open;
        row.append(" ", link);
      } else {
        row.classList.add("upload-refused");
        row.setAttribute("role", "alert");
        status.textContent = `${texts.refused}: ${answer.error || request.statusText}`;
      }
      resolve();
    });
    request.addEventListener("error", () => {
      row.classList.add("upload-refused");
      status.textContent = texts.failed;
      resolve();
    });
    request.send(form);
  });
}

async function uploadAll(files, zone, list) {
  await Promise.all(Array.from(files).map((file) => uploadOne(file, zone.dataset.uploadUrl, list)));
  if (window.htmx && document.getElementById("media-grid")) {
    window.htmx.ajax("GET", zone.dataset.gridUrl, { target: "#media-grid", swap: "outerHTML" });
  }
}

function setUpDropzone(zone) {
  const list = document.querySelector(".upload-list");
  const input = zone.querySelector("input[type=file]");
  input.addEventListener("change", () => {
    if (input.files.length) uploadAll(input.files, zone, list).then(() => { input.value = ""; });
  });
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add("dragging"); });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    if (event.dataTransfer && event.dataTransfer.files.length) uploadAll(event.dataTransfer.files, zone, list);
  });
}

function setUpFocalPicker(picker) {
  const form = picker.closest("form");
  const x = form.querySelector("input[name=x]");
  const y = form.querySelector("input[name=y]");
  const marker = picker.querySelector(".focal-marker");
  const clamp = (value) => Math.min(1, Math.max(0, value));
  const place = (left, top) => {
    x.value = clamp(left).toFixed(3);
    y.value = clamp(top).toFixed(3);
    marker.style.left = `${x.value * 100}%`;
    marker.style.top = `${y.value * 100}%`;
  };
  picker.addEventListener("click", (event) => {
    const box = picker.getBoundingClientRect();
    place((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height);
  });
  picker.addEventListener("keydown", (event) => {
    const step = event.shiftKey ? 0.1 : 0.01;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    place(Number(x.value) + move[0], Number(y.value) + move[1]);
  });
  for (const input of [x, y]) input.addEventListener("input", () => place(Number(x.value), Number(y.value)));
}

function setUpCopyButton(button) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copyTarget);
    try {
      await navigator.clipboard.writeText(source.value);
    } catch {
      source.select();
      document.execCommand("copy");
    }
    button.textContent = button.dataset.copied;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".dropzone").forEach(setUpDropzone);
  document.querySelectorAll(".focal-picker").forEach(setUpFocalPicker);
  document.querySelectorAll("button[data-copy-target]").forEach(setUpCopyButton);
});
