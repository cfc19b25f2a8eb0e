package dashboard_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// a11yScript lists what the page gets wrong of the basics: a language, a label for every form
// field, a name for every button, link and chart, and WCAG AA contrast (4.5:1) for every piece
// of text against the background it is drawn on.
const a11yScript = `(() => {
  const out = [];
  if (!document.documentElement.lang) out.push("no lang on <html>");
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea"))
    if (el.labels.length === 0 && !el.getAttribute("aria-label")) out.push("no label: " + el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll("button, a"))
    if (!el.textContent.trim() && !el.getAttribute("aria-label")) out.push("no name: " + el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll("svg[role=img]"))
    if (!el.getAttribute("aria-labelledby") && !el.getAttribute("aria-label")) out.push("chart without a name");
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || c[3] > 0) return c.slice(0, 3); } return [255, 255, 255]; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const el = n.parentElement;
    if (!n.textContent.trim() || !el.checkVisibility() || el.closest("svg, .skip, .sr-only")) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) out.push("contrast " + ratio.toFixed(2) + ": " + n.textContent.trim().slice(0, 40));
  }
  return out;
})()`

// accessible checks the tab's page against a11yScript, and that the first Tab after a reload
// reaches the skip link, so a keyboard gets past the navigation at once.
func accessible(t *testing.T, ctx context.Context, page string) {
	t.Helper()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](a11yScript))
	require.NoError(t, err)
	assert.Empty(t, problems, "%s: accessibility basics", page)
	require.NoError(t, chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("main")), chromedp.KeyEvent("\t")))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	require.NoError(t, err)
	assert.Equal(t, "skip", focused, "%s: the first Tab reaches the skip link", page)
}

// TestA11yScriptFindsProblems shows the check can fail: a page without a language, with an
// unlabelled field, a nameless button and grey-on-white text is reported on each count.
func TestA11yScriptFindsProblems(t *testing.T) {
	ctx := browser(t)
	page := `data:text/html,<body><input id=q><button></button><p style="color:%23aaa">faint</p></body>`
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("p"))))
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](a11yScript))
	require.NoError(t, err)
	require.Len(t, problems, 4, "%q", problems)
	assert.Equal(t, "no lang on <html>", problems[0])
	assert.Contains(t, problems[1], "no label")
	assert.Contains(t, problems[2], "no name")
	assert.Contains(t, problems[3], "contrast 2.32: faint")
}
