// Ticket status form: POST {api}/tickets/status with the ticket id and the requester's address, then
// the severity, its reasons, the deadlines in the reader's time zone, the acknowledgement and the
// escalation level. The confirmation e-mail links here with #ticket=<id> (the field is filled in); the
// queue's acknowledge link adds &acknowledge=<token>, and the page then offers support the button that
// acknowledges the ticket (POST {api}/tickets/acknowledge). The fragment never reaches a server.
import { announce, element, errorMessage, fill, formatMoment, postJson, reportError, severityLine, showFieldErrors,
  showResult, startRequest, titleWithId, values, verdictSection } from "./index.js";

function fragment() {
  return new URLSearchParams(window.location.hash.replace(/^#/, ""));
}

function renderResult(data, text) {
  const billing = data.kind === "billing";
  const box = element("section", `hc-result hc-ticket hc-ticket--${data.severity}`);
  box.setAttribute("aria-labelledby", "hc-ticket-title");
  box.append(titleWithId(billing ? text.billing_result_title : text.result_title, data.ticket_id, "h2", "hc-ticket-title"));
  box.append(severityLine(data, text));

  box.append(element("h3", "", text.follow_up_title));
  const acknowledged = data.acknowledged
    ? fill(text.acknowledged, { time: formatMoment(data.acknowledged_at) }) : text.not_acknowledged;
  box.append(element("p", "hc-ticket__acknowledged", acknowledged));
  box.append(element("p", "hc-ticket__escalation", data.escalation_level
    ? fill(text.escalation_level, { level: data.escalation_level, role: roleOf(data.escalation_level, text) })
    : text.not_escalated));

  // The stored reasons are worded in the language the status request asked for.
  verdictSection(box, data, text, (reason) => reason.message);
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
    const button = startRequest(form, region, output, text.checking);
    const body = values(form);
    body.ticket_id = (body.ticket_id || "").toUpperCase();
    const result = await postJson(form.dataset.api, body);
    button.disabled = false;
    showFieldErrors(form, result.status === 400 ? result.data.fields : [], text);
    if (result.status === 200) {
      showResult(region, output, renderResult(result.data, text));
    } else {
      reportError(form, region, errorMessage(text, result));
    }
  });
}
