package dashboard_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/certledger/certledger/api/client"
	"github.com/certledger/certledger/tests/clienttest"
)

// TestBrowserSecOps drives a real Chromium through every page as SEC_OPS: the overview's
// numbers are the API's, the inventory filters, a certificate shows its history and verifies
// it, a pending request is approved and issued, a certificate issued through the API shows on
// the open overview within 2 s, and the audit page verifies the checkpoint. It writes a PNG of
// every page.
func TestBrowserSecOps(t *testing.T) {
	w := newWorld(t)
	dir := screenshotDir(t)
	ctx := browser(t)
	base := w.l.URL
	signInAs(t, ctx, base, secOpsToken)

	// Overview: the cards are the API's numbers.
	assert.Equal(t, w.validCount(t), number(t, ctx, "#count-valid"))
	assert.Equal(t, int64(1), number(t, ctx, "#count-pending"))
	assert.Equal(t, int64(4), number(t, ctx, "#count-within30"), "the certificates of 5 and 25 days of both teams")
	assert.Equal(t, []string{"pay", "web"}, texts(t, ctx, "#compliance tbody td:first-child"))
	shoot(t, ctx, dir, "overview")
	accessible(t, ctx, "overview")

	// Inventory, filtered by team through the form.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/inventory"), chromedp.WaitVisible(chromedp.CSS("#inventory"))))
	assert.Equal(t, 6, rows(t, ctx, "#inventory tbody tr[data-id]"))
	require.NoError(t, chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#f-team"), "pay"), chromedp.Click(chromedp.CSS("#f-apply")),
		chromedp.WaitVisible(chromedp.CSS(`#f-team[value="pay"]`))))
	assert.Equal(t, []string{"pay", "pay"}, texts(t, ctx, "#inventory tbody td:nth-child(3)"))
	shoot(t, ctx, dir, "inventory")
	accessible(t, ctx, "inventory")

	// A certificate and its history, then "verify this history" once a checkpoint covers it.
	w.l.Checkpoint(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#inventory tbody a")), chromedp.WaitVisible(chromedp.CSS("#history"))))
	location, err := chromedp.Run(ctx, chromedp.Location())
	require.NoError(t, err)
	id := location[len(location)-36:]
	hist, err := w.admin.CertificateHistory(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, len(hist.Events), rows(t, ctx, "#history tbody tr"))
	assert.Equal(t, []string{"issued"}, texts(t, ctx, "#cert-status"))
	assert.Equal(t, 2, rows(t, ctx, "#chain li"), "the leaf and its root")
	shoot(t, ctx, dir, "certificate")
	accessible(t, ctx, "certificate")
	require.NoError(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS("#verify")), chromedp.WaitVisible(chromedp.CSS("#verdict"))))
	assert.Contains(t, texts(t, ctx, "#verdict")[0], "VERIFIED")
	shoot(t, ctx, dir, "verify")
	accessible(t, ctx, "verify")

	// The approvals queue: approve the pending request with a reason; it is issued.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/approvals"), chromedp.WaitVisible(chromedp.CSS("#approvals"))))
	shoot(t, ctx, dir, "approvals")
	accessible(t, ctx, "approvals")
	row := fmt.Sprintf(`#approvals tr[data-id=%q]`, w.pending)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(row+" input.reason"), "owner confirmed by phone"),
		chromedp.Click(chromedp.CSS(row+" button.approve")),
		chromedp.WaitVisible(chromedp.CSS("#done"))))
	assert.Contains(t, texts(t, ctx, "#done")[0], "is now issued")
	cert, err := w.admin.GetCertificate(ctx, w.pending)
	require.NoError(t, err)
	assert.Equal(t, "issued", cert.Status)

	// Live: the open overview follows a certificate issued through the API within 2 s.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#count-valid"))))
	w.waitInventory(t, 6, 6) // the approval made the pending request the sixth valid certificate
	// A page made before the read models applied the approval catches up by itself: its feed
	// starts at the position the page was made at.
	waitText(t, ctx, "#count-valid", "6", 2*time.Second)
	before := number(t, ctx, "#count-valid")
	w.issue(t, "web", "live.example.com")
	issued := time.Now()
	waitText(t, ctx, "#count-valid", fmt.Sprint(before+1), 2*time.Second)
	t.Logf("the overview showed the new certificate %s after the API answered", time.Since(issued).Round(time.Millisecond))

	// And the open inventory lists the next one within 2 s.
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/inventory"), chromedp.WaitVisible(chromedp.CSS("#inventory"))))
	listed := rows(t, ctx, "#inventory tbody tr[data-id]")
	w.issue(t, "pay", "listed.example.com")
	wait, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, err = chromedp.Run(wait, chromedp.Poll[bool](fmt.Sprintf(`document.querySelectorAll("#inventory tbody tr[data-id]").length === %d`, listed+1),
		chromedp.WithPollingInterval(20*time.Millisecond)))
	require.NoError(t, err, "the inventory did not list the new certificate within 2 s")

	// While a field is being typed in, the page is not swapped under it; it refreshes on blur.
	listed = rows(t, ctx, "#inventory tbody tr[data-id]")
	require.NoError(t, chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#f-owner")), chromedp.SendKeys(chromedp.CSS("#f-owner"), "half-typed")))
	w.issue(t, "pay", "typing.example.com")
	require.NoError(t, chromedp.Do(ctx, chromedp.Sleep(time.Second)))
	assert.Equal(t, listed, rows(t, ctx, "#inventory tbody tr[data-id]"), "no swap while typing")
	typed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#f-owner").value`))
	require.NoError(t, err)
	assert.Equal(t, "half-typed", typed)
	require.NoError(t, chromedp.Do(ctx, chromedp.Blur(chromedp.CSS("#f-owner"))))
	wait2, cancel2 := context.WithTimeout(ctx, 2*time.Second)
	defer cancel2()
	_, err = chromedp.Run(wait2, chromedp.Poll[bool](fmt.Sprintf(`document.querySelectorAll("#inventory tbody tr[data-id]").length === %d`, listed+1),
		chromedp.WithPollingInterval(20*time.Millisecond)))
	require.NoError(t, err, "the inventory did not refresh within 2 s of the field losing focus")

	// Audit: the latest checkpoint verifies, and the live tail shows new events.
	w.l.Checkpoint(t)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/audit"), chromedp.WaitVisible(chromedp.CSS("#cp-verify"))))
	assert.Contains(t, texts(t, ctx, "#cp-verify")[0], "verifies with audit key")
	w.issue(t, "pay", "tail.example.com")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS("#tail tr"))))
	shoot(t, ctx, dir, "audit")
	accessible(t, ctx, "audit")
	t.Logf("screenshots in %s", dir)
}

