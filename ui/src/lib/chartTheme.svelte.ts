// The colours charts draw with, read from the theme's CSS variables, and
// read again when the theme changes (an explicit Light/Dark choice sets
// data-theme on <html>; System follows prefers-color-scheme live).

export type ChartColours = { text: string; muted: string; grid: string; series: string[] };

function read(): ChartColours {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: v("--text", "#1b2333"),
    muted: v("--muted", "#5d6880"),
    grid: v("--border", "#dbe1ec"),
    series: [1, 2, 3, 4, 5, 6].map((i) => v(`--chart-${i}`, "#2f5bea")),
  };
}

export const chartColours = $state<ChartColours>(read());

function refresh() {
  Object.assign(chartColours, read());
}

new MutationObserver(refresh).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", refresh);
