// The pool dashboard: summary cards, the NAV chart (SVG drawn here), prices, patents.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function units(wei, digits = 2) {
  if (wei === null || wei === undefined) return "n/a";
  const n = BigInt(wei);
  const whole = n / 10n ** 18n;
  const frac = (n % 10n ** 18n).toString().padStart(18, "0").slice(0, digits);
  return whole.toLocaleString("en") + (digits ? "." + frac : "");
}

function cell(row, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "num";
  row.append(td);
  return td;
}

function card(value, name) {
  const div = document.createElement("div");
  div.className = "card";
  const v = document.createElement("div");
  v.className = "value";
  v.textContent = value;
  const n = document.createElement("div");
  n.className = "name";
  n.textContent = name;
  div.append(v, n);
  document.getElementById("cards").append(div);
}

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function chart(points, staleNow) {
  const box = document.getElementById("nav-chart");
  const usable = points.filter((p) => p.nav_units !== null);
  if (!usable.length) {
    box.textContent = "No NAV yet: nothing has been pooled.";
    return;
  }
  const W = 720, H = 260, L = 70, R = 60, T = 20, B = 40;
  const xs = usable.map((p) => p.block_number), ys = usable.map((p) => p.nav_units);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys), y1 = Math.max(...ys);
  if (y1 - y0 < 1e-9) { y0 -= 1; y1 += 1; }
  const sx = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const sy = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  // the stale share, 0 to 100 % on the right-hand axis: the part of the NAV resting on
  // valuations past their re-rating date, at each point's block
  const share = (p) => (p.stale_share === null || p.stale_share === undefined ? 0 : p.stale_share);
  const ss = (f) => T + (1 - f) * (H - T - B);
  const first = usable[0].nav_units.toFixed(2), last = usable[usable.length - 1].nav_units.toFixed(2);
  const peak = Math.max(...usable.map(share));
  const svg = el("svg", {viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img",
    "aria-labelledby": "nav-chart-title nav-chart-desc"});
  svg.append(el("title", {id: "nav-chart-title"}, "NAV per BPC by block, and the share of it in stale valuations"));
  svg.append(el("desc", {id: "nav-chart-desc"},
    `${usable.length} points from block ${x0} to ${x1}; NAV from ${first} to ${last}; ` +
    `at most ${(peak * 100).toFixed(1)}% of it in stale valuations.`));
  // the stale share: a shaded step area under its own line
  let area = `M${sx(usable[0].block_number).toFixed(1)} ${ss(0).toFixed(1)}`;
  usable.forEach((p, i) => {
    const x = sx(p.block_number).toFixed(1);
    if (i) area += ` L${x} ${ss(share(usable[i - 1])).toFixed(1)}`;
    area += ` L${x} ${ss(share(p)).toFixed(1)}`;
  });
  area += ` L${sx(x1).toFixed(1)} ${ss(share(usable[usable.length - 1])).toFixed(1)}`;
  area += ` L${sx(x1).toFixed(1)} ${ss(0).toFixed(1)} Z`;
  svg.append(el("path", {class: "stale-area", d: area, "data-series": "stale"}));
  // and a bar at each point, so a share that only the last point has still shows
  for (const p of usable.filter((q) => share(q) > 0)) {
    const bar = el("rect", {class: "stale-bar", x: (sx(p.block_number) - 6).toFixed(1),
      y: ss(share(p)).toFixed(1), width: 12, height: (ss(0) - ss(share(p))).toFixed(1)});
    bar.append(el("title", {}, `block ${p.block_number}: ${(share(p) * 100).toFixed(1)}% ` +
      "of the NAV in stale valuations"));
    svg.append(bar);
  }
  svg.append(el("line", {class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B}));
  svg.append(el("line", {class: "axis", x1: L, y1: T, x2: L, y2: H - B}));
  svg.append(el("line", {class: "axis", x1: W - R, y1: T, x2: W - R, y2: H - B}));
  for (const y of [y0, (y0 + y1) / 2, y1]) {
    svg.append(el("text", {x: L - 8, y: sy(y) + 4, "text-anchor": "end"}, y.toFixed(2)));
  }
  for (const f of [0, 0.5, 1]) {
    svg.append(el("text", {x: W - R + 6, y: ss(f) + 4, class: "stale-label"}, `${f * 100}%`));
  }
  svg.append(el("text", {x: L, y: H - 12}, "block " + x0));
  svg.append(el("text", {x: W - R, y: H - 12, "text-anchor": "end"}, "block " + x1));
  const path = usable.map((p, i) => (i ? "L" : "M") + sx(p.block_number).toFixed(1) + " " +
    sy(p.nav_units).toFixed(1)).join(" ");
  svg.append(el("path", {class: "line", d: path, "data-series": "nav"}));
  for (const p of usable) {
    const dot = el("circle", {class: "dot", cx: sx(p.block_number), cy: sy(p.nav_units), r: 3});
    dot.append(el("title", {}, `block ${p.block_number}: NAV ${p.nav_units.toFixed(4)}, ` +
      `${(share(p) * 100).toFixed(1)}% in stale valuations`));
    svg.append(dot);
  }
  const legend = document.createElement("ul");
  legend.className = "legend";
  legend.id = "nav-legend";
  const item = (cls, text) => {
    const li = document.createElement("li");
    const key = document.createElement("span");
    key.className = "key " + cls;
    key.setAttribute("aria-hidden", "true");
    li.append(key, document.createTextNode(text));
    legend.append(li);
  };
  item("nav", "NAV per BPC (left axis)");
  item("stale", "Share of the NAV in stale valuations: pooled patents past their re-rating " +
    "date at that block (right axis, %)");
  const now = document.createElement("p");
  now.id = "stale-now";
  now.className = "help";
  if (staleNow && staleNow.share !== null) {
    now.textContent = `Now (indexed block time): ${(staleNow.share * 100).toFixed(1)}% of the ` +
      `NAV, ${units(staleNow.value)} in ${staleNow.patents} stale valuation(s).`;
  } else {
    now.textContent = "Now (indexed block time): no stale valuations.";
  }
  box.replaceChildren(svg, legend, now);
}

