package timeline

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
)

// The static picture's geometry, in pixels.
const (
	svgWidth     = 1000
	plotLeft     = 270 // where time 0 is drawn
	plotRight    = 980
	titleHeight  = 28
	axisY        = 52 // the axis line
	commandLaneY = 66 // the command markers' centre
	firstRowY    = 84
	headerHeight = 20
	rowHeight    = 18
	barHeight    = 12
	// A block of more pods than denseRows is drawn dense: thin rows
	// without names, so that 400 pods fit on a page and keep their shape.
	denseRows      = 24
	denseRowHeight = 4
	denseBarHeight = 3
	legendRow      = 18
)

// SVG writes the timeline as a static SVG picture.
func (tl *Timeline) SVG(w io.Writer) error {
	bw := bufio.NewWriter(w)
	s := &svgWriter{w: bw, tl: tl, end: axisEnd(tl.End)}
	s.write()
	return bw.Flush()
}

// svgWriter draws one picture.
type svgWriter struct {
	w   *bufio.Writer
	tl  *Timeline
	end time.Duration // the time drawn at plotRight
	y   int           // the next row's top
}

// axisEnd is the time the axis runs to: the run's end, at least a second.
func axisEnd(end time.Duration) time.Duration {
	if end < time.Second {
		return time.Second
	}
	return end
}

// x places a virtual time on the plot.
func (s *svgWriter) x(t time.Duration) float64 {
	return plotLeft + float64(t)/float64(s.end)*float64(plotRight-plotLeft)
}

func (s *svgWriter) printf(format string, args ...any) { fmt.Fprintf(s.w, format, args...) }

func (s *svgWriter) write() {
	height := s.height()
	s.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		svgWidth, height, svgWidth, height)
	s.printf(`<rect class="background" width="%d" height="%d" fill="#ffffff"/>`+"\n", svgWidth, height)
	s.printf(`<text class="title" x="8" y="18" font-size="14" font-weight="bold">%s</text>`+"\n",
		esc(fmt.Sprintf("%s · seed %d · %s of virtual time", s.tl.Title, s.tl.Seed, FormatDuration(s.tl.End))))
	bottom := height - s.legendHeight()
	s.bands()
	s.axis(bottom)
	s.y = firstRowY
	for _, g := range s.tl.Groups {
		s.group(g)
	}
	s.commands(bottom)
	s.legend(bottom + 8)
	s.printf("</svg>\n")
}

// height is the picture's height: the rows, then the legend.
func (s *svgWriter) height() int {
	h := firstRowY
	for _, g := range s.tl.Groups {
		h += headerHeight + len(g.Rows)*rowPitch(g) + 4
	}
	return h + 8 + s.legendHeight()
}

// legendHeight is the legend's height: a line of colours, a line of
// marker shapes, and one line per command group.
func (s *svgWriter) legendHeight() int {
	return 2*legendRow + len(commandGroups(s.tl.Commands))*legendRow + 8
}

// dense reports whether a block is drawn dense.
func dense(g *Group) bool { return len(g.Rows) > denseRows }

// rowPitch is the height of each of a block's rows.
func rowPitch(g *Group) int {
	if dense(g) {
		return denseRowHeight
	}
	return rowHeight
}

// axis draws the time axis and its grid lines down to bottom.
func (s *svgWriter) axis(bottom int) {
	s.printf(`<g class="axis">` + "\n")
	s.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>`+"\n", plotLeft, axisY, plotRight, axisY)
	for _, t := range ticks(s.end) {
		x := s.x(t)
		s.printf(`<line class="grid" x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e3e3e3"/>`+"\n", x, axisY, x, bottom)
		s.printf(`<text class="tick" x="%.1f" y="%d" text-anchor="middle" fill="#444">%s</text>`+"\n", x, axisY-6, FormatDuration(t))
	}
	s.printf("</g>\n")
}

