// Account status form: POST {api}/accounts/status, then a timeline of the dunning steps.
import { announce, channelList, element, errorMessage, formatDate, formatMoney, postJson, reportError, revealResult, scrollable,
  showFieldErrors, values } from "./index.js";

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

function renderResult(data, text) {
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
      row.insertCell().textContent = invoice.invoice_number;
      row.insertCell().textContent = formatMoney(invoice.amount_due, invoice.currency);
      row.insertCell().textContent = formatDate(invoice.due_date) + (invoice.overdue ? ` (${text.overdue})` : "");
    }
    box.append(scrollable(table, text.invoices_title));
    const pay = element("a", "md-button md-button--primary", text.pay_link);
    pay.href = "../pay-invoice/";
    box.append(pay);
  } else {
    box.append(element("p", "", text.no_invoices));
  }
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
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    output.replaceChildren();
    announce(region, "info", text.checking);
    const result = await postJson(form.dataset.api, values(form));
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
