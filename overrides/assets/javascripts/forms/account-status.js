// Account status form: POST {api}/accounts/status, then a timeline of the dunning steps.
import { channelList, element, errorMessage, formatDate, formatMoney, postJson, reportError, scrollable, showFieldErrors,
  showResult, startRequest, values } from "./index.js";
import { payLink } from "./pay-invoice.js";

function renderTimeline(steps, text) {
  const list = element("ol", "hc-timeline");
  const firstAhead = steps.findIndex((step) => !step.reached);
  steps.forEach((step, index) => {
    const state = step.reached ? (index === firstAhead - 1 || firstAhead === -1 && index === steps.length - 1 ? "current" : "done") : index === firstAhead ? "next" : "later";
    const item = element("li", `hc-timeline__step hc-timeline__step--${state}`);
    item.append(element("span", "hc-timeline__date", formatDate(step.date)));
    item.append(element("span", "hc-timeline__event", text.events[step.event] || step.event));
    if (state === "current" || state === "next") item.append(element("span", "hc-timeline__badge", text.states[state]));
    list.append(item);
  });
  return list;
}

/** A cancelled account's way back in: a billing case of the temporary-reactivation type, the form
 * opened with the type and the account number filled in (in the fragment: not sent to any server). */
function reactivationOffer(accountNumber, text) {
  const link = element("a", "md-button", text.reactivation_link);
  const fields = new URLSearchParams({ request_type: "temporary_reactivation", customer_account: accountNumber });
  link.href = `../submit-ticket/#${fields}`;
  const offer = element("p", "hc-status__reactivation", text.reactivation_text);
  return [element("h3", "", text.reactivation_title), offer, link];
}

function renderResult(data, text, accountNumber) {
  const box = element("section", `hc-result hc-status--${data.status}`);
  box.setAttribute("aria-labelledby", "hc-result-title");
  const title = element("h2", "", `${text.result_title}${text.colon} ${text.statuses[data.status] || data.status}`);
  title.id = "hc-result-title";
  box.append(title, element("p", "hc-status__explain", text.explain[data.status] || ""));
  box.append(element("p", "", `${text.plan}${text.colon} ${text.plans[data.plan] || data.plan}`));
  if (data.next_event) {
    box.append(element("p", "hc-status__next",
      `${text.next}${text.colon} ${text.events[data.next_event.event] || data.next_event.event} — ${formatDate(data.next_event.date)}`));
  }
  if (data.deletion_date) box.append(element("p", "hc-status__deletion", `${text.deletion}${text.colon} ${formatDate(data.deletion_date)}`));
  if (data.timeline.length) {
    box.append(element("h3", "", text.timeline_title), renderTimeline(data.timeline, text));
  }
  box.append(element("h3", "", text.invoices_title));
  if (data.outstanding_invoices.length) {
    const table = element("table", "hc-invoices");
    const head = table.createTHead().insertRow();
    for (const label of text.invoice_columns) head.append(element("th", "", label));
    const body = table.createTBody();
    for (const invoice of data.outstanding_invoices) {
      const row = body.insertRow();
      const link = element("a", "", invoice.invoice_number); // to the pay page, both numbers filled in
      link.href = payLink(invoice.invoice_number, accountNumber, "../pay-invoice/");
      row.insertCell().append(link);
      row.insertCell().textContent = formatMoney(invoice.amount_due, invoice.currency);
      row.insertCell().textContent = formatDate(invoice.due_date) + (invoice.overdue ? ` (${text.overdue})` : "");
    }
    box.append(scrollable(table, text.invoices_title));
    const pay = element("a", "md-button md-button--primary", text.pay_link);
    const first = data.outstanding_invoices.find((i) => i.overdue) || data.outstanding_invoices[0];
    pay.href = payLink(first.invoice_number, accountNumber, "../pay-invoice/");
    box.append(pay);
  } else {
    box.append(element("p", "", text.no_invoices));
  }
  if (data.status === "cancelled") box.append(...reactivationOffer(accountNumber, text));
  if (data.support_channels.length) {
    box.append(element("h3", "", text.channels_title));
    box.append(channelList(data.support_channels, data.plan, text));
  }
  return box;
}

export function init(form, text) {
  const region = form.querySelector(".hc-message");
  const output = document.getElementById("hc-status-output");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = startRequest(form, region, output, text.checking);
    const result = await postJson(form.dataset.api, values(form));
    button.disabled = false;
    showFieldErrors(form, result.status === 400 ? result.data.fields : [], text);
    if (result.status === 200) {
      showResult(region, output, renderResult(result.data, text, values(form).account_number));
    } else {
      reportError(form, region, errorMessage(text, result));
    }
  });
}
