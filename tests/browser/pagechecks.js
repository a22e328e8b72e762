// Checks of how the softphone page looks, run inside the page: by the Chromium tests
// (page.evaluate) and by the QtWebEngine test (runJavaScript), so both browsers are held to the
// same rules. Each check answers a list of problems, empty when the page passes. A plain script
// (no module): it defines window.pageChecks.
(() => {
  const rendered = (element) => element.getClientRects().length > 0 && getComputedStyle(element).visibility === 'visible';

  function describe(element) {
    const id = element.id ? `#${element.id}` : '';
    const classes = [...element.classList].map((name) => `.${name}`).join('');
    const text = (element.textContent || element.placeholder || '').trim().slice(0, 30);
    return `${element.tagName.toLowerCase()}${id}${classes}${text ? ` "${text}"` : ''}`;
  }

  // ---- fonts: every control takes the page's font (browsers give controls their own) ----------------

  // A font list whose first choice is a serif face ("serif", "Times", "DejaVu Serif", …).
  function serif(family) {
    const first = family.split(',')[0].replace(/["']/g, '').trim().toLowerCase();
    return /serif|times|georgia/.test(first) && !first.includes('sans');
  }

  function fonts() {
    const page = getComputedStyle(document.body).fontFamily;
    const problems = [];
    if (serif(page)) problems.push(`the page's font is a serif face: ${page}`);
    for (const control of document.querySelectorAll('input, button, select, textarea, meter')) {
      const family = getComputedStyle(control).fontFamily;
      if (family !== page) problems.push(`${describe(control)} uses ${family}, not the page's ${page}`);
    }
    return problems;
  }

  // ---- fit: nothing scrolls and nothing ends outside the window ----------------------------------------

  function overflow() {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollHeight > root.clientHeight || root.scrollWidth > root.clientWidth)
      problems.push(`the page is ${root.scrollWidth}×${root.scrollHeight} in a ${root.clientWidth}×${root.clientHeight} window`);
    for (const element of document.querySelectorAll('body *')) {
      if (!rendered(element)) continue;
      const style = getComputedStyle(element);
      if (['auto', 'scroll'].includes(style.overflowY) && element.scrollHeight > element.clientHeight + 1)
        problems.push(`${describe(element)} scrolls (${element.scrollHeight} in ${element.clientHeight})`);
      const box = element.getBoundingClientRect();
      if (box.bottom > innerHeight + 0.5 || box.right > innerWidth + 0.5)
        problems.push(`${describe(element)} ends at ${Math.round(box.right)}×${Math.round(box.bottom)}`);
    }
    return problems;
  }

  // ---- contrast: WCAG AA, 4.5:1 for text, 3:1 for large text, icons and control borders ---------------

  function parse(color) {
    const [r, g, b, a = 1] = color.match(/[\d.]+/g).map(Number);
    return { r, g, b, a };
  }

  function over(top, bottom) {
    const mix = (x, y) => x * top.a + y * (1 - top.a);
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
  }

  function luminance({ r, g, b }) {
    const channel = (value) => {
      const v = value / 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }

  function ratio(a, b) {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  }

  // The colour behind an element: its own background and its ancestors', composited.
  function backgroundOf(element) {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const color = parse(getComputedStyle(node).backgroundColor);
      if (color.a > 0) layers.push(color);
      if (color.a >= 1) break;
    }
    const canvas = matchMedia('(prefers-color-scheme: dark)').matches ? { r: 0, g: 0, b: 0, a: 1 } : { r: 255, g: 255, b: 255, a: 1 };
    return layers.reverse().reduce((below, layer) => over(layer, below), canvas);
  }

  const ownText = (element) => [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
  const text = (color) => `rgb(${[color.r, color.g, color.b].map(Math.round).join(', ')})`;

  function contrast() {
    const problems = [];
    const check = (element, what, foreground, minimum, behind = element) => {
      const background = backgroundOf(behind);
      const value = ratio(over(foreground, background), background);
      if (value < minimum)
        problems.push(`${describe(element)} ${what}: ${value.toFixed(2)} < ${minimum} (${text(foreground)} on ${text(background)})`);
    };
    for (const element of document.querySelectorAll('body *')) {
      // Inactive controls are exempt (WCAG 1.4.3).
      if (!rendered(element) || element.closest(':disabled')) continue;
      const style = getComputedStyle(element);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ownText(element) || (element.matches('input, select') && element.value)) check(element, 'text', parse(style.color), large ? 3 : 4.5);
      if (element.matches('input[placeholder]') && !element.value && element.placeholder)
        check(element, 'placeholder', parse(getComputedStyle(element, '::placeholder').color), 4.5);
      // An icon is painted in its background colour (the text's), over its parent's background.
      if (element.matches('.icon')) check(element, 'icon', parse(style.backgroundColor), 3, element.parentElement);
      if (element.matches('input, select')) check(element, 'border', parse(style.borderTopColor), 3, element.parentElement);
    }
    return problems;
  }

  window.pageChecks = { fonts, overflow, contrast };
})();
