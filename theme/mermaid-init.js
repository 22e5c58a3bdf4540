// Renders every <pre class="mermaid"> block with the Mermaid copy served from this site
// (theme/mermaid.min.js), so diagrams need no network. Dark mdBook themes get Mermaid's
// dark theme; switching between light and dark reloads the page to redraw the diagrams.
//
// After drawing, each diagram gets a button that opens it full size in a new tab, and the
// size its smallest text renders at on this screen, in `data-min-text-px` (the book's browser
// check reads it and fails below 11 px).
(() => {
    const dark = ['coal', 'navy', 'ayu'];
    const isDark = () => dark.some((t) => document.documentElement.classList.contains(t));
    const startedDark = isDark();
    // 'strict' (Mermaid's default, said here so it stays): labels are text, not HTML, and a
    // diagram's `click` runs nothing, so a diagram a program printed can only draw.
    mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
        theme: startedDark ? 'dark' : 'default',
    });
    for (const theme of ['light', 'rust', 'coal', 'navy', 'ayu']) {
        const button = document.getElementById('mdbook-theme-' + theme);
        if (button) {
            button.addEventListener('click', () => {
                if (dark.includes(theme) !== startedDark) {
                    window.location.reload();
                }
            });
        }
    }

    // The rendered size of the smallest text in `svg`, in CSS pixels: its font size scaled by
    // how much the picture was shrunk (or grown) to fit the page.
    const minTextPx = (svg) => {
        const box = svg.viewBox && svg.viewBox.baseVal;
        const shown = svg.getBoundingClientRect().width;
        const scale = box && box.width > 0 && shown > 0 ? shown / box.width : 1;
        let min = Infinity;
        for (const el of svg.querySelectorAll('text, tspan, foreignObject *')) {
            if (!el.textContent.trim() || el.getClientRects().length === 0) {
                continue;
            }
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size > 0) {
                min = Math.min(min, size * scale);
            }
        }
        return min;
    };

    const fullSize = (pre, svg) => {
        const button = document.createElement('button');
        button.className = 'mermaid-full-size';
        button.type = 'button';
        button.textContent = 'Open this diagram full size';
        button.addEventListener('click', () => {
            const copy = svg.cloneNode(true);
            copy.removeAttribute('style');
            copy.setAttribute('width', svg.viewBox.baseVal.width || svg.getBoundingClientRect().width);
            copy.setAttribute('height', svg.viewBox.baseVal.height || svg.getBoundingClientRect().height);
            const page = '<!doctype html><meta charset="utf-8"><title>Diagram</title>'
                + '<body style="margin:1em;background:' + (startedDark ? '#222' : '#fff') + '">'
                + copy.outerHTML + '</body>';
            window.open(URL.createObjectURL(new Blob([page], { type: 'text/html' })), '_blank');
        });
        pre.after(button);
    };

    const done = () => {
        for (const pre of document.querySelectorAll('pre.mermaid')) {
            const svg = pre.querySelector('svg');
            if (!svg) {
                continue;
            }
            const min = minTextPx(svg);
            if (Number.isFinite(min)) {
                pre.setAttribute('data-min-text-px', min.toFixed(1));
            }
            fullSize(pre, svg);
        }
        document.documentElement.setAttribute('data-mermaid-done', 'yes');
    };
    const start = () => mermaid.run({ querySelector: 'pre.mermaid' }).then(done, done);
    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
