// Measures, in the browser, every label of every chart of the report page; `browser.rs`
// adds this script to a copy of the page (the page itself has none, and keeps none).
//
// For each <text> of each <svg>, its box as drawn (getBBox: the advance width of the
// glyphs in the fonts the browser chose, by the line's ascent and descent, in the SVG's own
// units) must lie within the SVG's viewBox; a text that meets a filled <rect> (a bar) must
// lie wholly inside it, never across its edge; and no two texts' ink (measured on a canvas in
// the same font) may overlap. The result goes into a hidden <pre id="measured"> as JSON,
// everything outside ASCII written as \u escapes, for `chromium --dump-dom` to hand back;
// offenders get a red outline, for the screenshot.
(function () {
  var script = document.currentScript;
  var canvas = document.createElement('canvas').getContext('2d');

  function round(v) {
    return Math.round(v * 10) / 10;
  }
  function rounded(b) {
    return b.map(round);
  }
  // [left, top, right, bottom]
  function edges(b) {
    return [b.x, b.y, b.x + b.width, b.y + b.height];
  }
  function meet(a, b) {
    return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
  }
  function within(a, b) {
    var slack = 0.01;
    return (
      a[0] >= b[0] - slack && a[1] >= b[1] - slack && a[2] <= b[2] + slack && a[3] <= b[3] + slack
    );
  }
  // Where the glyphs' ink is, from the box's start and the text's baseline.
  function ink(t, box) {
    var style = getComputedStyle(t);
    canvas.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(' ');
    var m = canvas.measureText(t.textContent);
    var baseline = t.y.baseVal.numberOfItems ? t.y.baseVal.getItem(0).value : 0;
    return [
      box[0] - m.actualBoundingBoxLeft,
      baseline - m.actualBoundingBoxAscent,
      box[0] + m.actualBoundingBoxRight,
      baseline + m.actualBoundingBoxDescent,
    ];
  }
  function outline(svg, b) {
    var r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    r.setAttribute('x', b[0]);
    r.setAttribute('y', b[1]);
    r.setAttribute('width', b[2] - b[0]);
    r.setAttribute('height', b[3] - b[1]);
    r.setAttribute('fill', 'none');
    r.setAttribute('stroke', 'red');
    r.setAttribute('stroke-width', '1.5');
    svg.appendChild(r);
  }

  function measure() {
    var offenders = [];
    var checked = 0;
    var svgs = Array.prototype.slice.call(document.querySelectorAll('svg'));
    svgs.forEach(function (svg, s) {
      var vb = svg.viewBox.baseVal;
      var view = [vb.x, vb.y, vb.x + vb.width, vb.y + vb.height];
      var boxes = Array.prototype.filter
        .call(svg.querySelectorAll('rect'), function (r) {
          var fill = r.getAttribute('fill');
          return fill !== null && fill !== 'none';
        })
        .map(function (r) {
          return edges(r.getBBox());
        });
      var texts = Array.prototype.slice.call(svg.querySelectorAll('text'));
      var drawn = texts.map(function (t) {
        return edges(t.getBBox());
      });
      var inks = texts.map(function (t, i) {
        return ink(t, drawn[i]);
      });
      texts.forEach(function (t, i) {
        checked++;
        var b = drawn[i];
        var problems = [];
        if (!within(b, view)) {
          problems.push('outside the viewBox');
        }
        boxes.forEach(function (r) {
          if (meet(b, r) && !within(b, r)) {
            problems.push('across the edge of the box ' + JSON.stringify(rounded(r)));
          }
        });
        inks.forEach(function (other, j) {
          if (j !== i && meet(inks[i], other)) {
            problems.push('over the text ' + JSON.stringify(texts[j].textContent));
          }
        });
        if (problems.length) {
          offenders.push({
            svg: s,
            text: t.textContent,
            bbox: rounded(b),
            viewBox: rounded(view),
            problems: problems,
          });
          outline(svg, b);
        }
      });
    });
    var json = JSON.stringify({ svgs: svgs.length, checked: checked, offenders: offenders });
    var out = document.createElement('pre');
    out.id = 'measured';
    out.hidden = true;
    out.textContent = json.replace(/[^\x20-\x7e]|[<>&]/g, function (c) {
      return '\\u' + ('000' + c.charCodeAt(0).toString(16)).slice(-4);
    });
    document.body.appendChild(out);
    script.remove();
  }

  // Once the page and its fonts are in: measuring earlier could measure a fallback font.
  window.addEventListener('load', function () {
    document.fonts.ready.then(measure);
  });
})();
