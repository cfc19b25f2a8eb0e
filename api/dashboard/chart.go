package dashboard

import (
	"time"

	"github.com/certledger/certledger/api/wire"
)

// The expiry timeline's geometry, in SVG user units.
const (
	chartHeight = 120
	barWidth    = 12
	barGap      = 2
	labelHeight = 14
)

// timelineChart is the weekly expiry timeline as bars of an inline SVG: drawn on the server,
// so the page needs no chart library and works without JavaScript.
type timelineChart struct {
	Width, Height int
	Bars          []bar
	Months        []monthLabel // under the first bar of each month
	LabelY        int
	Max           int64
	Weeks         []wire.ExpiryWeek // for the table beside the chart (screen readers, exact numbers)
}

type monthLabel struct {
	X    int
	Name string
}

type bar struct {
	X, Y, W, H int
	Week       string
	Count      int64
}

func newTimeline(weeks []wire.ExpiryWeek) timelineChart {
	ch := timelineChart{Width: len(weeks) * (barWidth + barGap), Height: chartHeight + labelHeight, LabelY: chartHeight + labelHeight - 3, Weeks: weeks}
	lastMonth := ""
	for _, w := range weeks {
		ch.Max = max(ch.Max, w.Count)
	}
	for i, w := range weeks {
		h := 0
		if ch.Max > 0 {
			h = int(w.Count * (chartHeight - 10) / ch.Max)
		}
		if w.Count > 0 && h < 2 {
			h = 2 // a week with any expiry stays visible
		}
		if t, err := time.Parse(time.DateOnly, w.Start); err == nil && t.Format("2006-01") != lastMonth {
			lastMonth = t.Format("2006-01")
			ch.Months = append(ch.Months, monthLabel{X: i * (barWidth + barGap), Name: t.Format("Jan")})
		}
		ch.Bars = append(ch.Bars, bar{X: i * (barWidth + barGap), Y: chartHeight - h, W: barWidth, H: h, Week: w.Start, Count: w.Count})
	}
	return ch
}