// tickSteps are the axis's candidate spacings.
var tickSteps = []time.Duration{
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// ticks lists the axis's labelled times: the first spacing that gives at
// most ten.
func ticks(end time.Duration) []time.Duration {
	step := tickSteps[len(tickSteps)-1]
	for _, st := range tickSteps {
		if end/st <= 10 {
			step = st
			break
		}
	}
	var out []time.Duration
	for t := time.Duration(0); t <= end; t += step {
		out = append(out, t)
	}
	return out
}

// commandGroup is the commands carried out at one virtual instant, drawn
// as one marker.
type commandGroup struct {
	At       time.Duration
	Commands []Command
}

// commandGroups gathers consecutive commands at the same instant.
func commandGroups(cmds []Command) []commandGroup {
	var out []commandGroup
	for _, c := range cmds {
		if n := len(out); n > 0 && out[n-1].At == c.At {
			out[n-1].Commands = append(out[n-1].Commands, c)
			continue
		}
		out = append(out, commandGroup{At: c.At, Commands: []Command{c}})
	}
	return out
}

// markerLabel numbers the command marker of groups first..last-1 (from
// 0): "4", or "1–3" for instants too close to tell apart.
func markerLabel(first, last int) string {
	if last-first > 1 {
		return fmt.Sprintf("%d–%d", first+1, last)
	}
	return fmt.Sprint(first + 1)
}

// markerWidth is the width of that marker, in pixels.
func markerWidth(first, last int) float64 {
	return max(14, float64(len([]rune(markerLabel(first, last))))*5.5+6)
}

// commands draws a numbered marker per instant on the command lane (one
// for instants whose markers would overlap), and a dashed line down
// through the rows at each instant.
func (s *svgWriter) commands(bottom int) {
	s.printf(`<g class="commands">` + "\n")
	groups := commandGroups(s.tl.Commands)
	for first := 0; first < len(groups); {
		x := s.x(groups[first].At)
		last := first
		for last+1 < len(groups) && s.x(groups[last+1].At)-markerWidth(first, last+2)/2 < x+markerWidth(first, last+1)/2+2 {
			last++ // the next marker would overlap this one
		}
		label := markerLabel(first, last+1)
		var titles []string
		for i := first; i <= last; i++ {
			titles = append(titles, commandTitle(groups[i]))
		}
		w := markerWidth(first, last+1)
		s.printf(`<g class="cmd" data-at="%s"><title>%s</title>`, FormatDuration(groups[first].At), esc(strings.Join(titles, "\n")))
		for i := first; i <= last; i++ {
			xi := s.x(groups[i].At)
			s.printf(`<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#7aa6d6" stroke-dasharray="2,3"/>`, xi, commandLaneY+7, xi, bottom)
		}
		s.printf(`<rect x="%.1f" y="%d" width="%.1f" height="14" rx="7" fill="#1f5fa8"/>`, x-w/2, commandLaneY-7, w)
		s.printf(`<text x="%.1f" y="%d" text-anchor="middle" fill="#fff" font-size="9" font-weight="bold">%s</text></g>`+"\n", x, commandLaneY+3, label)
		first = last + 1
	}
	s.printf("</g>\n")
}

// commandTitle lists a marker's commands.
func commandTitle(g commandGroup) string {
	var lines []string
	for _, c := range g.Commands {
		lines = append(lines, fmt.Sprintf("%s  line %d: %s", FormatDuration(c.At), c.Line, c.Text))
	}
	return strings.Join(lines, "\n")
}

// bands shades each block's area, under the grid and the bars.
func (s *svgWriter) bands() {
	y := firstRowY
	for _, g := range s.tl.Groups {
		h := headerHeight + len(g.Rows)*rowPitch(g)
		s.printf(`<rect class="band" x="0" y="%d" width="%d" height="%d" fill="#f4f5f8"/>`+"\n", y, svgWidth, h)
		y += h + 4
	}
}

// group draws a block: its heading with the owner's events, then its rows.
func (s *svgWriter) group(g *Group) {
	label := g.Label
	if dense(g) {
		label += fmt.Sprintf(" (%d rows)", len(g.Rows))
	}
	top := s.y
	s.printf(`<g class="group" data-kind="%s" data-label="%s" data-rows="%d">`+"\n", esc(g.Kind), esc(g.Label), len(g.Rows))
	s.printf(`<text class="heading" x="8" y="%d" font-weight="bold">%s</text>`+"\n", top+14, esc(label))
	s.marks(g.Marks, top+headerHeight/2, "heading")
	s.y += headerHeight
	for _, r := range g.Rows {
		s.row(g, r)
	}
	s.y += 4
	s.printf("</g>\n")
}

// row draws one row: its name (unless dense), bars and marks.
func (s *svgWriter) row(g *Group, r *Row) {
	pitch, barH := rowHeight, barHeight
	if dense(g) {
		pitch, barH = denseRowHeight, denseBarHeight
	}
	s.printf(`<g class="row" data-label="%s">`, esc(r.Label))
	if !dense(g) {
		s.printf(`<text class="label" x="20" y="%d">%s`, s.y+13, esc(clip(r.Label, 30)))
		if r.Note != "" {
			s.printf(`<tspan class="note" fill="#777"> %s</tspan>`, esc(clip(r.Note, 22)))
		}
		s.printf(`</text>`)
	}
	barTop := s.y + (pitch-barH)/2
	for _, b := range r.Bars {
		s.bar(b, barTop, barH, podBlock(g))
	}
	if !dense(g) {
		s.marks(r.Marks, s.y+pitch/2, "row")
	}
	s.printf("</g>\n")
	s.y += pitch
}

// bar draws a bar's segments, each with a hover title.
func (s *svgWriter) bar(b *Bar, top, h int, pod bool) {
	class := "bar"
	if pod {
		class = "bar pod"
	}
	s.printf("\n"+`<g class="%s" data-name="%s" data-from="%s" data-to="%s">`, class, esc(b.Name), FormatDuration(b.From), FormatDuration(b.To))
	for _, seg := range b.Segments {
		x0, x1 := s.x(seg.From), s.x(seg.To)
		w := x1 - x0
		if w < 1 {
			w = 1 // an instant's state still shows
		}
		s.printf(`<rect class="seg" data-state="%s" data-word="%s" data-from="%s" data-to="%s" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"><title>%s</title></rect>`,
			seg.State, esc(seg.Word), FormatDuration(seg.From), FormatDuration(seg.To), x0, top, w, h, stateColor(seg.State),
			esc(segmentTitle(b, seg)))
	}
	s.printf("</g>")
}

// segmentTitle is a segment's hover text.
func segmentTitle(b *Bar, seg Segment) string {
	t := fmt.Sprintf("%s: %s from %s to %s", b.Name, seg.Word, FormatDuration(seg.From), FormatDuration(seg.To))
	if b.Node != "" {
		t += " on " + b.Node
	}
	return t
}

// marks draws events on a line: a red triangle for a warning, a dark
// diamond otherwise; headings also name the reasons where they fit,
// warnings first.
func (s *svgWriter) marks(ms []Mark, cy int, where string) {
	for _, m := range ms {
		x := s.x(m.At)
		title := markTitle(m)
		if m.Type == "Warning" {
			s.printf(`<g class="mark" data-reason="%s" data-type="Warning" data-at="%s"><title>%s</title><path d="M%.1f %d l4 7 h-8 z" fill="#c0392b" stroke="#fff" stroke-width="0.5"/></g>`,
				esc(m.Reason), FormatDuration(m.At), esc(title), x, cy-4)
		} else {
			s.printf(`<g class="mark" data-reason="%s" data-type="Normal" data-at="%s"><title>%s</title><path d="M%.1f %d l3.5 3.5 l-3.5 3.5 l-3.5 -3.5 z" fill="#333" stroke="#fff" stroke-width="0.5"/></g>`,
				esc(m.Reason), FormatDuration(m.At), esc(title), x, cy-4)
		}
	}
	if where == "heading" {
		s.reasons(ms, cy)
	}
	if len(ms) > 0 {
		s.printf("\n")
	}
}

// reasons names a heading's events beside their markers where the names
// do not overlap one another, warnings first, then in time order.
func (s *svgWriter) reasons(ms []Mark, cy int) {
	type span struct{ x0, x1 float64 }
	var taken []span
	markers := func(warning bool) {
		for _, m := range ms {
			if (m.Type == "Warning") == warning {
				x := s.x(m.At)
				taken = append(taken, span{x - 4, x + 4}) // names do not cover markers
			}
		}
	}
	markers(true)
	free := func(sp span) bool {
		for _, t := range taken {
			if sp.x0 < t.x1 && t.x0 < sp.x1 {
				return false
			}
		}
		return true
	}
	for _, warning := range []bool{true, false} {
		if !warning {
			markers(false) // a warning's name may cover a normal event's marker
		}
		for _, m := range ms {
			if (m.Type == "Warning") != warning {
				continue
			}
			x := s.x(m.At)
			w := float64(len(m.Reason))*5.2 + 6
			sp, anchor, tx := span{x + 4.5, x + 6 + w}, "start", x+6
			if sp.x1 >= svgWidth {
				sp, anchor, tx = span{x - 6 - w, x - 4.5}, "end", x-6 // no room on the right
			}
			if !free(sp) {
				continue
			}
			taken = append(taken, sp)
			color := "#555"
			if warning {
				color = "#a93226"
			}
			s.printf(`<text class="reason" x="%.1f" y="%d" font-size="9" fill="%s" text-anchor="%s">%s</text>`, tx, cy+3, color, anchor, esc(m.Reason))
		}
	}
}

// markTitle is an event's hover text.
func markTitle(m Mark) string {
	t := fmt.Sprintf("%s %s %s", FormatDuration(m.At), m.Type, m.Reason)
	if m.About != "" {
		t += " (" + m.About + ")"
	}
	if m.Message != "" {
		t += ": " + m.Message
	}
	return t
}

// legend draws the colours used, the marker shapes and the numbered
// commands.
func (s *svgWriter) legend(top int) {
	s.printf(`<g class="legend">` + "\n")
	used := usedStates(s.tl)
	x := 8
	for _, st := range States {
		if !used[st.Name] {
			continue
		}
		s.printf(`<rect class="swatch" data-state="%s" x="%d" y="%d" width="12" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			st.Name, x, top, st.Color, x+16, top+9, esc(st.Legend))
		x += 16 + len(st.Legend)*6 + 14
	}
	y := top + legendRow
	s.printf(`<path d="M12 %d l4 7 h-8 z" fill="#c0392b"/><text x="22" y="%d">Warning event</text>`, y+1, y+8)
	s.printf(`<path d="M122 %d l3.5 3.5 l-3.5 3.5 l-3.5 -3.5 z" fill="#333"/><text x="130" y="%d">Normal event</text>`, y+1, y+8)
	s.printf(`<circle cx="232" cy="%d" r="6" fill="#1f5fa8"/><text x="242" y="%d">the scenario's commands (sleeps left out)</text>`+"\n", y+5, y+8)
	for i, g := range commandGroups(s.tl.Commands) {
		y += legendRow
		var texts []string
		for _, c := range g.Commands {
			texts = append(texts, c.Text)
		}
		s.printf(`<text class="cmdtext" x="8" y="%d" xml:space="preserve"><tspan font-weight="bold">%d</tspan><tspan>  %s  %s</tspan></text>`+"\n",
			y+8, i+1, FormatDuration(g.At), esc(clip(strings.Join(texts, " ; "), 150)))
	}
	s.printf("</g>\n")
}

// usedStates lists the colour classes the picture uses.
func usedStates(tl *Timeline) map[string]bool {
	used := map[string]bool{}
	for _, g := range tl.Groups {
		for _, r := range g.Rows {
			for _, b := range r.Bars {
				for _, seg := range b.Segments {
					used[seg.State] = true
				}
			}
		}
	}
	return used
}

// stateColor is a colour class's fill.
func stateColor(state string) string {
	for _, st := range States {
		if st.Name == state {
			return st.Color
		}
	}
	return "#000"
}

// clip shortens text to n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// esc escapes text for XML.
func esc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\n':
			b.WriteString("&#10;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