// waitText waits until sel's text is want, for at most within: what the page shows, not how
// fast (the deadline is the behaviour asked for, not a benchmark).
func waitText(t *testing.T, ctx context.Context, sel, want string, within time.Duration) {
	t.Helper()
	wait, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	_, err := chromedp.Run(wait, chromedp.Poll[bool](fmt.Sprintf(`(document.querySelector(%q)||{}).textContent === %q`, sel, want),
		chromedp.WithPollingInterval(20*time.Millisecond)))
	require.NoError(t, err, "%s did not read %s within %s", sel, want, within)
}

// TestBrowserDevOpsSeesItsTeamOnly signs in as DEVOPS of team web: the inventory lists web's
// certificates only, another team's certificate page is refused, and the overview's numbers
// are the API's answers to the same token.
func TestBrowserDevOpsSeesItsTeamOnly(t *testing.T) {
	w := newWorld(t)
	ctx := browser(t)
	base := w.l.URL
	signInAs(t, ctx, base, clienttest.DevOpsToken)
	dev := client.New(base, clienttest.DevOpsToken)
	r, err := dev.ExpiryReport(ctx, client.ReportQuery{"group_by": "team"})
	require.NoError(t, err)
	require.Len(t, r.Groups, 1)
	assert.Equal(t, r.Groups[0].Total-r.Groups[0].Expired, number(t, ctx, "#count-valid"))
	assert.Equal(t, []string{"web"}, texts(t, ctx, "#compliance tbody td:first-child"))

	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/inventory"), chromedp.WaitVisible(chromedp.CSS("#inventory"))))
	teams := texts(t, ctx, "#inventory tbody td:nth-child(3)")
	assert.Len(t, teams, 4, "web's three certificates and its pending request")
	for _, team := range teams {
		assert.Equal(t, "web", team)
	}
	pay, err := w.admin.ListCertificates(ctx, client.CertificateFilter{Team: "pay"}, "", 1)
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(base+"/ui/certificates/"+pay.Items[0].ID), chromedp.WaitVisible(chromedp.CSS("#error"))))
	assert.Zero(t, rows(t, ctx, "#history"), "no history of another team's certificate")
	assert.Zero(t, rows(t, ctx, `#approvals button.approve`))
}
