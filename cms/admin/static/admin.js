// Small progressive enhancements shared by admin pages; each page's own script lives beside it.
document.addEventListener("htmx:configRequest", (event) => {
  // Every htmx request carries the CSRF token (also set by hx-headers on <body>).
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrf;
});

// A request htmx could not complete: say so in a banner and leave the page (and what was typed) alone.
// A 401 means the session ended: signing in again in another tab keeps this page, which then picks up
// the new session's CSRF token before it saves.
(() => {
  const banner = (id) => document.getElementById(id);
  const showBanner = (id) => {
    const shown = banner(id);
    shown.setAttribute("role", "alert");
    shown.hidden = false;
    return shown;
  };

  function sessionEnded() {
    document.body.dataset.sessionEnded = "1";
    banner("request-failed").hidden = true;
    showBanner("session-ended");
  }

  async function renewSession() {
    // True once the browser has a session again; every form and htmx request then uses its token.
    const response = await fetch("/admin/session", { headers: { "HX-Request": "true" }, cache: "no-store" });
    if (!response.ok) return false;
    const { csrf } = await response.json();
    document.body.dataset.csrf = csrf;
    for (const input of document.querySelectorAll("input[name=_csrf]")) input.value = csrf;
    delete document.body.dataset.sessionEnded;
    banner("session-ended").hidden = true;
    return true;
  }

  document.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    if (status === 401) return sessionEnded();
    showBanner("request-failed").querySelector("[data-status]").textContent = String(status);
  });
  document.addEventListener("htmx:sendError", () => {
    showBanner("request-failed").querySelector("[data-status]").textContent = "—";
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) banner("request-failed").hidden = true;
  });

  document.addEventListener("submit", async (event) => {
    if (document.body.dataset.sessionEnded !== "1") return;
    const form = event.target;
    event.preventDefault();
    if (await renewSession()) {
      document.body.dataset.leaving = "1";
      form.submit();
    } else sessionEnded();
  });
  window.addEventListener("focus", () => {
    if (document.body.dataset.sessionEnded === "1") renewSession();
  });
})();

// Leaving a page with unsaved edits asks first: a form marked `data-warn-unsaved` whose values differ from
// those it was loaded with, or marked `data-unsaved="1"` (a refused save shown again: what it holds is not
// stored). Submitting that form itself leaves without asking; any other way out (a link, another form such as
// a workflow action, closing the tab) asks.
(() => {
  const forms = [...document.querySelectorAll("form[data-warn-unsaved]")];
  if (!forms.length) return;
  const ignored = new Set(["_csrf", "_locale", "_channel", "q"]);
  const state = (form) => JSON.stringify([...new FormData(form)].filter(([name]) => !ignored.has(name)).map(([name, value]) => [name, String(value)]));
  const loaded = new Map(forms.map((form) => [form, state(form)]));
  window.addEventListener("submit", (event) => {
    // On window, so that it runs after the page's own submit handlers: a submit they cancelled does not leave.
    if (!event.defaultPrevented && event.target.hasAttribute("data-warn-unsaved")) document.body.dataset.leaving = "1";
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) delete document.body.dataset.leaving; // back from the cache: the page is live again
  });
  window.addEventListener("beforeunload", (event) => {
    if (document.body.dataset.leaving === "1") return;
    const dirty = forms.some((form) => form.dataset.readonly !== "1" && (form.dataset.unsaved === "1" || state(form) !== loaded.get(form)));
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

// A secret shown once is selected when focused, ready to copy (no inline handler: the CSP forbids them).
document.addEventListener("focusin", (event) => {
  if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-select-on-focus")) {
    event.target.select();
  }
});

// The language menu submits its form on change.
document.addEventListener("change", (event) => {
  if (event.target instanceof HTMLSelectElement && event.target.hasAttribute("data-submit-on-change")) {
    event.target.form.submit();
  }
});

// Thumbnails fade in over their placeholder once loaded (load events do not bubble: listened to as they
// go down; an image already loaded before this script ran is marked at once).
const fadeIn = (image) => image.classList.add("loaded");
document.addEventListener(
  "load",
  (event) => {
    if (event.target instanceof HTMLImageElement && event.target.hasAttribute("data-fade-in")) fadeIn(event.target);
  },
  true,
);
document.querySelectorAll("img[data-fade-in]").forEach((image) => {
  if (image.complete) fadeIn(image);
});

// The editor's time zone, for the server to show and read instants in it (cms/admin/time_zone.py);
// a page rendered before the cookie existed says UTC, and says so.
(() => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const current = document.cookie.split("; ").find((part) => part.startsWith("cms_admin_tz="));
  if (zone && current !== `cms_admin_tz=${encodeURIComponent(zone)}`) {
    document.cookie = `cms_admin_tz=${encodeURIComponent(zone)}; path=/admin; max-age=31536000; SameSite=Lax`;
  }
})();
