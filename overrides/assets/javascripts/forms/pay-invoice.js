// Pay-an-invoice form, in two steps: POST {api}/lookup (invoice and account numbers) shows the amount
// (with any credit) and due date; POST {api}/pay (with an Idempotency-Key) pays it and shows a
// printable receipt, with a link to the next overdue invoice when one remains.
//
// Card entry: with the Stripe provider the card goes into Stripe's Payment Element (Stripe.js, in the
// page's language); Stripe.js turns it into a PaymentMethod id, the only thing our API receives. When
// the bank asks for 3-D Secure, the API answers 202 requires_action: Stripe.js runs the bank's check
// in the page (handleNextAction), then the same attempt is sent again and the API tells the outcome.
// With the sandbox provider a test card is chosen from a list.
//
// Exactly once from the browser's side: one key per payment attempt. The key is kept while the
// outcome is unknown (lost connection, "in progress", "pending", a bank check under way) so that
// trying again can only replay the same attempt, and dropped once the server gave a definite answer.
// The pay button is disabled while a request is out, so a double click sends one request.
import {
  announce, element, errorMessage, formatDate, formatMoney, postJson, reportError, revealResult, showFieldErrors, values,
} from "./index.js";

const RETRYABLE = new Set(["in_progress", "payment_pending", "unavailable"]);
const AUTO_RETRIES = 5;
const BANK_CHECKS = 2; // rounds of requires_action one click completes before asking the customer again

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pageLanguage = () => document.documentElement.lang || "en";

/** "59.00" → 5900: the API writes amounts with exactly the currency's decimals. */
const minorUnits = (amount) => Number(amount.replace(".", ""));

/** The message for a refused payment: declines name their reason, 429 means slow down. */
function payErrorMessage(text, result) {
  if (result.status === 429) return text.errors.rate_limited;
  if (result.data.error === "payment_declined") {
    const reason = (result.data.fields || [])[0]?.code;
    return (text.declined || {})[reason] || text.errors.payment_declined;
  }
  return errorMessage(text, result);
}

let stripeLoading = null;

/** Stripe.js, loaded once from the URL the page names (Stripe's own script, or the local stand-in). */
function loadStripe(url) {
  stripeLoading = stripeLoading || new Promise((resolve, reject) => {
    if (window.Stripe) { resolve(window.Stripe); return; }
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error("no Stripe")));
    script.onerror = () => { stripeLoading = null; reject(new Error("Stripe.js did not load")); };
    document.head.append(script);
  });
  return stripeLoading;
}

/** Stripe's Payment Element for one invoice: card (and the wallets Stripe offers) to a PaymentMethod id. */
class CardEntry {
  constructor(container) {
    this.container = container;
  }

  async mount(invoice, scriptUrl) {
    const Stripe = await loadStripe(scriptUrl);
    const locale = pageLanguage();
    this.stripe = Stripe(invoice.stripe_publishable_key, { locale });
    this.elements = this.stripe.elements({
      mode: "payment", amount: minorUnits(invoice.amount_due), currency: invoice.currency.toLowerCase(),
      paymentMethodCreation: "manual", locale,
    });
    this.elements.create("payment").mount(this.container);
  }

  /** {token} or {error: message in the page language, from Stripe.js}. */
  async paymentMethod() {
    const submitted = await this.elements.submit();
    if (submitted.error) return { error: submitted.error.message };
    const { error, paymentMethod } = await this.stripe.createPaymentMethod({ elements: this.elements });
    return error ? { error: error.message } : { token: paymentMethod.id };
  }

  /** The bank's check (3-D Secure) in the page; its outcome is read from our API afterwards. */
  authenticate(clientSecret) {
    return this.stripe.handleNextAction({ clientSecret });
  }
}

/** Both numbers from the address's fragment (#invoice_number=…&account_number=…): links from the
 * status page and the receipt. A fragment never reaches a server or its logs. */
function numbersFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  return { invoice_number: fragment.get("invoice_number"), account_number: fragment.get("account_number") };
}

export function payLink(invoiceNumber, accountNumber, page = "") {
  return `${page}#${new URLSearchParams({ invoice_number: invoiceNumber, account_number: accountNumber })}`;
}

