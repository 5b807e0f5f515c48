// A stand-in for Stripe.js v3, served by the local Stripe stand-in (devstack/stripe_standin.py). It is
// not Stripe.js: it implements only the calls our pay page makes, with the same names and results:
//   Stripe(publishableKey, {locale}) → stripe
//   stripe.elements({mode: "payment", amount, currency, paymentMethodCreation: "manual", locale})
//   elements.create("payment") → element; element.mount(target); element.on("ready" | "change", handler)
//   elements.submit() → {error?}
//   stripe.createPaymentMethod({elements}) → {paymentMethod} | {error}
//   stripe.handleNextAction({clientSecret}) → {paymentIntent} | {error}  (opens the test bank's challenge)
// The card fields are plain inputs here (Stripe's are in its own iframe); card data goes only to the
// stand-in's API, never to the page's own server.
(function () {
  "use strict";
  // The stand-in's API (its origin), written in when the stand-in serves this script: the script can be
  // loaded from the local stack's own port (/_local/stripe/v3/) as from the stand-in's.
  const API = "__STANDIN_API__";
  const TEXT = {
    en: ["Card number", "Expiration date (MM / YY)", "Security code", "Your card number is incomplete.",
      "Your card's expiration date is incomplete.", "Your card's security code is incomplete.",
      "Your card number is invalid.", "We are unable to authenticate your payment method.",
      "Confirm the payment with your bank"],
    vi: ["Số thẻ", "Ngày hết hạn (MM / YY)", "Mã bảo mật", "Số thẻ của bạn chưa đầy đủ.",
      "Ngày hết hạn của thẻ chưa đầy đủ.", "Mã bảo mật của thẻ chưa đầy đủ.", "Số thẻ của bạn không hợp lệ.",
      "Không thể xác thực phương thức thanh toán của bạn.", "Xác nhận thanh toán với ngân hàng của bạn"],
    it: ["Numero della carta", "Data di scadenza (MM / AA)", "Codice di sicurezza",
      "Il numero della carta è incompleto.", "La data di scadenza della carta è incompleta.",
      "Il codice di sicurezza della carta è incompleto.", "Il numero della carta non è valido.",
      "Non è stato possibile autenticare il metodo di pagamento.", "Conferma il pagamento con la tua banca"],
    fr: ["Numéro de carte", "Date d'expiration (MM / AA)", "Code de sécurité", "Le numéro de carte est incomplet.",
      "La date d'expiration de la carte est incomplète.", "Le code de sécurité de la carte est incomplet.",
      "Le numéro de carte n'est pas valide.", "Impossible d'authentifier votre moyen de paiement.",
      "Confirmez le paiement auprès de votre banque"],
    th: ["หมายเลขบัตร", "วันหมดอายุ (ดด / ปป)", "รหัสความปลอดภัย", "หมายเลขบัตรไม่ครบ", "วันหมดอายุของบัตรไม่ครบ",
      "รหัสความปลอดภัยของบัตรไม่ครบ", "หมายเลขบัตรไม่ถูกต้อง", "ไม่สามารถยืนยันตัวตนสำหรับวิธีการชำระเงินของคุณได้",
      "ยืนยันการชำระเงินกับธนาคารของคุณ"],
  };
  const KEYS = ["number", "expiry", "cvc", "incomplete_number", "incomplete_expiry", "incomplete_cvc",
    "invalid_number", "authentication_failed", "challenge_title"];

  function texts(locale) {
    const code = (locale === "auto" || !locale ? navigator.language : locale).slice(0, 2).toLowerCase();
    const row = TEXT[code] || TEXT.en;
    return Object.fromEntries(KEYS.map((key, i) => [key, row[i]]));
  }

  async function call(key, method, path, params) {
    const options = { method, headers: { Authorization: `Bearer ${key}` } };
    if (params) {
      options.headers["Content-Type"] = "application/x-www-form-urlencoded";
      options.body = new URLSearchParams(params).toString();
    }
    const response = await fetch(`${API}${path}`, options);
    const body = await response.json();
    return response.ok ? { ok: body } : { error: body.error };
  }

  function field(id, label, autocomplete, placeholder) {
    const wrapper = document.createElement("div");
    wrapper.style.marginBottom = "0.6rem";
    const name = document.createElement("label");
    name.htmlFor = id;
    name.textContent = label;
    name.style.display = "block";
    const input = document.createElement("input");
    Object.assign(input, { id, autocomplete, placeholder: placeholder || "", inputMode: "numeric", spellcheck: false });
    input.style.cssText = "display:block;width:100%;max-width:20rem;padding:0.45rem;border:1px solid #8a8a8a;border-radius:4px;font:inherit";
    wrapper.append(name, input);
    return { wrapper, input };
  }

  let counter = 0;

  class PaymentElement {
    constructor(elements) {
      this.elements = elements;
      this.handlers = {};
      counter += 1;
      this.prefix = `standin-card-${counter}`;
    }

    on(event, handler) {
      (this.handlers[event] = this.handlers[event] || []).push(handler);
      return this;
    }

    emit(event, payload) {
      for (const handler of this.handlers[event] || []) handler(payload);
    }

    mount(target) {
      const host = typeof target === "string" ? document.querySelector(target) : target;
      const t = this.elements.text;
      const root = document.createElement("div");
      root.className = "StandInPaymentElement";
      root.dataset.standin = "payment-element";
      this.number = field(`${this.prefix}-number`, t.number, "cc-number", "1234 1234 1234 1234");
      this.expiry = field(`${this.prefix}-expiry`, t.expiry, "cc-exp", "MM / YY");
      this.cvc = field(`${this.prefix}-cvc`, t.cvc, "cc-csc", "CVC");
      this.error = document.createElement("p");
      this.error.setAttribute("role", "alert");
      this.error.style.color = "#b00020";
      this.error.hidden = true;
      root.append(this.number.wrapper, this.expiry.wrapper, this.cvc.wrapper, this.error);
      for (const part of [this.number, this.expiry, this.cvc]) {
        part.input.addEventListener("input", () => this.emit("change", { elementType: "payment", ...this.state() }));
      }
      host.replaceChildren(root);
      this.root = root;
      setTimeout(() => this.emit("ready", { elementType: "payment" }), 0);
      return this;
    }

    unmount() { if (this.root) this.root.remove(); }

    destroy() { this.unmount(); }

    values() {
      const digits = (input) => input.value.replace(/\D/g, "");
      const expiry = digits(this.expiry.input);
      return { number: digits(this.number.input), exp_month: expiry.slice(0, 2), exp_year: expiry.slice(2),
        cvc: digits(this.cvc.input) };
    }

    state() {
      const v = this.values();
      const empty = !v.number && !v.exp_month && !v.cvc;
      return { empty, complete: v.number.length >= 15 && v.exp_year.length >= 2 && v.cvc.length >= 3 };
    }

    /** The first problem with the fields, as Stripe.js words it, or null. */
    problem() {
      const v = this.values();
      const t = this.elements.text;
      if (v.number.length < 15) return t.incomplete_number;
      if (v.exp_month.length < 2 || v.exp_year.length < 2) return t.incomplete_expiry;
      if (v.cvc.length < 3) return t.incomplete_cvc;
      return null;
    }

    showError(message) {
      this.error.textContent = message || "";
      this.error.hidden = !message;
    }
  }

  class Elements {
    constructor(stripe, options) {
      this.stripe = stripe;
      this.options = options || {};
      this.text = texts(this.options.locale || stripe.locale);
      this.element = null;
    }

    create(type) {
      if (type !== "payment") throw new Error(`The Stripe.js stand-in has no "${type}" element.`);
      this.element = new PaymentElement(this);
      return this.element;
    }

    getElement(type) { return type === "payment" ? this.element : null; }

    update(options) { Object.assign(this.options, options); }

    async submit() {
      const message = this.element ? this.element.problem() : "No Payment Element is mounted.";
      this.element?.showError(message);
      return message ? { error: { type: "validation_error", message } } : {};
    }
  }

  function challenge(intent, text, locale) {
    return new Promise((resolve) => {
      const overlay = document.createElement("div");
      overlay.setAttribute("role", "dialog");
      overlay.setAttribute("aria-modal", "true");
      overlay.setAttribute("aria-label", text.challenge_title);
      overlay.dataset.standin = "challenge";
      overlay.style.cssText = "position:fixed;inset:0;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center;z-index:10000";
      const frame = document.createElement("iframe");
      frame.title = text.challenge_title;
      frame.name = "standin-3ds-challenge";
      frame.src = `${API}/challenge/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret)}&locale=${locale}`;
      frame.style.cssText = "width:min(28rem,92vw);height:20rem;border:0;border-radius:8px;background:#fff";
      overlay.append(frame);
      function done(event) {
        if (event.origin !== API || !event.data || event.data.type !== "standin-3ds-done") return;
        window.removeEventListener("message", done);
        overlay.remove();
        resolve();
      }
      window.addEventListener("message", done);
      document.body.append(overlay);
    });
  }

  function Stripe(publishableKey, options) {
    if (!(this instanceof Stripe)) return new Stripe(publishableKey, options);
    if (!/^pk_/.test(publishableKey || "")) throw new Error("Stripe(): a publishable key (pk_…) is required.");
    this.key = publishableKey;
    this.locale = (options || {}).locale || "auto";
  }

  Stripe.prototype.elements = function (options) { return new Elements(this, options); };

  Stripe.prototype.createPaymentMethod = async function ({ elements, params } = {}) {
    const element = elements && elements.element;
    if (!element) return { error: { type: "invalid_request_error", message: "No Payment Element is mounted." } };
    const v = element.values();
    const result = await call(this.key, "POST", "/v1/payment_methods", {
      type: "card", "card[number]": v.number, "card[exp_month]": v.exp_month, "card[exp_year]": v.exp_year,
      "card[cvc]": v.cvc, ...(params || {}),
    });
    if (result.error) {
      const message = result.error.code === "incorrect_number" ? elements.text.invalid_number : result.error.message;
      element.showError(message);
      return { error: { ...result.error, message } };
    }
    element.showError(null);
    return { paymentMethod: result.ok };
  };

  Stripe.prototype.retrievePaymentIntent = async function (clientSecret) {
    const id = clientSecret.split("_secret_")[0];
    const result = await call(this.key, "GET", `/v1/payment_intents/${id}?client_secret=${encodeURIComponent(clientSecret)}`);
    return result.error ? { error: result.error } : { paymentIntent: result.ok };
  };

  Stripe.prototype.handleNextAction = async function ({ clientSecret }) {
    const text = texts(this.locale);
    let found = await this.retrievePaymentIntent(clientSecret);
    if (found.error) return found;
    if (found.paymentIntent.status === "requires_action") {
      await challenge(found.paymentIntent, text, this.locale === "auto" ? navigator.language.slice(0, 2) : this.locale);
      found = await this.retrievePaymentIntent(clientSecret);
      if (found.error) return found;
    }
    const intent = found.paymentIntent;
    if (intent.status === "requires_payment_method" && intent.last_payment_error) {
      return { error: { ...intent.last_payment_error, message: text.authentication_failed, payment_intent: intent } };
    }
    return { paymentIntent: intent };
  };

  window.Stripe = Stripe;
})();