async function get(path) {
  const reply = await fetch(path);
  if (!reply.ok) throw new Error(path + ": " + reply.status);
  return reply.json();
}

async function load() {
  const status = document.getElementById("status");
  try {
    const [pool, tiers, patents, nav] = await Promise.all([
      get("/pool"), get("/tiers"), get("/patents?limit=100"), get("/nav?limit=500"),
    ]);
    status.textContent = `Network ${pool.network} (chain ${pool.chain_id}), indexed to block ` +
      `${pool.indexed_block ?? "none yet"}.`;
    card(pool.nav ? units(pool.nav.nav) : "n/a", "NAV per BPC");
    card(pool.nav ? units(pool.nav.supply, 0) : "0", "BPC supply");
    card(String(pool.patents.pooled || 0), "patents pooled");
    card(String(pool.members_active), "active members");
    card(units(pool.royalties_in), "BPC paid into royalties");
    card(String(pool.cases_open), "open infringement cases");
    card(pool.stale.share === null ? "n/a" : (pool.stale.share * 100).toFixed(1) + "%",
      "of the NAV in stale valuations");
    chart(nav.items, pool.stale);
    const tbody = document.querySelector("#tiers tbody");
    for (const t of tiers.tiers) {
      const row = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = t.kind.label;
      row.append(th);
      cell(row, t.price === "0" ? "council grant" : units(t.price), true);
      tbody.append(row);
    }
    const rates = document.getElementById("rates");
    const add = (term, value) => {
      const dt = document.createElement("dt"); dt.textContent = term;
      const dd = document.createElement("dd"); dd.textContent = value;
      rates.append(dt, dd);
    };
    if (tiers.large_enterprise_price_per_bps !== null)
      add("Large enterprise, per bp of market share", units(tiers.large_enterprise_price_per_bps) + " BPC");
    if (tiers.min_term !== null) add("Minimum term", (tiers.min_term / 86400) + " days");
    if (tiers.surcharge_bps !== null) add("Non-member surcharge", (tiers.surcharge_bps / 100) + "%");
    const d = tiers.devices;
    if (d.free_per_year !== null)
      add("Devices", `${Number(d.free_per_year).toLocaleString("en")} free a year, then ` +
        `${units(d.low_rate, 4)} BPC each up to ${Number(d.volume_break).toLocaleString("en")}, ` +
        `${units(d.high_rate, 4)} beyond`);
    const body = document.querySelector("#patents tbody");
    for (const p of patents.items) {
      const row = document.createElement("tr");
      cell(row, p.office);
      cell(row, p.number);
      cell(row, p.status.label);
      cell(row, p.rating === null ? "–" : String(p.rating), true);
      cell(row, p.valuation === null ? "–" : units(p.valuation, 0), true);
      const valued = ["rated", "pooled"].includes(p.status.label) && p.rating_due;
      cell(row, !valued ? "–" : (p.stale ? "stale since " : "due ") + p.rating_due.slice(0, 10));
      const doc = cell(row, "");
      const code = document.createElement("code");
      code.textContent = p.document_cid.slice(0, 16) + "…";
      code.title = p.document_cid;
      doc.append(code);
      body.append(row);
    }
  } catch (err) {
    status.textContent = "Could not load the pool: " + err.message;
  }
}

load();
