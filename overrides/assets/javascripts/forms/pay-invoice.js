// Pay-an-invoice form, in two steps: POST {api}/lookup (invoice and account numbers) shows the amount
// and due date; POST {api}/pay (with an Idempotency-Key) pays it and shows a receipt.
//
// Exactly once from the browser's side: one key per payment attempt. The key is kept while the
// outcome is unknown (lost connection, "in progress", "pending") so that trying again can only
// replay the same attempt, and dropped once the server gave a definite answer. The pay button is
// disabled while a request is out, so a double click sends one request.
import {
  announce, element, errorMessage, formatDate, formatMoney, postJson, reportError, revealResult, showFieldErrors, values,
} from "./index.js";

const RETRYABLE = new Set(["in_progress", "payment_pending", "unavailable"]);
const AUTO_RETRIES = 5;

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The message for a refused payment: declines name their reason, 429 means slow down. */
function payErrorMessage(text, result) {
  if (result.status === 429) return text.errors.rate_limited;
  if (result.data.error === "payment_declined") {
    const reason = (result.data.fields || [])[0]?.code;
    return (text.declined || {})[reason] || text.errors.payment_declined;
  }
  return errorMessage(text, result);
}

export function init(lookupForm, text) {
  const api = lookupForm.dataset.api;
  const lookupRegion = lookupForm.querySelector(".hc-message");
  const payForm = document.getElementById("hc-pay-form");
  const payRegion = payForm.querySelector(".hc-message");
  const payButton = payForm.querySelector("button[type=submit]");
  const tokenField = payForm.querySelector("#payment_token");
  const receipt = document.getElementById("hc-pay-receipt");
  let invoice = null; // the looked-up invoice: what the pay request sends
  let attempt = null; // {key, body}: the payment attempt whose outcome is not known yet
  let busy = false;

  function showStep(step) {
    lookupForm.hidden = step !== "lookup";
    payForm.hidden = step !== "pay";
    receipt.hidden = step !== "receipt";
    const heading = { lookup: null, pay: payForm.querySelector("h2"), receipt: receipt.querySelector("h2") }[step];
    if (heading) revealResult(heading);
  }

  function fillSummary(data) {
    const shown = {
      invoice_number: data.invoice_number,
      account_name: data.account_name,
      amount_due: formatMoney(data.amount_due, data.currency),
      due_date: formatDate(data.due_date),
    };
    for (const [field, value] of Object.entries(shown)) payForm.querySelector(`[data-field=${field}]`).textContent = value;
    payButton.textContent = `${text.pay} ${shown.amount_due}`;
    const sandbox = data.payment_provider === "sandbox";
    payForm.querySelector(".hc-sandbox").hidden = !sandbox;
    payButton.disabled = !sandbox;
    if (!sandbox) announce(payRegion, "info", text.card_entry_unavailable);
    else payRegion.hidden = true;
  }

  function renderReceipt(data) {
    const box = element("section", `hc-result hc-status--${data.account_status}`);
    box.setAttribute("aria-labelledby", "hc-receipt-title");
    const title = element("h2", "", text.receipt_title);
    title.id = "hc-receipt-title";
    title.tabIndex = -1;
    const list = element("dl", "hc-summary");
    const rows = [
      [text.receipt.invoice, data.invoice_number],
      [text.receipt.amount_paid, formatMoney(data.amount_paid, data.currency)],
      [text.receipt.reference, data.payment_id],
      [text.receipt.account_status, text.statuses[data.account_status] || data.account_status],
    ];
    const classes = { [data.invoice_number]: "hc-id", [data.payment_id]: "hc-reference" };
    for (const [label, value] of rows) list.append(element("dt", "", label), element("dd", classes[value] || "", value));
    box.append(title, list, element("p", "", text.receipt.confirmation));
    if (data.account_status === "active") box.append(element("p", "", text.receipt.active));
    const status = element("a", "md-button", text.receipt.status_link);
    status.href = "../account-status/";
    const again = element("button", "md-button", text.receipt.another);
    again.type = "button";
    again.addEventListener("click", () => {
      lookupForm.reset();
      lookupRegion.hidden = true;
      showStep("lookup");
      lookupForm.querySelector("input").focus();
    });
    box.append(status, " ", again);
    receipt.replaceChildren(box);
  }

  lookupForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const button = lookupForm.querySelector("button[type=submit]");
    button.disabled = true;
    announce(lookupRegion, "info", text.looking_up);
    const result = await postJson(`${api}/lookup`, values(lookupForm));
    button.disabled = false;
    busy = false;
    showFieldErrors(lookupForm, result.status === 400 ? result.data.fields : [], text);
    if (result.status !== 200) {
      reportError(lookupForm, lookupRegion, result.status === 429 ? text.errors.rate_limited : errorMessage(text, result));
      return;
    }
    lookupRegion.hidden = true;
    invoice = result.data; // an attempt left unfinished is resumed (same key) if the same payment is sent
    fillSummary(invoice);
    showStep("pay");
  });

  payForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy || !invoice) return;
    busy = true;
    payButton.disabled = true;
    const body = {
      account_number: values(lookupForm).account_number,
      invoice_number: invoice.invoice_number,
      amount_due: invoice.amount_due,
      currency: invoice.currency,
      payment_token: tokenField.value,
    };
    if (!attempt || JSON.stringify(attempt.body) !== JSON.stringify(body)) attempt = { key: newKey(), body };
    announce(payRegion, "info", text.paying);
    let result;
    for (let retry = 0; ; retry += 1) {
      result = await postJson(`${api}/pay`, attempt.body, { "Idempotency-Key": attempt.key });
      if (!RETRYABLE.has(result.data.error) || retry >= AUTO_RETRIES) break;
      announce(payRegion, "info", text.still_processing);
      await sleep(2000 * (retry + 1));
    }
    busy = false;
    payButton.disabled = false;
    const outcomeUnknown = result.status === 0 || result.status >= 500 && result.data.error !== "provider_error"
      || RETRYABLE.has(result.data.error) || result.status === 429;
    if (!outcomeUnknown) attempt = null; // a definite answer: the next click is a new attempt
    if (result.status === 200) {
      renderReceipt(result.data);
      showStep("receipt");
      return;
    }
    if (result.data.error === "no_match" || result.data.error === "amount_mismatch") {
      invoice = null;
      showStep("lookup");
      reportError(lookupForm, lookupRegion, errorMessage(text, result));
      return;
    }
    reportError(payForm, payRegion, payErrorMessage(text, result));
  });

  payForm.querySelector("[data-action=back]").addEventListener("click", () => {
    if (busy) return;
    invoice = null;
    showStep("lookup");
    lookupForm.querySelector("input").focus();
  });
}
