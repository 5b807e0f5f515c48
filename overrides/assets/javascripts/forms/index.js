// Form pages: finds <form data-hc-form="name"> and loads ./name.js for it. Loaded on every page,
// does nothing (and loads nothing more) on pages without a form.

const forms = document.querySelectorAll("form[data-hc-form]");

/** The page's translated strings: <script type="application/json" class="hc-strings">. */
export function strings(form) {
  const node = form.parentElement.querySelector("script.hc-strings") || document.querySelector("script.hc-strings");
  return node ? JSON.parse(node.textContent) : {};
}

/** POST JSON; resolves to {status, data}; network failures become status 0. */
export async function postJson(url, body, headers = {}) {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
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

/** Clears, then shows, errors next to fields ({field, message} from the API's 400 body). */
export function showFieldErrors(form, fields, text) {
  form.querySelectorAll(".hc-field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  for (const { field } of fields || []) {
    const input = form.elements.namedItem(field);
    if (!input || !input.insertAdjacentElement) continue;
    input.setAttribute("aria-invalid", "true");
    const note = document.createElement("p");
    note.className = "hc-field-error";
    note.id = `${input.id || field}-error`;
    note.textContent = (text.field_errors || {})[field] || text.invalid_field || "Check this field.";
    input.setAttribute("aria-describedby", note.id);
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

/** Shows a message in the form's live region: kind is "error", "info" or "success". */
export function announce(region, kind, message) {
  region.hidden = false;
  region.className = `hc-message hc-message--${kind}`;
  region.textContent = message;
}

/** The message for a failed request: the page's translation of the API error code, else a generic one. */
export function errorMessage(text, result) {
  const errors = text.errors || {};
  return errors[result.data.error] || errors[result.status === 0 ? "network_error" : "generic"] || result.data.message;
}

for (const form of forms) {
  const name = form.dataset.hcForm;
  import(new URL(`./${name}.js`, import.meta.url)).then((module) => module.init(form, strings(form)));
}
