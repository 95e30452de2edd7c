// The verification page: POST /verify with the pasted (or opened) code, show the answer.
"use strict";

const form = document.getElementById("verify-form");
const payload = document.getElementById("payload");
const file = document.getElementById("file");
const answer = document.getElementById("answer");
const verdict = document.getElementById("verdict");
const why = document.getElementById("why");
const licence = document.getElementById("licence");
const figure = document.getElementById("code-figure");
const image = document.getElementById("code-image");

const REASONS = {
  device_in_batch: "The device is in a production batch its maker registered.",
  unknown_batch: "No production batch with this number was registered.",
  not_in_batch: "The device is not in the batch the code names: likely a counterfeit.",
  past_count: "The code names a position past the devices its batch paid for.",
  claim_holds: "The holder's signed licence claim holds.",
  claim_expired: "The claim has expired.",
  claim_cancelled: "The holder cancelled claims like this one.",
  no_bpr: "The holder holds no pool licence (BPR).",
  holder_inactive: "The holder is suspended or expelled: its pool licence licenses nothing.",
  covers_nothing: "The licence covers no patent in the pool now.",
  licence_not_holders: "The licence named is not the holder's.",
  licence_ended: "The licence named has ended.",
  bad_signature: "The claim's signature is malformed.",
  wrong_signer: "The claim was not signed by its holder.",
  wrong_chain: "The code is for another chain.",
  wrong_contract: "The code names another licensing contract.",
};

function when(seconds) {
  return seconds ? new Date(seconds * 1000).toISOString().replace(".000Z", "Z") : "n/a";
}

function short(text) {
  return text && text.length > 20 ? text.slice(0, 10) + "…" + text.slice(-8) : String(text);
}

function fact(term, value, full) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  if (full) dd.title = full;
  licence.append(dt, dd);
}

function show(ok, headline, detail) {
  answer.hidden = false;
  answer.className = "answer " + (ok === true ? "yes" : ok === false ? "no" : "error");
  verdict.textContent = headline;
  why.textContent = detail;
  licence.replaceChildren();
  figure.hidden = true;
}

function render(body, text) {
  show(body.licensed, body.licensed ? "Licensed" : "Not licensed",
       (REASONS[body.reason] || body.detail) + " (" + body.reason + ")");
  verdict.dataset.reason = body.reason;
  const l = body.licence;
  if (body.kind === "device" && body.device) {
    fact("Batch", "#" + body.device.batch);
    fact("Position in the batch", body.device.index.toLocaleString("en"));
    fact("Device serial id", short(body.device.serial), body.device.serial);
  }
  if (l && l.kind === "device_batch") {
    fact("Maker", short(l.maker), l.maker);
    fact("Product id", short(l.product), l.product);
    fact("Devices in the batch", l.count.toLocaleString("en"));
    fact("Registered", when(l.registered_at));
  }
  if (body.kind === "claim" && body.claim) {
    fact("Holder", short(body.claim.holder), body.claim.holder);
    fact("Licence", body.claim.licence === "0" ? "pool licence (BPR)" : "#" + body.claim.licence);
    fact("Claim expires", when(body.claim.expiry));
  }
  if (l && l.kind !== "device_batch") {
    fact("Holds a BPR", l.holds_bpr ? "yes" : "no");
    fact("Active member", l.holder_active ? "yes" : "no");
    fact("Pooled patents covered now", l.covers.toLocaleString("en"));
    if (l.licence_end) fact("Licence ends", when(l.licence_end));
  }
  if (body.checked) {
    fact("Checked", body.checked.source === "cache"
      ? "batch root read from the chain " + body.checked.age_s + " s ago"
      : "read from the chain now");
  }
  image.src = "/qr?format=svg&payload=" + encodeURIComponent(text);
  figure.hidden = false;
}

async function verify(text) {
  text = text.trim();
  if (!text) {
    show(null, "Nothing to verify", "Paste the text of a QR code first.");
    payload.focus();
    return;
  }
  show(null, "Checking…", "");
  try {
    const reply = await fetch("/verify", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({payload: text}),
    });
    const body = await reply.json();
    if (reply.ok) {
      render(body, text);
    } else {
      show(null, "Cannot verify this code", body.detail + " (" + body.code + ")");
      verdict.dataset.reason = body.code;
    }
  } catch (err) {
    show(null, "The service did not answer", String(err));
  }
}

async function readFile(chosen) {
  if (chosen.type.startsWith("image/")) {
    if (!("BarcodeDetector" in window)) {
      show(null, "Cannot read images here",
           "This browser cannot decode QR images: paste the code's text instead.");
      return null;
    }
    const detector = new window.BarcodeDetector({formats: ["qr_code"]});
    const codes = await detector.detect(await createImageBitmap(chosen));
    if (!codes.length) {
      show(null, "No QR code found", "The image holds no readable QR code.");
      return null;
    }
    return codes[0].rawValue;
  }
  return (await chosen.text()).trim();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  verify(payload.value);
});

file.addEventListener("change", async () => {
  const chosen = file.files && file.files[0];
  if (!chosen) return;
  const text = await readFile(chosen);
  if (text !== null) {
    payload.value = text;
    verify(text);
  }
});

document.getElementById("clear-button").addEventListener("click", () => {
  form.reset();
  answer.hidden = true;
  payload.focus();
});
