// Submit-a-ticket form: uploads attachments straight to S3 (presigned POST), then POST {api}/tickets
// and shows the severity, its reasons and the deadlines in the reader's time zone and language.
// The same form serves partners' tickets and customers' billing cases (data.kind === "billing").
import { announce, channelList, element, errorMessage, postJson, reportError, revealResult, scrollable, showFieldErrors } from "./index.js";

const lang = () => document.documentElement.lang || "en";

/** "{count} words" with {name} replaced from values. */
function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (_, name) => (values[name] ?? `{${name}}`));
}

/** An ISO 8601 instant with offset, as a date and time in the reader's own time zone. */
function formatMoment(iso) {
  return new Intl.DateTimeFormat(lang(), {
    weekday: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}

/** Words as a reader counts them, Thai included (Intl.Segmenter), else space-separated tokens. */
function countWords(text) {
  if (typeof Intl.Segmenter === "function") {
    let count = 0;
    for (const part of new Intl.Segmenter(lang(), { granularity: "word" }).segment(text)) if (part.isWordLike) count += 1;
    return count;
  }
  return text.split(/\s+/).filter(Boolean).length;
}

function reasonText(reason, text, config) {
  const p = reason.params || {};
  const values = {
    ...p,
    region: (config.regions || {})[p.region] || p.region,
    product: (config.products || {})[p.product] || p.product,
    impact: (config.impacts || {})[p.impact] || p.impact,
    request_type: (config.request_types || {})[p.request_type] || p.request_type,
    metered_by: (text.metered_by || {})[p.metered_by] || p.metered_by,
    identifier: (text.identifiers || {})[p.identifier] || p.identifier,
    cause: (text.causes || {})[p.cause] || p.cause,
  };
  const template = (text.reasons || {})[reason.code];
  return template ? fill(template, values) : reason.message;
}

function renderResult(data, email, text, config) {
  const billing = data.kind === "billing";
  const box = element("section", `hc-result hc-ticket hc-ticket--${data.severity}${billing ? " hc-ticket--billing" : ""}`);
  box.setAttribute("aria-labelledby", "hc-ticket-title");
  const title = element("h2", "");
  // The ticket id in its own span: it never breaks at its hyphens.
  const [before, ...after] = ((billing && text.billing_result_title) || text.result_title || "{id}").split("{id}");
  title.append(before);
  if (after.length) title.append(element("span", "hc-id", data.ticket_id), fill(after.join("{id}"), {}));
  title.id = "hc-ticket-title";
  title.tabIndex = -1;
  box.append(title);
  const severity = element("p", "hc-ticket__severity");
  severity.append(element("strong", "", `${text.severity_label}${text.colon} `),
    element("span", "hc-badge", (text.severities || {})[data.severity] || data.severity));
  if (data.multi_user) severity.append(" ", element("span", "hc-badge hc-badge--info", text.multi_user_badge));
  box.append(severity);

  box.append(element("h3", "", text.reasons_title));
  const reasons = element("ul", "hc-ticket__reasons");
  for (const reason of data.reasons) reasons.append(element("li", "", reasonText(reason, text, config)));
  box.append(reasons);

  box.append(element("h3", "", text.deadlines_title));
  if (!data.targets) {
    box.append(element("p", "hc-ticket__no-commitment", text.no_commitment));
  } else {
    const table = element("table", "hc-deadlines");
    const head = table.createTHead().insertRow();
    for (const label of text.deadline_columns) head.append(element("th", "", label));
    const body = table.createTBody();
    for (const name of ["acknowledgement", "diagnosis", "resolution"]) {
      const target = data.targets[name];
      if (!target) continue;
      const row = body.insertRow();
      row.dataset.target = name;
      row.append(element("th", "", text.targets[name]));
      for (const bound of ["earliest", "latest"]) {
        const cell = row.insertCell();
        const time = element("time", "", formatMoment(target[bound]));
        time.dateTime = target[bound];
        cell.append(time);
      }
    }
    box.append(scrollable(table, text.deadlines_title));
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    box.append(element("p", "hc-help hc-ticket__zone", fill(text.time_zone_note, { zone, region_zone: data.time_zone })));
    if (data.weekends_count) box.append(element("p", "hc-help", text.weekends_note));
  }
  box.append(element("p", "", `${text.queue}${text.colon} ${(text.queues || {})[data.queue] || data.queue}`));
  box.append(element("h3", "", (billing && text.billing_channels_title) || text.channels_title));
  box.append(channelList(data.channels, billing ? data.plan : null, text));
  if (data.escalation && data.escalation.length) {  // partner escalation levels; none for a billing case
    const escalate = element("p", "hc-ticket__escalation");
    const link = element("a", "", text.escalation_link);
    link.href = "../../partners/tiers-and-escalation/#escalation-levels";
    escalate.append(`${text.escalation} `, link);
    box.append(escalate);
  }
  box.append(element("p", "hc-help", fill(text.email_note, { email })));
  return box;
}

/** Field errors with the page's message for each error code ({field, code}), else the field's own. */
function fieldErrors(form, fields, text) {
  const messages = { ...(text.field_errors || {}) };
  for (const { field, code } of fields || []) {
    const specific = (text.field_codes || {})[`${field}.${code}`] || (text.field_codes || {})[code];
    if (specific) messages[field] = specific;
  }
  showFieldErrors(form, fields, { ...text, field_errors: messages });
}

/** Presigned POST of each file; resolves to the keys, or throws {field, code} for the form. */
async function upload(form, files, text, config) {
  const limits = config.attachments;
  if (files.length > limits.max_files) throw { field: "attachments", code: "too_many" };
  for (const file of files) {
    if (!limits.content_types.includes(file.type)) throw { field: "attachments", code: "type" };
    if (file.size > limits.max_bytes || file.size === 0) throw { field: "attachments", code: "size" };
  }
  const keys = [];
  for (const file of files) {
    const signed = await postJson(`${form.dataset.api}/attachments`,
      { filename: file.name, content_type: file.type, size: file.size });
    if (signed.status !== 201) throw { field: "attachments", code: "upload_failed" };
    const body = new FormData();
    for (const [name, value] of Object.entries(signed.data.fields)) body.append(name, value);
    body.append("file", file);
    let ok = false;
    try { ok = (await fetch(signed.data.url, { method: "POST", body })).ok; } catch { ok = false; }
    if (!ok) throw { field: "attachments", code: "upload_failed" };
    keys.push(signed.data.key);
  }
  return keys;
}

function ticketBody(form, keys) {
  const field = (name) => (form.elements.namedItem(name)?.value || "").trim();
  const reproducible = field("reproducible") === "yes";
  return {
    requester_email: field("requester_email"),
    customer_account: field("customer_account") || null,
    request_type: field("request_type"),
    product: field("product"),
    impact: field("impact") || null,
    reproducible,
    reproduction_details: reproducible ? field("reproduction_details") || null : null,
    description: field("description"),
    troubleshooting: field("troubleshooting") || null,
    attachments: keys,
    website: field("website") || null,
    // The confirmation e-mail is written in the page's language, with the deadlines in the reader's zone.
    language: document.documentElement.lang || null,
    time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
  };
}

function newKey() {
  return (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function init(form, text) {
  const configNode = document.querySelector("script.hc-ticket-config");
  const config = configNode ? JSON.parse(configNode.textContent) : { attachments: { max_files: 5, max_bytes: 1e7, content_types: [] } };
  const region = form.querySelector(".hc-message");
  const output = document.getElementById("hc-ticket-output");
  const details = form.querySelector(".hc-reproduction");
  const description = form.elements.namedItem("description");
  const counter = form.querySelector(".hc-word-count");
  let idempotencyKey = newKey();

  const syncReproducible = () => {
    const yes = form.elements.namedItem("reproducible").value === "yes";
    details.hidden = !yes;
    form.elements.namedItem("reproduction_details").required = yes;
  };
  const syncImpact = () => {
    form.elements.namedItem("impact").required = form.elements.namedItem("request_type").value === "technical_support";
  };
  const syncWords = () => {
    const count = countWords(description.value);
    const [low, high] = config.guide_words;
    const short = count < config.min_words;
    const outside = count < low || count > high;
    counter.textContent = fill(short ? text.words_short : outside ? text.words_guide : text.words_ok,
      { count, min: config.min_words, low, high });
    counter.classList.toggle("hc-word-count--warn", outside);
  };
  form.querySelectorAll("input[name=reproducible]").forEach((radio) => radio.addEventListener("change", syncReproducible));
  form.elements.namedItem("request_type").addEventListener("change", syncImpact);
  description.addEventListener("input", syncWords);
  syncReproducible();
  syncImpact();
  syncWords();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    output.replaceChildren();
    fieldErrors(form, [], text);
    let keys = [];
    const files = Array.from(form.elements.namedItem("attachments").files || []);
    try {
      if (files.length) {
        announce(region, "info", text.uploading);
        keys = await upload(form, files, text, config);
      }
    } catch (problem) {
      button.disabled = false;
      fieldErrors(form, [problem], text);
      reportError(form, region, (text.errors || {}).validation_error);
      return;
    }
    announce(region, "info", text.sending);
    const body = ticketBody(form, keys);
    const result = await postJson(form.dataset.api, body, { "Idempotency-Key": idempotencyKey });
    button.disabled = false;
    fieldErrors(form, result.data.fields || [], text);
    if (result.status === 201) {
      idempotencyKey = newKey();
      region.hidden = true;
      output.append(renderResult(result.data, body.requester_email, text, config));
      form.reset();
      syncReproducible();
      syncWords();
      revealResult(output.querySelector("h2"));
    } else {
      reportError(form, region, errorMessage(text, result));
    }
  });
}
