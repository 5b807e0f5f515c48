// Ticket status form: POST {api}/tickets/status with the ticket id and the requester's address, then
// the severity, its reasons, the deadlines in the reader's time zone, the acknowledgement and the
// escalation level. The confirmation e-mail links here with #ticket=<id> (the field is filled in); the
// queue's acknowledge link adds &acknowledge=<token>, and the page then offers support the button that
// acknowledges the ticket (POST {api}/tickets/acknowledge). The fragment never reaches a server.
import { announce, deadlineTable, element, errorMessage, fill, formatMoment, postJson, reportError, revealResult,
  showFieldErrors, values } from "./index.js";

function fragment() {
  return new URLSearchParams(window.location.hash.replace(/^#/, ""));
}

/** A heading whose ticket id sits in its own span (it never breaks at its hyphens). */
function titleWithId(template, id, tag, headingId) {
  const title = element(tag, "");
  const [before, ...after] = (template || "{id}").split("{id}");
  title.append(before);
  if (after.length) title.append(element("span", "hc-id", id), after.join("{id}"));
  title.id = headingId;
  return title;
}

function renderResult(data, text) {
  const billing = data.kind === "billing";
  const box = element("section", `hc-result hc-ticket hc-ticket--${data.severity}`);
  box.setAttribute("aria-labelledby", "hc-ticket-title");
  box.append(titleWithId(billing ? text.billing_result_title : text.result_title, data.ticket_id, "h2", "hc-ticket-title"));
  const severity = element("p", "hc-ticket__severity");
  severity.append(element("strong", "", `${text.severity_label}${text.colon} `),
    element("span", "hc-badge", (text.severities || {})[data.severity] || data.severity));
  box.append(severity);

  box.append(element("h3", "", text.follow_up_title));
  const acknowledged = data.acknowledged
    ? fill(text.acknowledged, { time: formatMoment(data.acknowledged_at) }) : text.not_acknowledged;
  box.append(element("p", "hc-ticket__acknowledged", acknowledged));
  box.append(element("p", "hc-ticket__escalation", data.escalation_level
    ? fill(text.escalation_level, { level: data.escalation_level, role: roleOf(data.escalation_level, text) })
    : text.not_escalated));

  box.append(element("h3", "", text.reasons_title));
  const reasons = element("ul", "hc-ticket__reasons");
  for (const reason of data.reasons) reasons.append(element("li", "", reason.message));
  box.append(reasons);

  box.append(element("h3", "", text.deadlines_title));
  if (!data.targets) {
    box.append(element("p", "hc-ticket__no-commitment", text.no_commitment));
  } else {
    box.append(deadlineTable(data.targets, text));
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    box.append(element("p", "hc-help hc-ticket__zone", fill(text.time_zone_note, { zone })));
  }
  return box;
}

const ROLES = ["escalation_desk", "regional_lead", "central_support_manager", "partner_account_manager"];

function roleOf(level, text) {
  return (text.roles || {})[ROLES[level - 1]] || "";
}

/** Support's acknowledge panel: shown only when the page was opened from an acknowledge link. */
function offerAcknowledgement(panel, ticketId, token, api, text) {
  const box = element("section", "hc-result hc-acknowledge");
  box.setAttribute("aria-labelledby", "hc-acknowledge-title");
  const title = titleWithId(text.acknowledge_title, ticketId, "h2", "hc-acknowledge-title");
  const button = element("button", "md-button md-button--primary", text.acknowledge_button);
  button.type = "button";
  const region = element("p", "hc-message");
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.hidden = true;
  box.append(title, element("p", "", text.acknowledge_intro), button, region);
  panel.replaceChildren(box);
  button.addEventListener("click", async () => {
    button.disabled = true;
    announce(region, "info", text.acknowledging);
    const result = await postJson(api, { ticket_id: ticketId, token, source: "link" });
    if (result.status === 200) {
      announce(region, "success", fill(text.acknowledge_done, { id: ticketId }));
      button.hidden = true;
    } else {
      button.disabled = result.status === 409 || result.status === 400;
      announce(region, "error", errorMessage(text, result));
    }
    region.tabIndex = -1;
    region.focus();
  });
}

export function init(form, text) {
  const region = form.querySelector(".hc-message");
  const output = document.getElementById("hc-ticket-output");
  const given = fragment();
  const ticketId = given.get("ticket");
  if (ticketId && /^T-[A-Z2-7]{10}$/.test(ticketId)) {
    form.elements.namedItem("ticket_id").value = ticketId;
    const token = given.get("acknowledge");
    if (token) offerAcknowledgement(document.getElementById("hc-acknowledge"), ticketId, token, form.dataset.acknowledgeApi, text);
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    output.replaceChildren();
    announce(region, "info", text.checking);
    const body = values(form);
    body.ticket_id = (body.ticket_id || "").toUpperCase();
    const result = await postJson(form.dataset.api, body);
    button.disabled = false;
    showFieldErrors(form, result.status === 400 ? result.data.fields : [], text);
    if (result.status === 200) {
      region.hidden = true;
      output.append(renderResult(result.data, text));
      revealResult(output.querySelector("h2"));
    } else {
      reportError(form, region, errorMessage(text, result));
    }
  });
}