export function init(lookupForm, text) {
  const api = lookupForm.dataset.api;
  const lookupRegion = lookupForm.querySelector(".hc-message");
  const payForm = document.getElementById("hc-pay-form");
  const payRegion = payForm.querySelector(".hc-message");
  const payButton = payForm.querySelector("button[type=submit]");
  const sandboxBlock = payForm.querySelector(".hc-sandbox");
  const tokenField = payForm.querySelector("#payment_token");
  const receipt = document.getElementById("hc-pay-receipt");
  const summary = payForm.querySelector(".hc-summary");
  let invoice = null; // the looked-up invoice: what the pay request sends
  let attempt = null; // {key, body}: the payment attempt whose outcome is not known yet
  let card = null; // the Payment Element, with the Stripe provider
  let busy = false;

  const cardBox = element("div", "hc-card");
  cardBox.hidden = true;
  const cardLabel = element("p", "hc-card__label", text.card_label);
  cardLabel.id = "hc-card-label";
  const cardContainer = element("div", "hc-card__element");
  cardContainer.id = "hc-card-element";
  cardContainer.setAttribute("aria-labelledby", cardLabel.id);
  cardBox.append(cardLabel, cardContainer);
  payButton.before(cardBox);

  function showStep(step) {
    lookupForm.hidden = step !== "lookup";
    payForm.hidden = step !== "pay";
    receipt.hidden = step !== "receipt";
    const heading = { lookup: null, pay: payForm.querySelector("h2"), receipt: receipt.querySelector("h2") }[step];
    if (heading) revealResult(heading);
  }

  /** The credit line: invoice amount and credit shown above the amount due, when there is a credit. */
  function fillCreditLine(data) {
    summary.querySelectorAll(".hc-credit-line").forEach((node) => node.remove());
    if (!data.credit) return;
    const dueLabel = summary.querySelector("[data-field=amount_due]").previousElementSibling;
    for (const [label, value] of [[text.summary.invoice_amount, formatMoney(data.amount, data.currency)],
      [text.summary.credit, `− ${formatMoney(data.credit, data.currency)}`]]) {
      const term = element("dt", "hc-credit-line", label);
      const detail = element("dd", "hc-credit-line", value);
      dueLabel.before(term, detail);
    }
    const note = element("p", "hc-credit-line hc-help", text.summary.credit_note);
    summary.after(note);
  }

  async function fillSummary(data) {
    const shown = {
      invoice_number: data.invoice_number,
      account_name: data.account_name,
      amount_due: formatMoney(data.amount_due, data.currency),
      due_date: formatDate(data.due_date),
    };
    for (const [field, value] of Object.entries(shown)) payForm.querySelector(`[data-field=${field}]`).textContent = value;
    payForm.querySelectorAll("p.hc-credit-line").forEach((node) => node.remove());
    fillCreditLine(data);
    payButton.textContent = `${text.pay} ${shown.amount_due}`;
    payRegion.hidden = true;
    const withCard = data.payment_provider === "stripe";
    if (sandboxBlock) sandboxBlock.hidden = withCard;
    cardBox.hidden = !withCard;
    card = null;
    if (!withCard) return;
    payButton.disabled = true;
    try {
      card = new CardEntry(cardContainer);
      await card.mount(data, lookupForm.dataset.stripeJs);
      payButton.disabled = false;
    } catch {
      card = null;
      announce(payRegion, "error", text.card_entry_unavailable);
    }
  }

  function renderReceipt(data) {
    const box = element("section", `hc-result hc-receipt hc-status--${data.account_status}`);
    box.setAttribute("aria-labelledby", "hc-receipt-title");
    const title = element("h2", "", text.receipt_title);
    title.id = "hc-receipt-title";
    title.tabIndex = -1;
    const list = element("dl", "hc-summary");
    const rows = [
      [text.receipt.invoice, data.invoice_number],
      [text.receipt.account, invoice ? invoice.account_name : ""],
      ...(invoice && invoice.credit ? [
        [text.summary.invoice_amount, formatMoney(invoice.amount, invoice.currency)],
        [text.summary.credit, `− ${formatMoney(invoice.credit, invoice.currency)}`]] : []),
      [text.receipt.amount_paid, formatMoney(data.amount_paid, data.currency)],
      [text.receipt.paid_on, formatDate(new Date().toISOString().slice(0, 10))],
      [text.receipt.reference, data.payment_id],
      [text.receipt.account_status, text.statuses[data.account_status] || data.account_status],
    ];
    const classes = { [data.invoice_number]: "hc-id", [data.payment_id]: "hc-reference" };
    for (const [label, value] of rows) list.append(element("dt", "", label), element("dd", classes[value] || "", value));
    box.append(title, list, element("p", "", text.receipt.confirmation));
    if (data.account_status === "active") box.append(element("p", "", text.receipt.active));
    const actions = element("p", "hc-receipt__actions");
    if (data.next_invoice) {
      const next = data.next_invoice;
      const link = element("a", "md-button md-button--primary",
        text.receipt.next_invoice.replace("{invoice}", next.invoice_number)
          .replace("{amount}", formatMoney(next.amount_due, next.currency)));
      link.href = payLink(next.invoice_number, values(lookupForm).account_number);
      actions.append(link, " ");
    }
    const print = element("button", "md-button", text.receipt.print);
    print.type = "button";
    print.addEventListener("click", () => window.print());
    const status = element("a", "md-button", text.receipt.status_link);
    status.href = "../account-status/";
    const again = element("button", "md-button", text.receipt.another);
    again.type = "button";
    again.addEventListener("click", () => startOver());
    actions.append(print, " ", status, " ", again);
    box.append(actions);
    receipt.replaceChildren(box);
  }

  function startOver(numbers = {}) {
    lookupForm.reset();
    for (const [name, value] of Object.entries(numbers)) if (value) lookupForm.elements.namedItem(name).value = value;
    lookupRegion.hidden = true;
    invoice = null;
    showStep("lookup");
    lookupForm.querySelector("input").focus();
  }

  async function lookUp() {
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
    attempt = attempt && attempt.body.invoice_number === invoice.invoice_number ? attempt : null;
    showStep("pay");
    await fillSummary(invoice);
  }

  lookupForm.addEventListener("submit", (event) => {
    event.preventDefault();
    lookUp();
  });

  /** One request of the attempt, retried by itself while the server says the outcome is not known yet. */
  async function send() {
    let result;
    for (let retry = 0; ; retry += 1) {
      result = await postJson(`${api}/pay`, attempt.body, { "Idempotency-Key": attempt.key });
      if (!RETRYABLE.has(result.data.error) || retry >= AUTO_RETRIES) return result;
      announce(payRegion, "info", text.still_processing);
      await sleep(2000 * (retry + 1));
    }
  }

  /** The attempt to send: the unfinished one (same key) or a new one with a new payment method. */
  async function currentAttempt() {
    const body = {
      account_number: values(lookupForm).account_number,
      invoice_number: invoice.invoice_number,
      amount_due: invoice.amount_due,
      currency: invoice.currency,
    };
    if (card) {
      if (attempt) return attempt;
      const method = await card.paymentMethod();
      if (method.error) return { error: method.error };
      return { key: newKey(), body: { ...body, payment_token: method.token } };
    }
    const sandboxBody = { ...body, payment_token: tokenField.value };
    const same = attempt && JSON.stringify(attempt.body) === JSON.stringify(sandboxBody);
    return same ? attempt : { key: newKey(), body: sandboxBody };
  }

  async function pay() {
    const next = await currentAttempt();
    if (next.error) {
      reportError(payForm, payRegion, next.error);
      return;
    }
    attempt = next;
    announce(payRegion, "info", text.paying);
    let result = await send();
    for (let round = 0; result.status === 202 && card && round < BANK_CHECKS; round += 1) {
      announce(payRegion, "info", text.authenticating);
      await card.authenticate(result.data.client_secret); // the API, not the script, says how it ended
      announce(payRegion, "info", text.paying);
      result = await send();
    }
    const outcomeUnknown = result.status === 0 || result.status === 202
      || (result.status >= 500 && result.data.error !== "provider_error")
      || RETRYABLE.has(result.data.error) || result.status === 429;
    if (!outcomeUnknown) attempt = null; // a definite answer: the next click is a new attempt
    if (result.status === 200) {
      renderReceipt(result.data);
      showStep("receipt");
      return;
    }
    if (result.status === 202) {
      reportError(payForm, payRegion, text.authentication_incomplete);
      return;
    }
    if (result.data.error === "no_match" || result.data.error === "amount_mismatch") {
      invoice = null;
      showStep("lookup");
      reportError(lookupForm, lookupRegion, errorMessage(text, result));
      return;
    }
    reportError(payForm, payRegion, payErrorMessage(text, result));
  }

  payForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy || !invoice) return;
    busy = true;
    payButton.disabled = true;
    try {
      await pay();
    } finally {
      busy = false;
      payButton.disabled = false;
    }
  });

  payForm.querySelector("[data-action=back]").addEventListener("click", () => {
    if (!busy) startOver();
  });

  function fillFromAddress() {
    const numbers = numbersFromAddress();
    if (!numbers.invoice_number || !numbers.account_number) return;
    startOver(numbers);
    history.replaceState(null, "", location.pathname + location.search); // the numbers leave the address bar
    lookUp();
  }

  window.addEventListener("hashchange", () => { if (!busy) fillFromAddress(); });
  fillFromAddress();
}
