// mtorgraph page: the evidence panel, conflict highlighting and filters over a vis-network graph.
// Every piece of text from the graph goes into the page with textContent, never innerHTML.
// `network`, `nodes` and `edges` are globals, as in pages made by pyvis, so they can be scripted.
var network, nodes, edges;
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("mtorgraph-data").textContent);
  var HL = DATA.legend.highlight;
  var NODE_INFO = {}, EDGE_INFO = {}, NODE_BASE = {}, EDGE_BASE = {};
  var CONFLICTS = {};
  var current = null;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function link(href, text) {
    var a = el("a", text);
    if (typeof href === "string" && /^https?:\/\//.test(href)) {
      a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
    }
    return a;
  }
  function clone(x) { return JSON.parse(JSON.stringify(x)); }
  function name(key) { return NODE_INFO[key] ? NODE_INFO[key].name : key; }
  function signText(s) { return s > 0 ? "+ (positive)" : (s < 0 ? "− (negative)" : "unsigned"); }
  var RELATIONS = DATA.legend.relation_labels;
  function stepText(s) {  // [subject, predicate or relation, object, bridge]
    var relation = s[3] || (RELATIONS[s[1]] ? s[1] : null);
    return relation ? " ⇢(" + RELATIONS[relation] + ")⇢ " + name(s[2]) : " –" + s[1] + "→ " + name(s[2]);
  }

  DATA.nodes.forEach(function (n) {
    NODE_INFO[n.id] = n.info; delete n.info;
    n.title = el("div", n.label + " · " + NODE_INFO[n.id].id + " · " + n.kind);
    NODE_BASE[n.id] = {color: clone(n.color), borderWidth: n.borderWidth, font: clone(n.font)};
  });
  DATA.edges.forEach(function (e) {
    EDGE_INFO[e.id] = e.info; delete e.info;
    var info = EDGE_INFO[e.id];
    e.title = el("div", name(e.from) + " " + info.predicate_label + " " + name(e.to) +
                 (info.structural ? " · structural link" : " · belief " + info.belief.toFixed(2)));
    EDGE_BASE[e.id] = {color: clone(e.color), width: e.width};
  });
  DATA.conflicts.forEach(function (c) { CONFLICTS[c.id] = c; });

  var details = document.getElementById("details");
  var conflictInfo = document.getElementById("conflict-info");

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function showEdge(id) {
    var info = EDGE_INFO[id];
    if (!info) { return; }
    clear(details);
    details.appendChild(el("h2", name(info.subject) + " " + info.predicate_label + " " + name(info.object)));
    if (info.structural) {
      details.appendChild(el("p", "structural link (" + info.relation + "), not causal: path search may cross it from " +
        name(info.subject) + " to " + name(info.object) + " as a sign-preserving bridge step", "meta"));
    } else {
      details.appendChild(el("p", "predicate: " + info.predicate + " · sign " + signText(info.sign), "meta"));
      details.appendChild(el("p", "belief: " + info.belief.toFixed(3) +
        (info.hypothesis ? " · hypothesis only" : "") + (info.causal ? "" : " · not traversed by path search"), "meta"));
    }
    if (info.note) { details.appendChild(el("p", info.note, "note")); }
    if (info.source_graph) { details.appendChild(el("p", "stated by graph: " + info.source_graph, "meta")); }
    details.appendChild(el("h3", "Evidence (" + info.evidence.length + ")"));
    info.evidence.forEach(function (ev) {
      var box = el("div", null, "evidence" + (ev.direction === "refutes" ? " refutes" : "") +
                                (ev.weighed === false ? " not-weighed" : ""));
      var head = el("div");
      head.appendChild(el("span", ev.citation, "cite"));
      if (ev.experiment) { head.appendChild(el("span", " · experiment: " + ev.experiment, "kind")); }
      head.appendChild(el("span", " · " + (info.kind_labels[ev.kind] || ev.kind) + " (" + ev.kind + ")", "kind"));
      if (ev.direction === "refutes") { head.appendChild(el("span", " · refutes", "kind")); }
      head.appendChild(el("span", " · verified: " + ev.verified, "kind"));
      box.appendChild(head);
      if (ev.basis_note) { box.appendChild(el("p", ev.basis_note, "basis")); }
      box.appendChild(el("p", ev.finding, "finding"));
      var numbers = [ev.effect, ev.p_value].filter(function (x) { return x; });
      if (numbers.length) { box.appendChild(el("p", numbers.join("; "), "numbers")); }
      var keys = Object.keys(ev.context);
      if (keys.length) {
        var dl = el("dl");
        keys.forEach(function (k) { dl.appendChild(el("dt", k)); dl.appendChild(el("dd", ev.context[k])); });
        box.appendChild(dl);
      }
      var links = el("div", null, "links");
      var labels = {doi: "DOI", pubmed: "PubMed", pmc: "PMC", url: "link"};
      Object.keys(ev.links).forEach(function (k) { links.appendChild(link(ev.links[k], labels[k] || k)); });
      box.appendChild(links);
      details.appendChild(box);
    });
  }

  function edgeButton(id) {
    var b = el("button", id.split("|").map(function (p, i) { return i === 1 ? p : name(p); }).join(" "), "edge-link");
    b.type = "button";
    b.addEventListener("click", function () { network.selectEdges([id]); showEdge(id); });
    return b;
  }

  function showNode(id) {
    var info = NODE_INFO[id];
    if (!info) { return; }
    clear(details);
    details.appendChild(el("h2", info.name));
    var curie = el("p", null, "meta");
    curie.appendChild(info.link ? link(info.link, info.id) : el("span", info.id));
    curie.appendChild(el("span", " · " + info.kind + (info.id_status === "verified" ? " · id verified" : "")));
    if (info.id_status !== "verified") { curie.appendChild(el("span", "id " + info.id_status, "flag")); }
    details.appendChild(curie);
    if (info.id_status !== "verified") {
      details.appendChild(el("p", info.id_status === "unverified"
        ? "This identifier has not been checked against its ontology."
        : "This identifier is " + info.id_status + ", not verified against an ontology record (see the note).", "meta"));
    }
    details.appendChild(el("p", "label: " + info.label, "meta"));
    if (info.synonyms.length) { details.appendChild(el("p", "synonyms: " + info.synonyms.join(", "), "meta")); }
    if (info.xrefs.length) { details.appendChild(el("p", "xrefs: " + info.xrefs.join(", "), "meta")); }
    if (info.note) { details.appendChild(el("p", info.note, "note")); }
    var connected = network.getConnectedEdges(id).slice().sort();
    details.appendChild(el("h3", "Edges (" + connected.length + ")"));
    var ul = el("ul");
    connected.forEach(function (eid) { var li = el("li"); li.appendChild(edgeButton(eid)); ul.appendChild(li); });
    details.appendChild(ul);
  }

  function restore() {
    edges.update(Object.keys(EDGE_BASE).map(function (id) {
      return {id: id, color: clone(EDGE_BASE[id].color), width: EDGE_BASE[id].width};
    }));
    nodes.update(Object.keys(NODE_BASE).map(function (id) {
      return {id: id, color: clone(NODE_BASE[id].color), borderWidth: NODE_BASE[id].borderWidth,
              font: clone(NODE_BASE[id].font)};
    }));
  }

  function showConflict(c) {
    clear(conflictInfo);
    conflictInfo.hidden = false;
    conflictInfo.style.setProperty("--pos", HL.positive);
    conflictInfo.style.setProperty("--neg", HL.negative);
    conflictInfo.appendChild(el("h3", "Conflict"));
    conflictInfo.appendChild(el("p", c.label, "meta"));
    var sides = ["positive", "negative"];
    if (c.null.length) { sides.push("null"); }
    sides.forEach(function (side) {
      var about = c.sides[side];
      var head = el("h3", about.words);
      conflictInfo.appendChild(head);
      var counts = [about.paths + (c.type === "path" ? " path" : " edge") + (about.paths === 1 ? "" : "s")];
      if (about.independent_studies !== null && about.independent_studies !== undefined) {
        counts.push(about.independent_studies + " independent stud" + (about.independent_studies === 1 ? "y" : "ies"));
      }
      if (about.references.length) { counts.push("references: " + about.references.join(", ")); }
      conflictInfo.appendChild(el("p", counts.join(" · "), "meta"));
      var ul = el("ul", null, "paths " + side);
      c[side + "_paths"].forEach(function (p) {
        var text = p.steps.length ? name(p.steps[0][0]) : "";
        p.steps.forEach(function (s) { text += stepText(s); });
        if (p.score !== null && p.score !== undefined) { text += " (score " + Number(p.score).toFixed(3) + ")"; }
        if (p.translational) { text += " · translational: crosses from an animal model to the human condition"; }
        ul.appendChild(el("li", text));
      });
      conflictInfo.appendChild(ul);
    });
    if (c.divergence.length) {
      conflictInfo.appendChild(el("p", "the sides diverge at: " + c.divergence.map(name).join(", "), "meta"));
    }
    var fields = Object.keys(c.context_differences || {});
    if (fields.length) {
      conflictInfo.appendChild(el("h3", "Context that differs"));
      var dl = el("dl");
      fields.forEach(function (f) {
        var d = c.context_differences[f];
        dl.appendChild(el("dt", f));
        var dd = el("dd");
        ["positive", "negative", "null"].forEach(function (side) {
          var values = [].concat(d[side] || []);
          if (values.length) { dd.appendChild(el("div", c.sides[side].words + ": " + values.join(", "))); }
        });
        dl.appendChild(dd);
      });
      conflictInfo.appendChild(dl);
    }
  }

  function conflictLegend(c) {
    document.getElementById("legend-pos").textContent = c ? c.sides.positive.words : "paths that would increase the target";
    document.getElementById("legend-neg").textContent = c ? c.sides.negative.words : "paths that would decrease it";
  }

  function selectConflict(id) {
    var c = CONFLICTS[id];
    restore();
    current = c || null;
    document.getElementById("conflict").value = c ? id : "";
    conflictLegend(c);
    if (!c) { conflictInfo.hidden = true; clear(conflictInfo); return; }
    var pos = {}, neg = {}, nul = {}, on = {};
    c.null.forEach(function (e) { nul[e] = true; });
    c.positive.forEach(function (e) { pos[e] = true; });
    c.negative.forEach(function (e) { neg[e] = true; });
    c.nodes.forEach(function (n) { on[n] = true; });
    edges.update(Object.keys(EDGE_BASE).map(function (id) {
      var colour = pos[id] && neg[id] ? HL.both : (pos[id] ? HL.positive : (neg[id] ? HL.negative : (nul[id] ? HL["null"] : null)));
      if (colour) {
        return {id: id, width: Math.max(EDGE_BASE[id].width, 3) + 1,
                color: {color: colour, highlight: colour, hover: colour, inherit: false, opacity: 1.0}};
      }
      return {id: id, width: 1, color: {color: HL.dimmed, highlight: EDGE_BASE[id].color.color,
                                         hover: EDGE_BASE[id].color.color, inherit: false, opacity: 0.6}};
    }));
    nodes.update(Object.keys(NODE_BASE).map(function (id) {
      if (on[id]) { return {id: id, borderWidth: 3}; }
      return {id: id, color: {background: "#f5f5f5", border: "#dddddd",
                              highlight: NODE_BASE[id].color.highlight, hover: NODE_BASE[id].color.hover},
              font: {color: "#bbbbbb"}};
    }));
    showConflict(c);
  }

  function applyFilters() {
    var kind = document.getElementById("filter-kind").value;
    var species = document.getElementById("filter-species").value;
    var hideHyp = document.getElementById("filter-hypotheses").checked;
    var active = kind || species || hideHyp;
    var visibleDegree = {}, degree = {};
    var updates = Object.keys(EDGE_INFO).map(function (id) {
      var info = EDGE_INFO[id];
      var show = !(hideHyp && info.hypothesis) && info.evidence.some(function (ev) {
        return (!kind || ev.kind === kind) && (!species || ev.context.species === species);
      });
      [info.subject, info.object].forEach(function (k) {
        degree[k] = (degree[k] || 0) + 1;
        if (show) { visibleDegree[k] = (visibleDegree[k] || 0) + 1; }
      });
      return {id: id, hidden: !show};
    });
    edges.update(updates);
    nodes.update(Object.keys(NODE_INFO).map(function (id) {
      return {id: id, hidden: Boolean(active && degree[id] && !visibleDegree[id])};
    }));
  }

  function fillSelect(id, items, valueKey) {
    var select = document.getElementById(id);
    items.forEach(function (item) {
      var opt = el("option", item.label);
      opt.value = item[valueKey];
      select.appendChild(opt);
    });
    return select;
  }

  function buildLegend() {
    var ul = document.getElementById("legend-kinds");
    DATA.legend.kinds.forEach(function (k) {
      var li = el("li");
      var swatch = el("span", null, "swatch shape-" + k.shape);
      swatch.style.background = k.background;
      swatch.style.borderColor = k.border;
      li.appendChild(swatch);
      li.appendChild(el("span", k.kind));
      ul.appendChild(li);
    });
    var links = document.getElementById("legend-links");
    if (DATA.legend.relations.length) {
      links.lastChild.textContent = "structural link, not causal: " +
        DATA.legend.relations.map(function (r) { return r.short; }).join(", ");
    } else { links.hidden = true; }
    document.getElementById("legend-unverified").hidden = !DATA.legend.unverified.length;
    if (DATA.left_out) {
      var cut = document.getElementById("left-out");
      cut.textContent = DATA.left_out; cut.hidden = false;
    }
    if (DATA.scan_note) {
      var note = document.getElementById("scan-note");
      note.textContent = DATA.scan_note; note.hidden = false;
    }
  }

  function ready() {
    window.mtorgraphReady = true;
    document.body.setAttribute("data-ready", "true");
  }

  nodes = new vis.DataSet(DATA.nodes);
  edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("mynetwork");
  network = new vis.Network(container, {}, DATA.options);
  if (DATA.physics && DATA.nodes.length) {
    // Lay out once, then freeze: no restless nodes, and clicks land where the edges are drawn.
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.fit();
      network.once("afterDrawing", ready);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", ready);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });
  network.setData({nodes: nodes, edges: edges});

  buildLegend();
  fillSelect("conflict", DATA.conflicts, "id").addEventListener("change", function (ev) { selectConflict(ev.target.value); });
  fillSelect("filter-kind", DATA.legend.evidence_kinds.map(function (k) { return {kind: k.kind, label: k.label}; }), "kind")
    .addEventListener("change", applyFilters);
  fillSelect("filter-species", DATA.legend.species.map(function (s) { return {species: s.species, label: s.species}; }), "species")
    .addEventListener("change", applyFilters);
  document.getElementById("filter-hypotheses").addEventListener("change", applyFilters);
  document.getElementById("reset").addEventListener("click", function () {
    document.getElementById("filter-kind").value = "";
    document.getElementById("filter-species").value = "";
    document.getElementById("filter-hypotheses").checked = false;
    applyFilters();
    selectConflict("");
    network.unselectAll();
    network.fit();
  });
  if (DATA.preselect) { selectConflict(DATA.preselect); }

  window.mtorgraph = {selectConflict: selectConflict, applyFilters: applyFilters, showEdge: showEdge,
                      showNode: showNode, conflicts: DATA.conflicts, highlight: HL};
}());
