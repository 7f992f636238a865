// The element's colour theme: `theme="dark"` or `"light"` as asked, or "auto": the system's
// (prefers-color-scheme), followed as it changes. ganvas.css holds one palette per theme, keyed
// on the shadow root's `data-theme`.

/**
 * Keeps `box`'s `data-theme` to `theme()` ("dark", "light" or "auto", resolved); returns the
 * function that applies it again (when the attribute changes).
 */
export function followTheme(theme, box) {
  const light = globalThis.matchMedia?.('(prefers-color-scheme: light)');
  const apply = () => {
    const asked = theme();
    box.dataset.theme = asked === 'auto' ? (light?.matches ? 'light' : 'dark') : asked;
  };
  light?.addEventListener('change', apply);
  apply();
  return apply;
}
