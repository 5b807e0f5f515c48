// Form pages: finds <form data-hc-form="name"> and loads ./name.js for it. Loaded on every page,
// does nothing (and loads nothing more) on pages without a form.

const forms = document.querySelectorAll("form[data-hc-form]");

function stringsNode(form) {
  return form.parentElement.querySelector("script.hc-strings") || document.querySelector("script.hc-strings");
}

/** The page's translated strings: <script type="application/json" class="hc-strings">, rendered at
 * build time from the text catalog. Throws when they are missing or unreadable. */
export function strings(form) {
  const node = stringsNode(form);
  if (!node) throw new Error("no hc-strings on this page");
  const parsed = JSON.parse(node.textContent);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("hc-strings is not an object");
  return parsed;
}

/** POST JSON; resolves to {status, data}; network failures become status 0. */
export async function postJson(url, body, headers = {}) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json", Accept: "application/json",
        // The API answers its sentences in the page's language.
        "Accept-Language": document.documentElement.lang || "en", ...headers,
      },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await response.json(); } catch { data = {}; }
    return { status: response.status, data };
  } catch {
    return { status: 0, data: { error: "network_error" } };
  }
}

/** The form's named fields as an object of trimmed strings. */
export function values(form) {
  const result = {};
  for (const [key, value] of new FormData(form).entries()) result[key] = typeof value === "string" ? value.trim() : value;
  return result;
}

/** A date "2026-11-28" in the page language (Thai pages get the Buddhist calendar from Intl). */
export function formatDate(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  const lang = document.documentElement.lang || "en";
  return new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Amount "149.00" + "EUR" in the page language, without going through a float for the digits. */
export function formatMoney(amount, currency) {
  const lang = document.documentElement.lang || "en";
  const [whole, fraction = ""] = amount.split(".");
  const parts = new Intl.NumberFormat(lang, { style: "currency", currency, minimumFractionDigits: fraction.length })
    .formatToParts(0);
  const grouped = BigInt(whole.replace("-", "")).toLocaleString(lang);
  return parts.map((p) => (p.type === "integer" ? grouped : p.type === "fraction" ? fraction : p.value)).join("");
}

/** A field's own description (its help text), kept in data-hc-help before any error is linked to it. */
function helpIds(input) {
  if (input.dataset.hcHelp === undefined) input.dataset.hcHelp = input.getAttribute("aria-describedby") || "";
  return input.dataset.hcHelp;
}

/** Links a field to its help text and, when given, its error: aria-describedby keeps both. */
function describe(input, errorId) {
  const ids = [helpIds(input), errorId].filter(Boolean).join(" ");
  if (ids) input.setAttribute("aria-describedby", ids);
  else input.removeAttribute("aria-describedby");
}

/** Clears, then shows, errors next to fields ({field, message} from the API's 400 body). */
export function showFieldErrors(form, fields, text) {
  form.querySelectorAll(".hc-field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((node) => { node.removeAttribute("aria-invalid"); describe(node); });
  for (const { field } of fields || []) {
    const input = form.elements.namedItem(field);
    if (!input || !input.insertAdjacentElement) continue;
    input.setAttribute("aria-invalid", "true");
    const note = document.createElement("p");
    note.className = "hc-field-error";
    note.id = `${input.id || field}-error`;
    note.textContent = (text.field_errors || {})[field] || text.invalid_field || "Check this field.";
    describe(input, note.id);
    input.insertAdjacentElement("afterend", note);
  }
}

/** A new element with an optional class and text. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A list of support channels. For a customer's plan each label names who may use the channel
 * (built from the rules into the strings' channel_labels); a third-party channel links to its address.
 */
export function channelList(channels, plan, text) {
  const list = element("ul", "hc-channels");
  const labels = (plan && (text.channel_labels || {})[plan]) || text.channels || {};
  for (const channel of channels) {
    const item = element("li");
    const url = (text.channel_links || {})[channel];
    const label = labels[channel] || (text.channels || {})[channel] || channel;
    if (url) {
      const link = element("a", "", label);
      link.href = url;
      item.append(link);
    } else {
      item.textContent = label;
    }
    list.append(item);
  }
  return list;
}

/** A table in a named, focusable container that scrolls it sideways on a narrow screen (the page never does). */
export function scrollable(table, name) {
  const box = element("div", "hc-table-scroll");
  box.tabIndex = 0;
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", name);
  box.append(table);
  return box;
}

/** Shows a message in the form's live region: kind is "error", "info" or "success". */
export function announce(region, kind, message) {
  region.hidden = false;
  region.className = `hc-message hc-message--${kind}`;
  region.textContent = message;
}

/** An error the reader must see and hear: announced, then focus goes to the first invalid field of
 * the form, or to the message itself (focusable from script only). */
export function reportError(form, region, message) {
  announce(region, "error", message);
  const invalid = form.querySelector("[aria-invalid=true]");
  if (invalid) {
    invalid.focus();
    return;
  }
  region.tabIndex = -1;
  region.focus();
}

/** A result the reader must reach: its heading takes focus (a screen reader reads it) and is
 * scrolled into view (on a phone the result starts below the fold). */
export function revealResult(heading) {
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
  heading.scrollIntoView({ block: "start" });
}

/** The message for a failed request: the page's translation of the API error code, else a generic one. */
export function errorMessage(text, result) {
  const errors = text.errors || {};
  return errors[result.data.error] || errors[result.status === 0 ? "network_error" : "generic"] || result.data.message;
}

/** The form stays switched off and says so, in the page language (the sentence is an attribute of the
 * strings element, so it survives a broken JSON body). */
function switchOff(form) {
  form.querySelectorAll("button, input, select, textarea").forEach((node) => { node.disabled = true; });
  const node = stringsNode(form);
  let region = form.querySelector(".hc-message");
  if (!region) region = form.appendChild(element("p", "hc-message"));
  region.setAttribute("role", "alert");
  announce(region, "error", (node && node.dataset.unavailable) || "This form is unavailable.");
}

for (const form of forms) {
  // Never a native submission (a GET would put the numbers in the URL): the form's module sends it.
  form.addEventListener("submit", (event) => event.preventDefault());
  const name = form.dataset.hcForm;
  let text;
  try {
    text = strings(form);
  } catch {
    switchOff(form);
    continue;
  }
  import(new URL(`./${name}.js`, import.meta.url))
    .then((module) => {
      module.init(form, text);
      // Submit buttons are disabled in the page until the form's script is ready.
      form.querySelectorAll('button[type="submit"][disabled]').forEach((button) => { button.disabled = false; });
    })
    .catch(() => switchOff(form));
}
