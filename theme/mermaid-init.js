// Renders every <pre class="mermaid"> block with the Mermaid copy served from this site
// (theme/mermaid.min.js), so diagrams need no network. Dark mdBook themes get Mermaid's
// dark theme; switching between light and dark reloads the page to redraw the diagrams.
(() => {
    const dark = ['coal', 'navy', 'ayu'];
    const isDark = () => dark.some((t) => document.documentElement.classList.contains(t));
    const startedDark = isDark();
    mermaid.initialize({ startOnLoad: true, theme: startedDark ? 'dark' : 'default' });
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
})();
